import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {parseIpv4, parseMac} from '../../source/wire/addresses.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type DecodedFrame, etherTypes, type TcpOption, tcpFlags} from '../../source/wire/records.js';
import {type ConnectionNumbers, malformedText, summarizeFrame, tcpFlagText, TcpdumpPrinter} from '../../source/wire/summary.js';
import {segmentBetween} from '../helpers/frames.js';

const {ACK, FIN, PSH, SYN, AE} = tcpFlags;
const local = {mac: parseMac('02:00:00:00:00:0a'), ip: parseIpv4('198.18.0.10'), port: 40_000};
const remote = {mac: parseMac('02:00:00:00:00:02'), ip: parseIpv4('198.18.0.2'), port: 7};

type Segment = {seq: number; ack?: number; flags: number; payload?: string; sack?: Array<readonly [number, number]>};

function segment(fromLocal: boolean, fields: Segment): DecodedFrame {
	const [from, to] = fromLocal ? [local, remote] : [remote, local];
	const options: TcpOption[] = fields.sack ? [{kind: 'nop'}, {kind: 'nop'}, {kind: 'sack', blocks: fields.sack}] : [];
	return decodeFrame(segmentBetween(from, to, {...fields, options}));
}

/** The part of a line from `seq`/`ack`/`Flags` on, without the addresses. */
function numbers(line: string): string {
	return line.replace(/^IP [\d.]+ > [\d.]+: /, '').replace(/, win \d+/, '');
}

describe('tcpFlagText', () => {
	test('letters in tcpdump\'s order, "none" for no flags, AE not shown (tcpdump 4.99 reads byte 13 only)', () => {
		assert.equal(tcpFlagText(SYN | ACK), 'S.');
		assert.equal(tcpFlagText(FIN | PSH | ACK), 'FP.');
		assert.equal(tcpFlagText(0), 'none');
		assert.equal(tcpFlagText(0xff), 'FSRP.UEW');
		assert.equal(tcpFlagText(AE | ACK), '.');
	});
});

describe('TcpdumpPrinter: print-tcp.c relative numbers', () => {
	const iss = 0xff_ff_ff_f0; // wraps within the first 16 bytes
	const irs = 5000;
	const handshake = [
		segment(true, {seq: iss, flags: SYN}),
		segment(false, {seq: irs, ack: iss + 1, flags: SYN | ACK}),
		segment(true, {seq: iss + 1, ack: irs + 1, flags: ACK}),
		segment(true, {seq: iss + 1, ack: irs + 1, flags: PSH | ACK, payload: 'x'.repeat(40)}),
		segment(false, {seq: irs + 1, ack: iss + 41, flags: ACK, sack: [[(iss + 81) >>> 0, (iss + 121) >>> 0]]}),
	];

	test('SYN and the first ACK-bearing segment print absolute; the rest relative, across the wrap', () => {
		const printer = new TcpdumpPrinter();
		assert.deepEqual(handshake.map(frame => numbers(printer.line(frame))), [
			`Flags [S], seq ${iss}, length 0`,
			`Flags [S.], seq ${irs}, ack ${iss + 1}, length 0`,
			'Flags [.], ack 1, length 0',
			'Flags [P.], seq 1:41, ack 1, length 40',
			'Flags [.], ack 41, options [nop,nop,sack 1 {81:121}], length 0',
		]);
	});

	test('-S (absolute) prints the numbers on the wire, SACK edges included', () => {
		const printer = new TcpdumpPrinter({absolute: true});
		const lines = handshake.map(frame => numbers(printer.line(frame)));
		assert.equal(lines[3], `Flags [P.], seq ${(iss + 1) >>> 0}:${(iss + 41) >>> 0}, ack ${irs + 1}, length 40`);
		assert.equal(lines[4], `Flags [.], ack ${(iss + 41) >>> 0}, options [nop,nop,sack 1 {${(iss + 81) >>> 0}:${(iss + 121) >>> 0}}], length 0`);
	});

	test('a flow first seen mid-stream: that segment absolute, the following ones relative to it', () => {
		const printer = new TcpdumpPrinter();
		const first = printer.line(segment(true, {seq: 1000, ack: 2000, flags: ACK, payload: 'abc'}));
		const second = printer.line(segment(true, {seq: 1003, ack: 2000, flags: ACK, payload: 'de'}));
		const answer = printer.line(segment(false, {seq: 2000, ack: 1005, flags: ACK}));
		assert.equal(numbers(first), 'Flags [.], seq 1000:1003, ack 2000, length 3');
		assert.equal(numbers(second), 'Flags [.], seq 3:5, ack 1, length 2');
		assert.equal(numbers(answer), 'Flags [.], ack 5, length 0');
	});

	test('a new SYN-ACK on the same ports starts the numbering over', () => {
		const printer = new TcpdumpPrinter();
		for (const frame of handshake) {
			printer.line(frame);
		}

		assert.equal(numbers(printer.line(segment(false, {seq: 9, ack: 100, flags: SYN | ACK}))), 'Flags [S.], seq 9, ack 100, length 0');
		assert.equal(numbers(printer.line(segment(true, {seq: 100, ack: 10, flags: ACK, payload: 'z'}))), 'Flags [.], seq 1:2, ack 1, length 1');
	});

	test('printers keep separate tables, and reset() forgets the flows', () => {
		const printer = new TcpdumpPrinter();
		for (const frame of handshake) {
			printer.line(frame);
		}

		const fresh = new TcpdumpPrinter();
		assert.match(fresh.line(handshake[3]!), new RegExp(`seq ${(iss + 1) >>> 0}:`));
		printer.reset();
		assert.match(printer.line(handshake[3]!), new RegExp(`seq ${(iss + 1) >>> 0}:`));
	});
});

