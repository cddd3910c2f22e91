// Follow a TCP stream, as Wireshark's "Follow TCP Stream" does: the frames of one connection (both
// directions, in the order they were captured) become the in-order octets of each direction, with
// holes kept as gaps. Pure: no I/O, no clock. Shared by the TUI's stream view and `read --stream`.
import {type Seq, seqAdd, seqDiff} from '../engine/seq.js';
import {tcpFlags} from '../wire/records.js';

/** `out`: sent by the side shown as ours; `in`: sent to it. */
export type StreamSide = 'out' | 'in';

export type StreamSegment = {
	readonly side: StreamSide;
	readonly seq: Seq;
	readonly flags: number;
	readonly payload: Uint8Array;
};

/**
 * A stretch of one side's octets, in the order the sides sent them. `start`/`end` are offsets in that
 * side's stream (0 = the octet after its SYN). A gap's octets were never seen.
 */
export type StreamRun = {
	readonly side: StreamSide;
	readonly start: number;
	readonly end: number;
	readonly gap: boolean;
};

export type SideTotals = {
	/** Octets in order so far (gaps included once finished). */
	readonly length: number;
	/** Octets of holes never filled (after finish), or still open (before). */
	readonly missing: number;
	/** Segments whose every octet had been seen already. */
	readonly retransmitted: number;
	/** Octets seen again with different contents (the first copy was kept). */
	readonly conflicting: number;
	/** Segments too far ahead of the stream to belong to it (more than 2^30 octets), left out. */
	readonly ignored: number;
};

/**
 * RFC 7323 §2.3: a window is at most 2^30 octets, so no sender has data further ahead than that of
 * what its peer has taken. A segment beyond it belongs to another connection (a reused port pair) or
 * is garbage; taking it would make a hole of up to 4 GiB.
 */
const maxAhead = 2 ** 30;

type Held = {start: number; bytes: Uint8Array};

class SideState {
	base: Seq | undefined;
	/** Octets delivered in order (the next offset expected). */
	next = 0;
	buffer = new Uint8Array(4096);
	/** Out-of-order octets: sorted, never overlapping. */
	held: Held[] = [];
	retransmitted = 0;
	conflicting = 0;
	ignored = 0;
	gapOctets = 0;

	/** The offset of `seq`, unwrapped near `next`: sequence wrap and streams over 4 GiB both work. */
	offsetOf(seq: Seq): number {
		return this.next + seqDiff(seq, seqAdd(this.base!, this.next));
	}

	append(bytes: Uint8Array | number): void {
		const length = typeof bytes === 'number' ? bytes : bytes.length;
		if (this.next + length > this.buffer.length) {
			let size = this.buffer.length;
			while (size < this.next + length) size *= 2;
			const grown = new Uint8Array(size);
			grown.set(this.buffer.subarray(0, this.next));
			this.buffer = grown;
		}

		// A gap's octets stay zero: offsets in the buffer are offsets in the stream.
		if (typeof bytes !== 'number') this.buffer.set(bytes, this.next);
		this.next += length;
	}
}

/**
 * Overlaps: the first copy seen wins, as in Wireshark and in our engine's receive queue (an octet the
 * receiver has taken cannot be taken back; RFC 9293 §3.10.7.4 keeps only "new" data). A later copy
 * that differs is counted in `conflicting`, since it means one side sent two versions of the stream.
 */
export class StreamReassembler {
	readonly #sides = {out: new SideState(), in: new SideState()};
	readonly #runs: StreamRun[] = [];
	/** Bumped on every change: views rebuild only when it moved. */
	version = 0;

	add(segment: StreamSegment): void {
		const side = this.#sides[segment.side];
		const syn = (segment.flags & tcpFlags.SYN) !== 0;
		// RFC 9293 §3.4: the SYN occupies the sequence number before the first data octet.
		if (syn) this.#syn(segment.side, seqAdd(segment.seq, 1));
		// Without a SYN (a capture started mid-connection), the stream starts at the first number seen.
		side.base ??= segment.seq;
		// RFC 9293 §3.5.3: a RST's payload is diagnostic text, not stream data.
		if (segment.payload.length === 0 || (segment.flags & tcpFlags.RST) !== 0) return;
		let start = side.offsetOf(syn ? seqAdd(segment.seq, 1) : segment.seq);
		let bytes = segment.payload;
		if (start - side.next > maxAhead) {
			side.ignored++;
			return;
		}

		if (start + bytes.length <= side.next) {
			this.#compare(side, start, bytes);
			side.retransmitted++;
			return;
		}

		if (start < side.next) {
			this.#compare(side, start, bytes.subarray(0, side.next - start));
			bytes = bytes.subarray(side.next - start);
			start = side.next;
		}

		// In order with nothing held (almost every segment): straight into the stream, no copy kept.
		if (start === side.next && side.held.length === 0) {
			this.version++;
			this.#deliver(segment.side, bytes);
			return;
		}

		if (!this.#hold(side, start, bytes)) {
			side.retransmitted++;
			return;
		}

		this.version++;
		while (side.held[0]?.start === side.next) this.#deliver(segment.side, side.held.shift()!.bytes);
	}

