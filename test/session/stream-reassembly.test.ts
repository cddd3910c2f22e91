import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {seqAdd} from '../../source/engine/seq.js';
import {reassemble, type StreamSegment, StreamReassembler, type StreamSide} from '../../source/session/stream-reassembly.js';
import {tcpFlags} from '../../source/wire/records.js';

const {SYN, ACK, PSH, RST} = tcpFlags;
const text = (value: string) => new TextEncoder().encode(value);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** `side` sends `payload` at offset `at` of its stream, whose SYN had sequence number `iss`. */
function data(side: StreamSide, iss: number, at: number, payload: string): StreamSegment {
	return {side, seq: seqAdd(iss, 1 + at), flags: ACK | PSH, payload: text(payload)};
}

const syn = (side: StreamSide, iss: number): StreamSegment => ({side, seq: iss, flags: side === 'out' ? SYN : SYN | ACK, payload: new Uint8Array(0)});

describe('StreamReassembler', () => {
	it('puts both directions in the order they were sent, each from the octet after its SYN', () => {
		const stream = reassemble([
			syn('out', 1000), syn('in', 5000),
			data('out', 1000, 0, 'GET / HTTP/1.0\r\n\r\n'),
			data('in', 5000, 0, 'HTTP/1.1 200 OK\r\n'),
			data('in', 5000, 17, '\r\nhello'),
		]);
		assert.equal(decode(stream.bytes('out')), 'GET / HTTP/1.0\r\n\r\n');
		assert.equal(decode(stream.bytes('in')), 'HTTP/1.1 200 OK\r\n\r\nhello');
		// The two segments of the answer are one run: text flows across segment boundaries.
		assert.deepEqual(stream.runs(), [{side: 'out', start: 0, end: 18, gap: false}, {side: 'in', start: 0, end: 24, gap: false}]);
	});

	it('does not repeat a retransmission, and counts it', () => {
		const stream = reassemble([syn('in', 7), data('in', 7, 0, 'abcd'), data('in', 7, 0, 'abcd'), data('in', 7, 4, 'ef'), data('in', 7, 2, 'cdef')]);
		assert.equal(decode(stream.bytes('in')), 'abcdef');
		assert.equal(stream.totals('in').retransmitted, 2);
		assert.equal(stream.totals('in').conflicting, 0);
	});

	it('puts reordered segments back in order', () => {
		const stream = reassemble([syn('in', 0), data('in', 0, 6, 'ghi'), data('in', 0, 3, 'def'), data('in', 0, 0, 'abc')]);
		assert.equal(decode(stream.bytes('in')), 'abcdefghi');
		assert.equal(stream.runs().length, 1);
		assert.equal(stream.totals('in').missing, 0);
	});

	it('keeps a hole that is never filled as a gap, and the data after it', () => {
		const stream = reassemble([syn('in', 0), data('in', 0, 0, 'abc'), data('in', 0, 10, 'xyz')]);
		assert.deepEqual(stream.runs(), [
			{side: 'in', start: 0, end: 3, gap: false},
			{side: 'in', start: 3, end: 10, gap: true},
			{side: 'in', start: 10, end: 13, gap: false},
		]);
		assert.equal(stream.totals('in').missing, 7);
		// Saved with the hole as zeros: every later octet stays at its offset.
		assert.deepEqual([...stream.bytes('in')], [...text('abc'), 0, 0, 0, 0, 0, 0, 0, ...text('xyz')]);
	});

	it('shows an open hole before finishing, and fills it when the segment comes', () => {
		const stream = new StreamReassembler();
		stream.add(syn('in', 0));
		stream.add(data('in', 0, 0, 'ab'));
		stream.add(data('in', 0, 4, 'ef'));
		assert.deepEqual(stream.runs().map(run => [run.start, run.end, run.gap]), [[0, 2, false], [2, 4, true], [4, 6, false]]);
		assert.equal(decode(stream.bytesOf(stream.runs()[2]!)), 'ef');
		assert.equal(stream.totals('in').missing, 2);
		stream.add(data('in', 0, 2, 'cd'));
		assert.deepEqual(stream.runs().map(run => [run.start, run.end, run.gap]), [[0, 6, false]]);
		assert.equal(decode(stream.bytes('in')), 'abcdef');
	});

	it('keeps the first copy where segments overlap, and counts octets that differ', () => {
		// Held out of order, then overlapped by a segment with other contents.
		const stream = reassemble([syn('out', 0), data('out', 0, 4, 'EFGH'), data('out', 0, 2, 'cdefghij'), data('out', 0, 0, 'abXX')]);
		assert.equal(decode(stream.bytes('out')), 'abcdEFGHij');
		assert.equal(stream.totals('out').conflicting, 4 + 2);
	});

	it('keeps the first copy over data already delivered', () => {
		const stream = reassemble([syn('out', 0), data('out', 0, 0, 'abcdef'), data('out', 0, 3, 'XYZgh')]);
		assert.equal(decode(stream.bytes('out')), 'abcdefgh');
		assert.equal(stream.totals('out').conflicting, 3);
	});

	it('follows the sequence numbers across the 2^32 wrap', () => {
		const iss = 0xff_ff_ff_fa;
		const stream = reassemble([syn('in', iss), data('in', iss, 8, 'ijkl'), data('in', iss, 0, 'abcdefgh'), data('in', iss, 0, 'abcd')]);
		assert.equal(decode(stream.bytes('in')), 'abcdefghijkl');
		assert.equal(stream.totals('in').retransmitted, 1);
	});

	it('starts at the first number seen when the capture missed the SYN', () => {
		const stream = reassemble([{side: 'in', seq: 500, flags: ACK, payload: text('mid')}, {side: 'in', seq: 503, flags: ACK, payload: text('dle')}]);
		assert.equal(decode(stream.bytes('in')), 'middle');
	});

	it('takes data on a SYN after the SYN\'s own number, and leaves out a RST\'s text', () => {
		const stream = reassemble([
			{side: 'out', seq: 99, flags: SYN, payload: text('fast')},
			{side: 'out', seq: 104, flags: ACK, payload: text('open')},
			{side: 'out', seq: 108, flags: RST, payload: text('diagnostic')},
		]);
		assert.equal(decode(stream.bytes('out')), 'fastopen');
	});

	it('leaves out a segment more than 2^30 octets ahead (another connection, or garbage): no 4 GiB hole', () => {
		const stream = reassemble([syn('in', 0), data('in', 0, 0, 'ab'), data('in', 0, 2 ** 31, 'zz'), data('in', 0, 2, 'cd')]);
		assert.equal(decode(stream.bytes('in')), 'abcd');
		assert.equal(stream.totals('in').ignored, 1);
		assert.equal(stream.totals('in').missing, 0);
	});

	it('puts a new connection on the same port pair (a new SYN, another ISN) after the first one\'s octets', () => {
		const stream = reassemble([
			syn('out', 100), data('out', 100, 0, 'first '), data('out', 100, 10, 'lost'),
			syn('out', 100), // retransmitted: changes nothing
			syn('out', 0x9000_0000), data('out', 0x9000_0000, 0, 'second'),
		]);
		assert.equal(decode(stream.bytes('out')), 'first \0\0\0\0lostsecond');
		assert.equal(stream.totals('out').missing, 4);
		assert.equal(stream.totals('out').ignored, 0);
	});

	it('gives back the stream whatever the cut, order, copies and ISN (property)', () => {
		fc.assert(fc.property(
			fc.uint8Array({minLength: 1, maxLength: 400}),
			fc.integer({min: 0, max: 0xff_ff_ff_ff}),
			fc.array(fc.tuple(fc.nat(399), fc.integer({min: 1, max: 60})), {minLength: 1, maxLength: 40}),
			fc.array(fc.nat(), {maxLength: 60}),
			(body, iss, cuts, order) => {
				// Every octet is covered once in order, then random extra copies of random ranges.
				const pieces: Array<[number, number]> = [];
				for (let at = 0, i = 0; at < body.length; i++) {
					const length = cuts[i % cuts.length]![1];
					pieces.push([at, Math.min(body.length, at + length)]);
					at += length;
				}

				for (const [from, length] of cuts) if (from < body.length) pieces.push([from, Math.min(body.length, from + length)]);
				for (const [index, swap] of order.entries()) {
					const a = index % pieces.length;
					const b = swap % pieces.length;
					[pieces[a], pieces[b]] = [pieces[b]!, pieces[a]!];
				}

				const stream = reassemble([syn('in', iss), ...pieces.map(([from, to]) => ({side: 'in' as const, seq: seqAdd(iss, 1 + from), flags: ACK, payload: body.subarray(from, to)}))]);
				assert.deepEqual(stream.bytes('in'), body);
				assert.equal(stream.totals('in').missing, 0);
				assert.equal(stream.totals('in').conflicting, 0);
			},
		), {numRuns: 300});
	});

	it('reassembles a 2 MiB transfer sent in 1448-octet segments with every fourth one late', () => {
		const body = Uint8Array.from({length: 2 * 1024 * 1024}, (_, i) => (i * 31 + (i >> 11)) & 0xff);
		const segments: StreamSegment[] = [syn('in', 0x7f_ff_00_00)];
		const mss = 1448;
		let late: StreamSegment | undefined;
		for (let at = 0, n = 0; at < body.length; at += mss, n++) {
			const segment = {side: 'in' as const, seq: seqAdd(0x7f_ff_00_00, 1 + at), flags: ACK, payload: body.subarray(at, at + mss)};
			if (n % 4 === 1) {
				late = segment;
				continue;
			}

			segments.push(segment);
			if (late) segments.push(late);
			late = undefined;
		}

		if (late) segments.push(late);
		const stream = reassemble(segments);
		assert.deepEqual(stream.bytes('in'), body);
		assert.equal(stream.runs().length, 1);
	});
});
