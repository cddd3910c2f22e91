// When an ACK for in-order data goes out in auto mode's `delayed` policy.
import {seqGt, seqSub} from './seq.js';
import type {Tcb} from './tcb.js';

/** In-order data received and not yet acknowledged by a segment of ours. */
export function unacknowledgedOctets(tcb: Readonly<Tcb>): number {
	if (tcb.lastAckSent === undefined || tcb.irs === undefined) return 0;
	return seqGt(tcb.rcvNxt, tcb.lastAckSent) ? seqSub(tcb.rcvNxt, tcb.lastAckSent) : 0;
}

/**
 * RFC 9293 §3.8.6.3: an ACK at least every second full-sized segment, counted per receive batch (up
 * to `coalesceLimit`), and no later than `delayMs` after the data arrived (RFC 1122 §4.2.3.2).
 */
export class DelayedAck {
	readonly delayMs: number;
	readonly coalesceLimit: number;
	/** When in-order data first went unacknowledged (the delayed-ACK clock). */
	#pendingSince: number | undefined;
	#flushWanted = false;
	/** The largest segment the peer sent, as Linux's rcv_mss: what "full-sized" means for ACKing. */
	#rcvMss = 536;

	constructor(delayMs: number, coalesceLimit: number) {
		this.delayMs = delayMs;
		this.coalesceLimit = coalesceLimit;
	}

	/** An ACK is due when the receive batch ends. */
	get flushWanted(): boolean {
		return this.#flushWanted;
	}

	/** A segment with `payloadLength` octets arrived. */
	sawSegment(payloadLength: number): void {
		if (payloadLength > this.#rcvMss) this.#rcvMss = payloadLength;
	}

	/** In-order data arrived and its ACK was held back: true when `pending` octets cannot wait. */
	hold(now: number, pending: number): boolean {
		if (pending === 0) return false;
		if (pending >= this.coalesceLimit) return true;
		this.#pendingSince ??= now;
		if (pending >= 2 * this.#rcvMss) this.#flushWanted = true;
		return false;
	}

	/** The receive batch ended: true when the ACK of `pending` octets is due now. */
	flush(pending: number): boolean {
		this.#flushWanted = false;
		return pending > 0 && pending >= 2 * this.#rcvMss;
	}

	/** When the held ACK must go at the latest. */
	dueAt(): number | undefined {
		return this.#pendingSince === undefined ? undefined : this.#pendingSince + this.delayMs;
	}

	/** True once, when the delay has run out; the clock stops. */
	expired(now: number): boolean {
		const due = this.dueAt();
		if (due === undefined || now < due) return false;
		this.#pendingSince = undefined;
		return true;
	}

	/** Nothing is left unacknowledged: the clock stops. */
	clear(): void {
		this.#pendingSince = undefined;
	}
}
