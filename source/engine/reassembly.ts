import {type Seq, seqAdd, seqLe, seqLt, seqSub} from './seq.js';

type Block = {start: Seq; data: Uint8Array};

export type HoldResult = {
	/** Octets not held before. */
	readonly added: number;
	/** Octets already held (a retransmission of out-of-order data). */
	readonly duplicate: number;
};

/**
 * Out-of-order data waiting for the hole before it to fill (RFC 9293 §3.10.7.4, seventh step: "segments
 * with higher beginning sequence numbers may be held"). Blocks never overlap: where a new segment
 * overlaps held data only its new octets are kept, so a retransmission that covers received data in
 * part is trimmed, never dropped. Blocks stay sorted; a handful are held at a time, so inserting is a
 * binary search and a splice, and delivery pops from the front.
 */
export class Reassembly {
	readonly #blocks: Block[] = [];
	#held = 0;
	#fin: Seq | undefined;

	/** Octets held. */
	get size(): number {
		return this.#held;
	}

	get blockCount(): number {
		return this.#blocks.length;
	}

	/** The sequence number of a FIN that arrived out of order, if any. */
	get fin(): Seq | undefined {
		return this.#fin;
	}

	holdFin(seq: Seq): void {
		this.#fin = seq;
	}

	/** Holds `data` at `seq`. Comparisons are relative to `rcvNxt`, which must lie before `seq`. */
	hold(seq: Seq, data: Uint8Array, rcvNxt: Seq): HoldResult {
		const blocks = this.#blocks;
		const end = seqAdd(seq, data.length);
		const pieces: Block[] = [];
		let cursor = seq;
		let index = this.#firstEndingAfter(seq, rcvNxt);
		const insertAt = index;
		for (; index < blocks.length; index++) {
			const block = blocks[index]!;
			const blockEnd = seqAdd(block.start, block.data.length);
			if (!seqLt(block.start, end)) break;
			if (seqLt(cursor, block.start)) {
				pieces.push({start: cursor, data: data.subarray(seqSub(cursor, seq), seqSub(block.start, seq))});
			}

			if (seqLt(cursor, blockEnd)) cursor = blockEnd;
			if (!seqLt(cursor, end)) break;
		}

		if (seqLt(cursor, end)) pieces.push({start: cursor, data: data.subarray(seqSub(cursor, seq))});
		let added = 0;
		for (const piece of pieces) added += piece.data.length;
		if (pieces.length > 0) {
			// Pieces fall in the gaps between blocks insertAt.. ; insert each before the first block after it.
			let at = insertAt;
			for (const piece of pieces) {
				while (at < blocks.length && seqLt(blocks[at]!.start, piece.start)) at++;
				blocks.splice(at, 0, piece);
				at++;
			}
		}

		this.#held += added;
		return {added, duplicate: data.length - added};
	}

	/**
	 * Takes the held data that now continues the stream at `rcvNxt`, in order, dropping what `rcvNxt`
	 * has passed already.
	 */
	take(rcvNxt: Seq): Uint8Array[] {
		const blocks = this.#blocks;
		const out: Uint8Array[] = [];
		let next = rcvNxt;
		let drop = 0;
		while (drop < blocks.length) {
			const block = blocks[drop]!;
			const blockEnd = seqAdd(block.start, block.data.length);
			if (seqLt(next, block.start)) break;
			drop++;
			this.#held -= block.data.length;
			if (seqLe(blockEnd, next)) continue;
			const fresh = block.data.subarray(seqSub(next, block.start));
			out.push(fresh);
			next = blockEnd;
		}

		if (drop > 0) blocks.splice(0, drop);
		return out;
	}

	/** Held ranges as [left, right) pairs with adjacent blocks joined, for SACK (RFC 2018 §3). */
	ranges(): Array<[Seq, Seq]> {
		const out: Array<[Seq, Seq]> = [];
		for (const block of this.#blocks) {
			const end = seqAdd(block.start, block.data.length);
			const last = out.at(-1);
			if (last && last[1] === block.start) last[1] = end;
			else out.push([block.start, end]);
		}

		return out;
	}

	clear(): void {
		this.#blocks.length = 0;
		this.#held = 0;
		this.#fin = undefined;
	}

	#firstEndingAfter(seq: Seq, rcvNxt: Seq): number {
		const blocks = this.#blocks;
		const target = seqSub(seq, rcvNxt);
		let low = 0;
		let high = blocks.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			const block = blocks[mid]!;
			if (seqSub(block.start, rcvNxt) + block.data.length <= target) low = mid + 1;
			else high = mid;
		}

		return low;
	}
}
