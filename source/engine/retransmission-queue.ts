import {type Seq, seqAdd, seqLe, seqLt, seqSub} from './seq.js';

/** A sent segment not yet fully acknowledged. SYN and FIN occupy a sequence number each. */
export type Unacked = {
	readonly seq: Seq;
	readonly syn: boolean;
	readonly fin: boolean;
	readonly payload: Uint8Array;
	/** `now` of the first transmission, and of the latest. */
	readonly firstSentAt: number;
	lastSentAt: number;
	transmissions: number;
};

export function unackedLength(entry: Unacked): number {
	return entry.payload.length + (entry.syn ? 1 : 0) + (entry.fin ? 1 : 0);
}

/**
 * Sent, unacknowledged sequence space in order (RFC 9293 §3.10.7.4: "any segments on the
 * retransmission queue that are thereby entirely acknowledged are removed"). Entries leave from the
 * front in O(1) each; a partly acknowledged entry is trimmed so a retransmission starts at SND.UNA.
 */
export class RetransmissionQueue {
	#entries: Unacked[] = [];
	#head = 0;

	get length(): number {
		return this.#entries.length - this.#head;
	}

	oldest(): Unacked | undefined {
		return this.#entries[this.#head];
	}

	newest(): Unacked | undefined {
		return this.length > 0 ? this.#entries.at(-1) : undefined;
	}

	push(entry: Unacked): void {
		this.#entries.push(entry);
	}

	/** Drops everything before `ack`. */
	acknowledge(ack: Seq): void {
		while (this.#head < this.#entries.length) {
			const entry = this.#entries[this.#head]!;
			const end = seqAdd(entry.seq, unackedLength(entry));
			if (seqLe(end, ack)) {
				this.#entries[this.#head] = undefined as unknown as Unacked;
				this.#head++;
				continue;
			}

			if (seqLt(entry.seq, ack)) {
				// A SYN, if any, is the first sequence number the ACK covers.
				const skip = seqSub(ack, entry.seq) - (entry.syn ? 1 : 0);
				this.#entries[this.#head] = {...entry, seq: ack, syn: false, payload: entry.payload.subarray(skip)};
			}

			break;
		}

		if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
			this.#entries = this.#entries.slice(this.#head);
			this.#head = 0;
		}
	}

	clear(): void {
		this.#entries = [];
		this.#head = 0;
	}
}
