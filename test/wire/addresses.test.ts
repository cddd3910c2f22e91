import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {
	AddressError,
	formatEndpoint,
	formatIpv4,
	formatMac,
	isIpv4,
	parseEndpoint,
	parseIpv4,
	parseMac,
} from '../../source/wire/addresses.js';

function throwsAddressError(run: () => unknown, message: string): void {
	assert.throws(run, (error: unknown) => {
		assert.ok(error instanceof AddressError);
		assert.equal(error.message, message);
		return true;
	});
}

describe('IPv4 addresses', () => {
	it('parses dotted quads to unsigned 32-bit numbers', () => {
		assert.equal(parseIpv4('198.18.0.10'), 0xc6_12_00_0a);
		assert.equal(parseIpv4('0.0.0.0'), 0);
		assert.equal(parseIpv4('255.255.255.255'), 0xff_ff_ff_ff);
		assert.equal(parseIpv4('10.0.0.1'), 0x0a_00_00_01);
	});

	it('formats numbers back', () => {
		assert.equal(formatIpv4(0xc6_12_01_02), '198.18.1.2');
		assert.equal(formatIpv4(0xff_ff_ff_ff), '255.255.255.255');
		assert.equal(formatIpv4(0), '0.0.0.0');
	});

	it('round-trips every address', () => {
		fc.assert(fc.property(fc.integer({min: 0, max: 0xff_ff_ff_ff}), address => parseIpv4(formatIpv4(address)) === address));
	});

	it('rejects bad input with a one-line reason', () => {
		throwsAddressError(() => parseIpv4('198.18.0.300'), 'not an IPv4 address: "198.18.0.300" (octet 4 is over 255)');
		throwsAddressError(() => parseIpv4('198.18.0'), 'not an IPv4 address: "198.18.0" (expected 4 dot-separated octets, got 3)');
		throwsAddressError(() => parseIpv4('1.2.3.4.5'), 'not an IPv4 address: "1.2.3.4.5" (expected 4 dot-separated octets, got 5)');
		throwsAddressError(() => parseIpv4('1..3.4'), 'not an IPv4 address: "1..3.4" (octet 2 is empty)');
		throwsAddressError(() => parseIpv4('1.2.3.x'), 'not an IPv4 address: "1.2.3.x" (octet 4 is not a decimal number from 0 to 255)');
		throwsAddressError(() => parseIpv4(' 1.2.3.4'), 'not an IPv4 address: " 1.2.3.4" (octet 1 is not a decimal number from 0 to 255)');
		throwsAddressError(() => parseIpv4('1.2.3.-4'), 'not an IPv4 address: "1.2.3.-4" (octet 4 is not a decimal number from 0 to 255)');
		throwsAddressError(() => parseIpv4('010.0.0.1'), 'not an IPv4 address: "010.0.0.1" (octet 1 has a leading zero)');
		throwsAddressError(() => parseIpv4(''), 'not an IPv4 address: "" (expected 4 dot-separated octets, got 1)');
		assert.equal(isIpv4('198.18.0.1'), true);
		assert.equal(isIpv4('198.18.0.256'), false);
	});

	it('never lets anything but AddressError escape', () => {
		fc.assert(fc.property(fc.string(), text => {
			try {
				return formatIpv4(parseIpv4(text)) === text;
			} catch (error) {
				return error instanceof AddressError && !error.message.includes('\n');
			}
		}));
	});
});

describe('MAC addresses', () => {
	it('parses colon and dash forms, any case', () => {
		assert.equal(parseMac('aa:bb:cc:dd:ee:ff'), 0xaa_bb_cc_dd_ee_ff);
		assert.equal(parseMac('AA-BB-CC-DD-EE-FF'), 0xaa_bb_cc_dd_ee_ff);
		assert.equal(parseMac('2:0:0:0:0:1'), 0x02_00_00_00_00_01);
		assert.equal(parseMac('ff:ff:ff:ff:ff:ff'), 0xff_ff_ff_ff_ff_ff);
	});

	it('formats like tcpdump: lowercase, two digits, colons', () => {
		assert.equal(formatMac(0x02_00_00_00_00_01), '02:00:00:00:00:01');
		assert.equal(formatMac(0x4a_0d_e8_95_8a_05), '4a:0d:e8:95:8a:05');
		assert.equal(formatMac(0xff_ff_ff_ff_ff_ff), 'ff:ff:ff:ff:ff:ff');
	});

	it('round-trips every address', () => {
		fc.assert(fc.property(fc.integer({min: 0, max: 2 ** 48 - 1}), mac => parseMac(formatMac(mac)) === mac));
	});

	it('rejects bad input', () => {
		const reason = '(expected six hex bytes separated by ":" or "-", like aa:bb:cc:dd:ee:ff)';
		for (const text of ['aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:ff:00', 'aa:bb-cc:dd:ee:ff', 'gg:bb:cc:dd:ee:ff', 'aabb.ccdd.eeff', '', 'aaa:bb:cc:dd:ee:ff']) {
			throwsAddressError(() => parseMac(text), `not a MAC address: ${JSON.stringify(text)} ${reason}`);
		}
	});
});

describe('endpoints', () => {
	it('parses HOST:PORT', () => {
		assert.deepEqual(parseEndpoint('198.18.0.2:80'), {ip: 0xc6_12_00_02, port: 80});
		assert.deepEqual(parseEndpoint('198.18.0.2:65535'), {ip: 0xc6_12_00_02, port: 65_535});
		assert.equal(formatEndpoint({ip: 0xc6_12_00_02, port: 7}), '198.18.0.2:7');
	});

	it('rejects a bad port or host', () => {
		throwsAddressError(() => parseEndpoint('198.18.0.2:0'), 'not an endpoint: "198.18.0.2:0" (port 0 is outside 1-65535)');
		throwsAddressError(() => parseEndpoint('198.18.0.2:65536'), 'not an endpoint: "198.18.0.2:65536" (port 65536 is outside 1-65535)');
		throwsAddressError(() => parseEndpoint('198.18.0.2:http'), 'not an endpoint: "198.18.0.2:http" (port "http" is not a decimal number)');
		throwsAddressError(() => parseEndpoint('198.18.0.2:'), 'not an endpoint: "198.18.0.2:" (port "" is not a decimal number)');
		throwsAddressError(() => parseEndpoint('198.18.0.2'), 'not an endpoint: "198.18.0.2" (expected HOST:PORT, like 198.18.0.2:80)');
		throwsAddressError(() => parseEndpoint('example.com:80'), 'not an endpoint: "example.com:80" (host "example.com": expected 4 dot-separated octets, got 2)');
	});
});