describe('summarizeFrame: numbers relative to a connection', () => {
	const iss = 0xff_ff_ff_f0;
	const irs = 5000;
	const connection: ConnectionNumbers = {local, remote, iss, irs};

	test('every segment of the connection, SYNs included, relative to its own ISS/IRS', () => {
		const lines = [
			segment(true, {seq: iss, flags: SYN}),
			segment(false, {seq: irs, ack: iss + 1, flags: SYN | ACK}),
			segment(true, {seq: iss + 1, ack: irs + 1, flags: PSH | ACK, payload: 'hello'}),
			segment(false, {seq: irs + 1, ack: iss + 1, flags: ACK, sack: [[(iss + 11) >>> 0, (iss + 21) >>> 0]]}),
		].map(frame => numbers(summarizeFrame(frame, {relativeTo: connection})));
		assert.deepEqual(lines, [
			'Flags [S], seq 0, length 0',
			'Flags [S.], seq 0, ack 1, length 0',
			'Flags [P.], seq 1:6, ack 1, length 5',
			'Flags [.], ack 1, options [nop,nop,sack 1 {11:21}], length 0',
		]);
	});

	test('before the peer\'s SYN is known its numbers stay absolute, ours are relative', () => {
		const line = summarizeFrame(segment(false, {seq: irs, ack: iss + 1, flags: SYN | ACK}), {relativeTo: {local, remote, iss}});
		assert.equal(numbers(line), `Flags [S.], seq ${irs}, ack 1, length 0`);
	});

	test('segments of another flow, and calls without a connection, are absolute', () => {
		const other = {...connection, remote: {...remote, port: 8}};
		const frame = segment(true, {seq: iss + 1, ack: irs + 1, flags: ACK, payload: 'a'});
		const absolute = `Flags [.], seq ${(iss + 1) >>> 0}:${(iss + 2) >>> 0}, ack ${irs + 1}, length 1`;
		assert.equal(numbers(summarizeFrame(frame, {relativeTo: other})), absolute);
		assert.equal(numbers(summarizeFrame(frame)), absolute);
	});
});

