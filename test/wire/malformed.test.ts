import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parseIpv4} from '../../source/wire/addresses.js';
import {tcpFrame, type TcpFrameFields} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {encodeFrame, exactOverrides, type FrameOverrides, frameSpecOf, type TcpFrameSpec} from '../../source/wire/encode.js';
import {tcpFlags, type TcpOption} from '../../source/wire/records.js';
import {kernelFrame} from './kernel-frames-fixture.js';

const base: TcpFrameFields = {
	sourceMac: 0x02_00_00_00_00_01,
	destinationMac: 0x02_00_00_00_00_02,
	source: parseIpv4('198.18.1.1'),
	destination: parseIpv4('198.18.1.2'),
	sourcePort: 40_000,
	destinationPort: 80,
	seq: 1000,
	ack: 2000,
	flags: tcpFlags.ACK,
};

const frameWith = (fields: Partial<TcpFrameFields>, overrides?: FrameOverrides): Uint8Array =>
	tcpFrame({...base, ...fields}, {pad: false, ...overrides});

/** A frame whose bytes at `offset` (from the frame's start) are replaced. */
function patched(bytes: Uint8Array, offset: number, ...values: number[]): Uint8Array {
	const copy = bytes.slice();
	copy.set(values, offset);
	return copy;
}

const segment: TcpFrameSpec = {
	ethernet: {destination: base.destinationMac, source: base.sourceMac},
	ipv4: {source: base.source, destination: base.destination},
	tcp: {sourcePort: 40_000, destinationPort: 80, seq: 1000, ack: 2000, flags: tcpFlags.ACK},
};

const ipAt = 14;
const tcpAt = 34;

