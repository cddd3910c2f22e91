import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parseIpv4, parseMac} from '../../source/wire/addresses.js';
import {arpKind} from '../../source/wire/arp.js';
import {arpFrame, tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {encodeFrame, encodeFrameInto, type TcpFrameSpec, frameLength} from '../../source/wire/encode.js';
import {tcpFlags} from '../../source/wire/records.js';
import {kernelFrame} from './kernel-frames-fixture.js';

const ours = parseMac('02:00:00:00:00:0a');
const peer = parseMac('4a:0d:e8:95:8a:05');
const ourIp = parseIpv4('198.18.0.10');
const peerIp = parseIpv4('198.18.0.2');

const synSpec: TcpFrameSpec = {
	ethernet: {destination: peer, source: ours},
	ipv4: {source: ourIp, destination: peerIp},
	tcp: {sourcePort: 40_000, destinationPort: 80, seq: 7, flags: tcpFlags.SYN},
};

describe('encodeFrame', () => {
	it('pads short frames to 60 bytes with zeros by default, and not when asked', () => {
		const padded = encodeFrame(synSpec);
		assert.equal(padded.length, 60);
		assert.deepEqual(padded.subarray(54), new Uint8Array(6));
		assert.equal(encodeFrame(synSpec, {pad: false}).length, 54);
		assert.equal(frameLength(synSpec), 60);
		assert.equal(frameLength(synSpec, {pad: false}), 54);
		const decoded = decodeFrame(padded);
		assert.equal(decoded.ipv4?.totalLength, 40);
		assert.equal(decoded.payload?.length, 0);
	});

	it('computes EtherType, lengths and checksums that the decoder accepts', () => {
		const frame = decodeFrame(encodeFrame(synSpec));
		assert.equal(frame.ethernet?.etherType, 0x08_00);
		assert.equal(frame.ipv4?.protocol, 6);
		assert.equal(frame.ipv4?.headerLength, 20);
		assert.equal(frame.tcp?.headerLength, 20);
		assert.equal(frame.ipv4ChecksumOk, true);
		assert.equal(frame.tcpChecksumOk, true);
	});

	it('encodes into a caller buffer at an offset, overwriting stale bytes', () => {
		const buffer = new Uint8Array(100).fill(0xee);
		const written = encodeFrameInto(synSpec, buffer, 10);
		assert.equal(written, 60);
		assert.deepEqual(buffer.subarray(10, 70), encodeFrame(synSpec));
		assert.equal(buffer[9], 0xee);
		assert.equal(buffer[70], 0xee);
	});

	it('reproduces a kernel SYN from a hand-written spec', () => {
		const options = [
			{kind: 'mss', value: 1460},
			{kind: 'sackOK'},
			{kind: 'timestamps', value: 2_152_919_136, echo: 0},
			{kind: 'nop'},
			{kind: 'wscale', shift: 10},
		] as const;
		const bytes = encodeFrame({
			ethernet: {destination: parseMac('4a:0d:e8:95:8a:05'), source: parseMac('7a:82:51:1e:de:9a')},
			ipv4: {source: parseIpv4('198.18.1.1'), destination: parseIpv4('198.18.1.2'), identification: 28_863},
			tcp: {sourcePort: 49_650, destinationPort: 80, seq: 313_257_872, flags: tcpFlags.SYN, window: 64_240, options},
		});
		assert.deepEqual(bytes, kernelFrame('syn'));
	});

	it('overrides break exactly the field asked for', () => {
		const plain = encodeFrame(synSpec, {pad: false});
		const ihl = encodeFrame(synSpec, {pad: false, ipv4: {ihl: 6}});
		assert.equal(ihl[14], 0x46);
		const total = encodeFrame(synSpec, {pad: false, ipv4: {totalLength: 999}});
		assert.equal((total[16]! << 8) | total[17]!, 999);
		const fixed = encodeFrame(synSpec, {pad: false, ipv4: {checksum: 0x12_34}, tcp: {checksum: 0xab_cd}});
		assert.equal((fixed[24]! << 8) | fixed[25]!, 0x12_34);
		assert.equal((fixed[50]! << 8) | fixed[51]!, 0xab_cd);
		const offset = encodeFrame(synSpec, {pad: false, tcp: {dataOffset: 9}});
		assert.equal(offset[46]! >>> 4, 9);
		const word = encodeFrame(synSpec, {pad: false, tcp: {flagsWord: 0xe_12}});
		assert.equal(word[46]! & 0x0f, 0xe);
		assert.equal(word[47], 0x12);
		const raw = encodeFrame(synSpec, {pad: false, tcp: {optionBytes: Uint8Array.of(30, 3, 9)}});
		assert.equal(raw.length, 58);
		assert.deepEqual(raw.subarray(54), Uint8Array.of(30, 3, 9, 0));
		assert.equal(raw[46]! >>> 4, 6);
		// Everything not overridden is as in the plain frame.
		assert.deepEqual(total.subarray(0, 16), plain.subarray(0, 16));
		assert.deepEqual(offset.subarray(0, 46), plain.subarray(0, 46));
	});

	it("'bad' checksums fail verification, good ones pass", () => {
		const bad = decodeFrame(encodeFrame(synSpec, {ipv4: {checksum: 'bad'}, tcp: {checksum: 'bad'}}));
		assert.equal(bad.ipv4ChecksumOk, false);
		assert.equal(bad.tcpChecksumOk, false);
	});

	it('pads TCP options to 32 bits with zeros (RFC 9293 §3.1)', () => {
		const frame = decodeFrame(encodeFrame({...synSpec, tcp: {...synSpec.tcp, options: [{kind: 'sackOK'}]}}));
		assert.equal(frame.tcp?.headerLength, 24);
		assert.deepEqual(frame.tcp?.options, [{kind: 'sackOK'}, {kind: 'eol'}]);
		assert.deepEqual(frame.tcp?.optionPadding, Uint8Array.of(0));
	});
});

describe('builders', () => {
	it('tcpFrame: TTL 64, DF, window 64240, no options', () => {
		const frame = decodeFrame(tcpFrame({
			sourceMac: ours, destinationMac: peer, source: ourIp, destination: peerIp,
			sourcePort: 40_000, destinationPort: 80, seq: 1, flags: tcpFlags.SYN,
		}));
		assert.equal(frame.ipv4?.ttl, 64);
		assert.equal(frame.ipv4?.dontFragment, true);
		assert.equal(frame.tcp?.window, 64_240);
		assert.deepEqual(frame.tcp?.options, []);
		assert.equal(frame.tcp?.ack, 0);
		assert.equal(frame.length, 60);
		assert.equal(frame.tcpChecksumOk, true);
	});

	it('arpFrame: requests broadcast, replies go to the target; probe and announcement', () => {
		const request = decodeFrame(arpFrame({senderMac: ours, senderIp: ourIp, targetIp: peerIp}));
		assert.equal(request.ethernet?.destination, 0xff_ff_ff_ff_ff_ff);
		assert.equal(request.arp?.operation, 1);
		assert.equal(request.arp?.targetMac, 0);
		assert.equal(request.length, 60);
		assert.equal(arpKind(request.arp!), 'request');
		const reply = decodeFrame(arpFrame({operation: 2, senderMac: ours, senderIp: ourIp, targetMac: peer, targetIp: peerIp}));
		assert.equal(reply.ethernet?.destination, peer);
		assert.equal(arpKind(reply.arp!), 'reply');
		const probe = decodeFrame(arpFrame({senderMac: ours, senderIp: 0, targetIp: ourIp}));
		assert.equal(arpKind(probe.arp!), 'probe');
		const announcement = decodeFrame(arpFrame({senderMac: ours, senderIp: ourIp, targetIp: ourIp}));
		assert.equal(arpKind(announcement.arp!), 'announcement');
	});
});