describe('malformed frames', () => {
	const good = tcpFrame({sourceMac: local.mac, destinationMac: remote.mac, source: local.ip, destination: remote.ip, sourcePort: 1, destinationPort: 2, seq: 1, flags: SYN});

	test('annotateErrors appends the decoder\'s fault after tcpdump\'s own truncation marker', () => {
		const cut = decodeFrame(good.subarray(0, 14 + 20 + 10));
		assert.ok(cut.error);
		const tcpdumpLine = 'IP truncated-ip - 10 bytes missing! 198.18.0.10.1 > 198.18.0.2.2:  [|tcp]';
		assert.equal(summarizeFrame(cut), tcpdumpLine);
		assert.equal(summarizeFrame(cut, {annotateErrors: true}), `${tcpdumpLine} ${malformedText(cut)}`);
		assert.match(malformedText(cut), /^\[malformed: tcp header: truncated: 10 of 20 bytes\]$/);
	});

	test('a well-formed frame gets no annotation', () => {
		const frame = decodeFrame(good);
		assert.equal(frame.error, undefined);
		assert.equal(summarizeFrame(frame, {annotateErrors: true}), summarizeFrame(frame));
		assert.equal(malformedText(frame), '');
	});

	test('no input makes the printer throw, whatever the bytes', () => {
		const printer = new TcpdumpPrinter();
		fc.assert(fc.property(fc.uint8Array({maxLength: 120}), fc.integer({min: 0, max: 13}), (tail, cut) => {
			// Random bytes behind a plausible Ethernet/IPv4/TCP start reach deeper than pure noise.
			const bytes = new Uint8Array([...good.subarray(0, 14 + cut), ...tail]);
			const line = printer.line(decodeFrame(bytes));
			assert.equal(typeof line, 'string');
			assert.ok(!line.includes('\n'));
		}), {numRuns: 3000, seed: 7});
	});
});

describe('approximations (tcpdump adds lines or decodes further)', () => {
	function frameOf(etherType: number, payload: number[]): DecodedFrame {
		return decodeFrame(new Uint8Array([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, etherType >>> 8, etherType & 0xff, ...payload]));
	}

	test('an unknown EtherType: tcpdump\'s first line (addresses, type, length), without the hex dump', () => {
		assert.equal(summarizeFrame(frameOf(0x88_b5, Array.from({length: 46}, () => 0))),
			'02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype Unknown (0x88b5), length 60: ');
	});

	test('an unknown ARP operation: tcpdump\'s first line, without the hex dump', () => {
		const arp = [0, 1, 8, 0, 6, 4, 0, 77, 2, 0, 0, 0, 0, 2, 198, 18, 0, 2, 2, 0, 0, 0, 0, 1, 198, 18, 0, 10];
		assert.equal(summarizeFrame(frameOf(etherTypes.arp, arp)), 'ARP, Unknown (77) ');
	});

	test('IPv6: compressed addresses (the first of two equal zero runs, RFC 5952 §4.2.3); TCP in full, other next headers as ip-proto-N', () => {
		const header = (nextHeader: number, payloadLength: number): number[] => [
			0x60, 0, 0, 0, payloadLength >>> 8, payloadLength & 0xff, nextHeader, 64,
			0xfe, 0x80, ...Array.from({length: 13}, () => 0), 1,
			0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2,
		];
		const tcp = [0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, SYN, 0xfa, 0xf0, 0, 0, 0, 0];
		assert.equal(summarizeFrame(frameOf(etherTypes.ipv6, [...header(6, 20), ...tcp])),
			'IP6 fe80::1.40000 > 2001:db8::1:0:0:2.80: Flags [S], seq 1, win 64240, length 0');
		assert.equal(summarizeFrame(frameOf(etherTypes.ipv6, [...header(58, 8), ...Array.from({length: 8}, () => 0)])),
			'IP6 fe80::1 > 2001:db8::1:0:0:2: ip-proto-58 8');
	});
});