	/** Holes that were never filled become gaps: after this, each side's octets are final. */
	finish(): void {
		this.#flush('out');
		this.#flush('in');
		this.version++;
	}

	#flush(name: StreamSide): void {
		const side = this.#sides[name];
		for (const held of side.held.splice(0)) {
			this.#gap(name, held.start - side.next);
			this.#deliver(name, held.bytes);
		}
	}

	/**
	 * A SYN whose first data octet is not the stream's start: a new connection on the same port pair
	 * (RFC 9293 §3.4's quiet time over, a new ISN). Its octets follow the old ones'.
	 */
	#syn(name: StreamSide, dataStart: Seq): void {
		const side = this.#sides[name];
		if (side.base === undefined || (side.next === 0 && side.held.length === 0)) {
			side.base = dataStart;
			return;
		}

		// A retransmitted SYN names the same start.
		if (side.offsetOf(dataStart) === 0) return;
		this.#flush(name);
		side.base = seqAdd(dataStart, -side.next);
		this.version++;
	}

	/** Runs in the order they were sent, then (before `finish`) each side's holes and held data. */
	runs(): StreamRun[] {
		const tail: StreamRun[] = [];
		for (const name of ['out', 'in'] as const) {
			const side = this.#sides[name];
			let at = side.next;
			for (const held of side.held) {
				tail.push({side: name, start: at, end: held.start, gap: true}, {side: name, start: held.start, end: held.start + held.bytes.length, gap: false});
				at = held.start + held.bytes.length;
			}
		}

		return tail.length === 0 ? [...this.#runs] : [...this.#runs, ...tail];
	}

	/** The octets of a data run (for held data too). */
	bytesOf(run: StreamRun): Uint8Array {
		const side = this.#sides[run.side];
		if (run.start >= side.next) return side.held.find(held => held.start === run.start)?.bytes.subarray(0, run.end - run.start) ?? new Uint8Array(0);
		return side.buffer.subarray(run.start, run.end);
	}

	/** One side's octets in order; after `finish`, gaps are zeros and the length is the whole stream. */
	bytes(side: StreamSide): Uint8Array {
		const state = this.#sides[side];
		return state.buffer.subarray(0, state.next);
	}

	totals(side: StreamSide): SideTotals {
		const state = this.#sides[side];
		const open = state.held.length === 0 ? 0 : state.held.at(-1)!.start + state.held.at(-1)!.bytes.length - state.next - state.held.reduce((sum, held) => sum + held.bytes.length, 0);
		return {length: state.next, missing: state.gapOctets + open, retransmitted: state.retransmitted, conflicting: state.conflicting, ignored: state.ignored};
	}

	#compare(side: SideState, start: number, bytes: Uint8Array): void {
		// Octets before the stream's start (a capture that began mid-connection) were never seen.
		const from = Math.max(0, -start);
		for (let i = from; i < bytes.length; i++) {
			if (side.buffer[start + i] !== bytes[i]) {
				side.conflicting += bytes.length - i;
				return;
			}
		}
	}

	/** Keeps the octets of [start, start + length) that no held block has: false when there are none. */
	#hold(side: SideState, start: number, bytes: Uint8Array): boolean {
		const end = start + bytes.length;
		const held = side.held;
		let added = false;
		let at = start;
		// The first block that ends after `start`.
		let index = 0;
		while (index < held.length && held[index]!.start + held[index]!.bytes.length <= start) index++;
		while (at < end) {
			const block = held[index];
			if (!block || block.start >= end) {
				held.splice(index, 0, {start: at, bytes: bytes.slice(at - start)});
				return true;
			}

			if (block.start > at) {
				held.splice(index, 0, {start: at, bytes: bytes.slice(at - start, block.start - start)});
				index++;
				added = true;
			}

			// The block's copy wins where the two overlap.
			const overlapEnd = Math.min(end, block.start + block.bytes.length);
			const from = Math.max(at, block.start);
			for (let i = from; i < overlapEnd; i++) {
				if (block.bytes[i - block.start] !== bytes[i - start]) {
					side.conflicting += overlapEnd - i;
					break;
				}
			}

			at = overlapEnd;
			index++;
		}

		return added;
	}

	#deliver(name: StreamSide, bytes: Uint8Array): void {
		const side = this.#sides[name];
		const last = this.#runs.at(-1);
		if (last && last.side === name && !last.gap && last.end === side.next) this.#runs[this.#runs.length - 1] = {...last, end: side.next + bytes.length};
		else this.#runs.push({side: name, start: side.next, end: side.next + bytes.length, gap: false});
		side.append(bytes);
	}

	#gap(name: StreamSide, length: number): void {
		if (length <= 0) return;
		const side = this.#sides[name];
		this.#runs.push({side: name, start: side.next, end: side.next + length, gap: true});
		side.append(length);
		side.gapOctets += length;
	}
}

/** Every segment, then `finish`: what `read --stream` prints and the stream view of a capture shows. */
export function reassemble(segments: Iterable<StreamSegment>): StreamReassembler {
	const reassembler = new StreamReassembler();
	for (const segment of segments) reassembler.add(segment);
	reassembler.finish();
	return reassembler;
}
