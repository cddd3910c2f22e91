// predictSegment: a bulk transfer's frames are read in place, with the same fields the full decoder
// gives; every other shape (and any wrong checksum) is left to the full decoder.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {tcpFrame} from '../../source/wire/builders.js';
import {ipv4HeaderChecksum, tcpChecksum} from '../../source/wire/checksum.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {blankPrediction, predictSegment} from '../../source/wire/predicted-segment.js';
import {type TcpOption, tcpFlags} from '../../source/wire/records.js';

const {ACK, PSH, SYN, FIN, RST, URG} = tcpFlags;
const peer = {mac: 0x02_00_00_00_00_02, ip: 0xc6_12_00_02};
const us = {mac: 0x02_00_00_00_00_0a, ip: 0xc6_12_00_0a};
const linuxTimestamps: readonly TcpOption[] = [{kind: 'nop'}, {kind: 'nop'}, {kind: 'timestamps', value: 0xfe_dc_ba_98, echo: 7}];

function frame(fields: {flags?: number; options?: readonly TcpOption[]; payload?: Uint8Array; seq?: number} = {}): Uint8Array {
	return tcpFrame({
		sourceMac: peer.mac,
		destinationMac: us.mac,
		source: peer.ip,
		destination: us.ip,
		sourcePort: 80,
		destinationPort: 40_001,
		seq: fields.seq ?? 0x89_ab_cd_ef,
		ack: 0x01_02_03_04,
		flags: fields.flags ?? (ACK | PSH),
		window: 502,
		options: fields.options ?? linuxTimestamps,
		payload: fields.payload ?? new Uint8Array(1448).map((_, index) => index),
	});
}

/** Both checksums made right again after a test changed a header byte. */
function reseal(bytes: Uint8Array): Uint8Array {
	bytes[24] = 0;
	bytes[25] = 0;
	const ip = ipv4HeaderChecksum(bytes, 14, (bytes[14]! & 0x0f) * 4);
	bytes[24] = ip >> 8;
	bytes[25] = ip & 0xff;
	const tcpStart = 14 + ((bytes[14]! & 0x0f) * 4);
	const total = (bytes[16]! << 8) | bytes[17]!;
	const tcp = tcpChecksum(bytes, tcpStart, 14 + total - tcpStart, peer.ip, us.ip);
	bytes[tcpStart + 16] = tcp >> 8;
	bytes[tcpStart + 17] = tcp & 0xff;
	return bytes;
}

function predicts(bytes: Uint8Array): boolean {
	return predictSegment(bytes, blankPrediction());
}

describe('predictSegment', () => {
	test('reads a bulk frame (Linux\'s timestamps layout) as the full decoder does', () => {
		for (const options of [linuxTimestamps, []]) {
			const bytes = frame({options});
			const out = blankPrediction();
			assert.equal(predictSegment(bytes, out), true);
			const decoded = decodeFrame(bytes);
			const tcp = decoded.tcp!;
			assert.equal(decoded.tcpChecksumOk, true);
			assert.deepEqual(
				{source: out.source, destination: out.destination, sourcePort: out.sourcePort, destinationPort: out.destinationPort, seq: out.seq, ack: out.ack, window: out.window},
				{source: decoded.ipv4!.source, destination: decoded.ipv4!.destination, sourcePort: tcp.sourcePort, destinationPort: tcp.destinationPort, seq: tcp.seq, ack: tcp.ack, window: tcp.window},
			);
			assert.equal(out.tsValue, options.length > 0 ? 0xfe_dc_ba_98 : -1);
			assert.deepEqual(bytes.subarray(out.payloadStart, out.payloadEnd), tcp.payload);
		}
	});

	test('ACK without PSH, an odd payload, and Ethernet padding after the datagram', () => {
		const out = blankPrediction();
		assert.equal(predictSegment(frame({flags: ACK, payload: new Uint8Array([1, 2, 3])}), out), true);
		assert.equal(out.payloadEnd - out.payloadStart, 3);
		const padded = new Uint8Array(frame({payload: new Uint8Array([9])}).length + 6);
		padded.set(frame({payload: new Uint8Array([9])}));
		assert.equal(predictSegment(padded, out), true);
		assert.deepEqual(padded.subarray(out.payloadStart, out.payloadEnd), new Uint8Array([9]));
	});

	test('a wrong TCP or IPv4 checksum is left to the full decoder, which names it', () => {
		const tcpBad = frame();
		tcpBad[tcpBad.length - 1]! ^= 0xff;
		assert.equal(predicts(tcpBad), false);
		assert.equal(decodeFrame(tcpBad).tcpChecksumOk, false);
		const ipBad = frame();
		ipBad[22]! ^= 0x01;
		assert.equal(predicts(ipBad), false);
		assert.equal(decodeFrame(ipBad).ipv4ChecksumOk, false);
	});

	test('any other shape is left to the full decoder', () => {
		for (const flags of [ACK | SYN, ACK | FIN, ACK | RST, ACK | URG, PSH, 0]) {
			assert.equal(predicts(frame({flags})), false, `flags ${flags}`);
		}

		assert.equal(predicts(frame({payload: new Uint8Array(0)})), false, 'no data');
		assert.equal(predicts(frame({options: [{kind: 'timestamps', value: 1, echo: 2}, {kind: 'nop'}, {kind: 'nop'}]})), false, 'timestamps first');
		assert.equal(predicts(frame({options: [{kind: 'nop'}, {kind: 'nop'}, {kind: 'sack', blocks: [[1, 2]]}]})), false, 'SACK blocks');
		const ae = frame();
		ae[14 + 20 + 12]! |= 0x01;
		assert.equal(predicts(reseal(ae)), false, 'AE set');
		const fragment = frame();
		fragment[14 + 6]! |= 0x20;
		assert.equal(predicts(reseal(fragment)), false, 'more fragments');
		const dontFragment = frame();
		assert.equal((dontFragment[14 + 6]! & 0x40) !== 0, true);
		assert.equal(predicts(dontFragment), true, 'DF alone is fine');
		const udp = frame();
		udp[14 + 9] = 17;
		assert.equal(predicts(reseal(udp)), false, 'not TCP');
		const cut = frame().subarray(0, 100);
		assert.equal(predicts(cut), false, 'the capture ends before the datagram does');
		const arp = frame();
		arp[12] = 0x08;
		arp[13] = 0x06;
		assert.equal(predicts(arp), false, 'not IPv4');
	});
});
