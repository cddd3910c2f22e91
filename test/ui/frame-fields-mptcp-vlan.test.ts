import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fieldLines, frameFields} from '../../source/ui/frame-fields.js';
import {parseIpv4} from '../../source/wire/addresses.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {encodeFrame} from '../../source/wire/encode.js';
import {tcpFlags, type TcpOption} from '../../source/wire/records.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'));
const mptcp = (text: string): TcpOption => ({kind: 'unknown', type: 30, data: hex(text)});

function detail(options: readonly TcpOption[], flags: number = tcpFlags.ACK): string[] {
	const bytes = tcpFrame({
		sourceMac: 0x02_00_00_00_00_01, destinationMac: 0x02_00_00_00_00_02, source: parseIpv4('198.18.0.10'), destination: parseIpv4('198.18.0.2'),
		sourcePort: 45_000, destinationPort: 80, seq: 1, ack: 1, flags, options,
	});
	return fieldLines(frameFields(decodeFrame(bytes)));
}

/** The lines from `heading` to the next line indented no deeper than it. */
function section(lines: readonly string[], heading: string): string[] {
	const start = lines.indexOf(heading);
	assert.ok(start >= 0, `no line ${JSON.stringify(heading)} in\n${lines.join('\n')}`);
	const depth = heading.length - heading.trimStart().length;
	const end = lines.findIndex((line, index) => index > start && line.length - line.trimStart().length <= depth);
	return lines.slice(start, end === -1 ? undefined : end);
}

describe('frame detail: MPTCP options with named fields', () => {
	it('DSS: DATA_FIN, data ACK, mapping and checksum by name', () => {
		const lines = detail([{kind: 'nop'}, {kind: 'nop'}, mptcp('20 15 00000001 00000002 00000000 0001 ffff')]);
		assert.deepEqual(section(lines, '    MPTCP DSS: length 20'), [
			'    MPTCP DSS: length 20',
			'      DATA_FIN (F): yes',
			'      data ACK: 1 (4 octets)',
			'      data sequence number: 2 (4 octets)',
			'      subflow sequence number: 0',
			'      data-level length: 1',
			'      checksum: 0xffff',
		]);
	});

	it('MP_CAPABLE keys, MP_JOIN on a SYN, ADD_ADDR with port and HMAC, MP_TCPRST reason', () => {
		const capable = detail([mptcp('01 81 1fdb5df328bc3def 00a6c86981ad933c')]);
		assert.ok(capable.includes("      sender's key: 0x1fdb5df328bc3def"));
		assert.ok(capable.includes("      receiver's key: 0x00a6c86981ad933c"));
		assert.ok(capable.includes('      checksum required (A): yes'));
		const join = detail([mptcp('11 03 c0ffee01 12345678')], tcpFlags.SYN);
		assert.deepEqual(section(join, '    MPTCP MP_JOIN: length 12').slice(1), [
			'      form: SYN',
			'      backup: yes',
			'      address ID: 3',
			"      receiver's token: 0xc0ffee01",
			"      sender's random number: 0x12345678",
		]);
		const address = detail([mptcp('30 02 0a000202 20fb 0102030405060708'), {kind: 'nop'}, {kind: 'nop'}]);
		assert.deepEqual(section(address, '    MPTCP ADD_ADDR: length 18').slice(1), [
			'      version: 1 (RFC 8684)',
			'      echo (E): no',
			'      address ID: 2',
			'      address: 10.0.2.2',
			'      port: 8443',
			'      truncated HMAC: 0x0102030405060708',
		]);
		const reset = detail([mptcp('81 02')], tcpFlags.RST);
		assert.ok(reset.includes('      reason: 2 (lack of resources)'), reset.join('\n'));
	});

	it('a malformed MPTCP option says why, with its bytes', () => {
		const lines = detail([mptcp('20 01 00000001 00'), {kind: 'nop'}]);
		assert.ok(lines.includes('    MPTCP: length 9, malformed: DSS length 9 leaves 1 octet its flags do not account for'), lines.join('\n'));
		assert.ok(lines.includes('      bytes: 20010000000100'));
	});
});

describe('frame detail: stacked VLAN tags', () => {
	it('an 802.1ad S-tag over an 802.1Q C-tag, outermost first, then the inner type', () => {
		const bytes = encodeFrame({
			ethernet: {destination: 0xff_ff_ff_ff_ff_ff, source: 0x02_00_00_00_00_01, tags: [
				{tpid: 0x88_a8, priority: 3, dropEligible: false, id: 100},
				{tpid: 0x81_00, priority: 0, dropEligible: true, id: 5},
			]},
			arp: {operation: 1, senderMac: 0x02_00_00_00_00_01, senderIp: parseIpv4('198.18.0.10'), targetMac: 0, targetIp: parseIpv4('198.18.0.2')},
		});
		const lines = fieldLines(frameFields(decodeFrame(bytes)));
		assert.deepEqual(lines.slice(1, 6), [
			'  destination: ff:ff:ff:ff:ff:ff',
			'  source: 02:00:00:00:00:01',
			'  VLAN (802.1ad): id 100, priority 3',
			'  VLAN (802.1Q): id 5, priority 0, DEI',
			'  type: 0x0806 (ARP)',
		]);
		assert.ok(lines.includes('ARP: request'));
	});
});