describe('malformed frames name the layer and field', () => {
	it('Ethernet header cut short', () => {
		const frame = decodeFrame(new Uint8Array(9));
		assert.deepEqual(frame, {length: 9, error: {layer: 'ethernet', field: 'header', reason: 'truncated: 9 of 14 bytes'}});
		assert.equal(decodeFrame(new Uint8Array(0)).error?.reason, 'truncated: 0 of 14 bytes');
	});

	it('802.1Q tag cut short', () => {
		const bytes = kernelFrame('syn-vlan7').subarray(0, 16);
		assert.deepEqual(decodeFrame(bytes).error, {layer: 'ethernet', field: 'vlan', reason: 'truncated: 16 of 18 bytes'});
	});

	it('ARP cut short, and ARP for other hardware', () => {
		const request = kernelFrame('arp-request');
		const short = decodeFrame(request.subarray(0, 30));
		assert.deepEqual(short.error, {layer: 'arp', field: 'header', reason: 'truncated: 16 of 28 bytes'});
		assert.ok(short.ethernet);
		assert.equal(decodeFrame(patched(request, ipAt, 0, 6)).error?.field, 'hardwareType');
		assert.equal(decodeFrame(patched(request, ipAt + 2, 0x86, 0xdd)).error?.field, 'protocolType');
		assert.equal(decodeFrame(patched(request, ipAt + 4, 8)).error?.field, 'hardwareLength');
		assert.equal(decodeFrame(patched(request, ipAt + 5, 16)).error?.field, 'protocolLength');
	});

	it('IPv4 IHL below 5', () => {
		const frame = decodeFrame(frameWith({}, {ipv4: {ihl: 4}}));
		assert.deepEqual(frame.error, {layer: 'ipv4', field: 'ihl', reason: 'IHL 4 (< 5)'});
		assert.ok(frame.ethernet);
		assert.equal(frame.ipv4, undefined);
		assert.equal(frame.payload?.length, 40);
	});

	it('IPv4 version other than 4', () => {
		const frame = decodeFrame(patched(frameWith({}), ipAt, 0x65));
		assert.deepEqual(frame.error, {layer: 'ipv4', field: 'version', reason: 'version 6 (expected 4)'});
	});

	it('IPv4 total length shorter than the header', () => {
		const frame = decodeFrame(frameWith({}, {ipv4: {totalLength: 16}}));
		assert.equal(frame.error?.layer, 'ipv4');
		assert.equal(frame.error?.field, 'totalLength');
		assert.match(frame.error!.reason, /total length 16 is shorter than the 20-byte header/);
	});

	it('IPv4 IHL past the capture', () => {
		const bytes = frameWith({}, {ipv4: {ihl: 15, totalLength: 80}}).subarray(0, 14 + 40);
		const frame = decodeFrame(bytes);
		assert.deepEqual(frame.error, {layer: 'ipv4', field: 'header', reason: 'truncated: 40 of 60 bytes'});
		assert.equal(frame.truncated, true);
	});

	it('IPv4 header checksum mismatch: flagged, not rejected', () => {
		const frame = decodeFrame(frameWith({}, {ipv4: {checksum: 'bad'}}));
		assert.equal(frame.ipv4ChecksumOk, false);
		assert.equal(frame.error, undefined);
		assert.equal(frame.tcpChecksumOk, true);
		assert.ok(frame.tcp);
	});

	it('IPv4 total length beyond the capture: truncated, TCP header decoded, TCP checksum unchecked', () => {
		const payload = new TextEncoder().encode('0123456789');
		const whole = frameWith({payload});
		const frame = decodeFrame(whole.subarray(0, whole.length - 4));
		assert.equal(frame.truncated, true);
		assert.equal(frame.error, undefined);
		assert.equal(frame.tcp?.seq, 1000);
		assert.equal(frame.tcpChecksumOk, undefined);
		assert.equal(frame.ipv4ChecksumOk, true);
		assert.deepEqual(frame.payload, payload.subarray(0, 6));
	});

	it('truncated capture that ends inside the TCP header', () => {
		const frame = decodeFrame(frameWith({}).subarray(0, tcpAt + 12));
		assert.equal(frame.truncated, true);
		assert.deepEqual(frame.error, {layer: 'tcp', field: 'header', reason: 'truncated: 12 of 20 bytes'});
		assert.ok(frame.ipv4);
	});

	it('Ethernet padding after the datagram is not payload', () => {
		const rst = kernelFrame('rst-closed-port');
		const padded = new Uint8Array(60);
		padded.set(rst);
		padded.fill(0xee, rst.length);
		const frame = decodeFrame(padded);
		assert.equal(frame.length, 60);
		assert.equal(frame.payload?.length, 0);
		assert.equal(frame.tcpChecksumOk, true);
		assert.equal(frame.truncated, undefined);
	});

	it('a non-first fragment is not parsed as TCP', () => {
		const bytes = encodeFrame({...segment, ipv4: {...segment.ipv4, fragmentOffset: 185, dontFragment: false}}, {pad: false});
		const frame = decodeFrame(bytes);
		assert.equal(frame.ipv4?.fragmentOffset, 185);
		assert.equal(frame.tcp, undefined);
		assert.equal(frame.error, undefined);
		assert.equal(frame.payload?.length, 20);
	});

	it('a first fragment with more to come: TCP header parsed, checksum not checked', () => {
		const bytes = encodeFrame({...segment, ipv4: {...segment.ipv4, moreFragments: true, dontFragment: false}}, {pad: false});
		const frame = decodeFrame(bytes);
		assert.equal(frame.tcp?.sourcePort, 40_000);
		assert.equal(frame.tcpChecksumOk, undefined);
	});

	it('TCP data offset below 5', () => {
		const frame = decodeFrame(frameWith({}, {tcp: {dataOffset: 3}}));
		assert.deepEqual(frame.error, {layer: 'tcp', field: 'dataOffset', reason: 'data offset 3 (< 5)'});
		assert.ok(frame.ipv4);
		assert.equal(frame.tcp, undefined);
		assert.equal(frame.payload?.length, 20);
	});

	it('TCP data offset past the segment', () => {
		const frame = decodeFrame(frameWith({}, {tcp: {dataOffset: 15}}));
		assert.deepEqual(frame.error, {layer: 'tcp', field: 'dataOffset', reason: 'data offset 15 (60 bytes) runs past the 20-byte segment'});
	});

	it('TCP segment shorter than a header', () => {
		const frame = decodeFrame(frameWith({}, {ipv4: {totalLength: 30}}));
		assert.deepEqual(frame.error, {layer: 'tcp', field: 'header', reason: 'segment of 10 bytes is shorter than the 20-byte header'});
	});

	it('an option length that runs past the header', () => {
		const frame = decodeFrame(frameWith({}, {tcp: {optionBytes: Uint8Array.of(1, 1, 2, 4)}}));
		assert.deepEqual(frame.error, {layer: 'tcp', field: 'options', reason: 'option mss (kind 2) length 4 runs past the header'});
		const unknown = decodeFrame(frameWith({}, {tcp: {optionBytes: Uint8Array.of(30, 8, 0, 0)}}));
		assert.equal(unknown.error?.reason, 'option kind 30 length 8 runs past the header');
	});

	it('an option length below 2, and a missing length byte', () => {
		assert.deepEqual(
			decodeFrame(frameWith({}, {tcp: {optionBytes: Uint8Array.of(8, 1, 0, 0)}})).error,
			{layer: 'tcp', field: 'options', reason: 'option timestamps (kind 8) length 1 (< 2)'},
		);
		assert.deepEqual(
			decodeFrame(frameWith({}, {tcp: {optionBytes: Uint8Array.of(1, 1, 1, 3)}})).error,
			{layer: 'tcp', field: 'options', reason: 'option wscale (kind 3) has no length byte before the header ends'},
		);
	});

	it('a known kind with a length it does not allow is kept as unknown and round-trips', () => {
		const optionBytes = Uint8Array.of(2, 6, 5, 0xb4, 0, 0, 3, 2, 5, 3, 1, 1);
		const bytes = frameWith({}, {tcp: {optionBytes}});
		const frame = decodeFrame(bytes);
		assert.equal(frame.error, undefined);
		assert.deepEqual(frame.tcp?.options, [
			{kind: 'unknown', type: 2, data: Uint8Array.of(5, 0xb4, 0, 0)},
			{kind: 'unknown', type: 3, data: new Uint8Array(0)},
			{kind: 'unknown', type: 5, data: Uint8Array.of(1)},
			{kind: 'nop'},
		]);
		assert.deepEqual(encodeFrame(frameSpecOf(frame)!, {pad: false}), bytes);
	});

	it('bytes after End of Option List are option padding', () => {
		const frame = decodeFrame(frameWith({}, {tcp: {optionBytes: Uint8Array.of(1, 0, 0xaa, 0xbb)}}));
		assert.deepEqual(frame.tcp?.options, [{kind: 'nop'}, {kind: 'eol'}]);
		assert.deepEqual(frame.tcp?.optionPadding, Uint8Array.of(0xaa, 0xbb));
	});

	it('TCP checksum mismatch: flagged, not rejected', () => {
		const frame = decodeFrame(frameWith({payload: Uint8Array.of(1, 2, 3)}, {tcp: {checksum: 'bad'}}));
		assert.equal(frame.tcpChecksumOk, false);
		assert.equal(frame.ipv4ChecksumOk, true);
		assert.equal(frame.error, undefined);
		assert.deepEqual(frame.payload, Uint8Array.of(1, 2, 3));
	});

	it('AE, reserved bits and the urgent pointer', () => {
		const frame = decodeFrame(frameWith({urgentPointer: 7}, {tcp: {flagsWord: 0xf_ff}}));
		assert.equal(frame.tcp?.flags, 0x1_ff);
		assert.equal(frame.tcp!.flags & tcpFlags.AE, tcpFlags.AE);
		assert.equal(frame.tcp?.reserved, 0b111);
		assert.equal(frame.tcp?.urgentPointer, 7);
		assert.equal(frame.tcpChecksumOk, true);
	});

	it('unknown protocol in IPv4 and unknown EtherType: no error, payload kept', () => {
		const udpish = encodeFrame({
			ethernet: {destination: 1, source: 2},
			ipv4: {source: 3, destination: 4, protocol: 17},
			payload: Uint8Array.of(9, 9, 9),
		}, {pad: false});
		const frame = decodeFrame(udpish);
		assert.equal(frame.error, undefined);
		assert.equal(frame.ipv4?.protocol, 17);
		assert.deepEqual(frame.payload, Uint8Array.of(9, 9, 9));
		const other = decodeFrame(encodeFrame({ethernet: {destination: 1, source: 2, etherType: 0x88_cc}, payload: Uint8Array.of(1)}, {pad: false}));
		assert.deepEqual(other, {length: 15, ethernet: {destination: 1, source: 2, etherType: 0x88_cc}, payload: Uint8Array.of(1)});
	});

	// Not a frame whose total length is below its capture: the bytes past the datagram are padding, not kept.
	it('every malformed frame above re-encodes to its own bytes with exactOverrides', () => {
		const options: TcpOption[] = [{kind: 'sack', blocks: [[1, 2]]}];
		const samples = [
			frameWith({}, {tcp: {dataOffset: 3}}),
			frameWith({}, {tcp: {optionBytes: Uint8Array.of(1, 1, 2, 4)}}),
			frameWith({options}, {tcp: {checksum: 'bad'}, ipv4: {checksum: 'bad'}}),
			frameWith({payload: Uint8Array.of(1, 2, 3, 4)}).subarray(0, 56),
			frameWith({}).subarray(0, 40),
		];
		for (const bytes of samples) {
			const frame = decodeFrame(bytes);
			assert.deepEqual(encodeFrame(frameSpecOf(frame)!, exactOverrides(frame)), bytes);
		}
	});
});
