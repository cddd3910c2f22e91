import {seqAdd} from '../engine/seq.js';
import type {TcpRecord} from '../wire/records.js';
import type {Annotation} from './packet-log.js';

type Copies = {last: number; interval: number | undefined};

const remembered = 256;

/**
 * Says why the peer did what it did, when that follows from what we did: its retransmission timer
 * backing off while we hold our ACKs (RFC 6298 §5.5). Keeps the newest few segments per connection.
 */
export class Explainer {
	readonly #segments = new Map<number, Map<string, Copies>>();
	/** Segments a fault dropped whose repeat has not come yet, per connection. */
	readonly #awaited = new Map<number, Set<string>>();

	/** A fault dropped this segment: its repeat will be a retransmission the engine cannot see as one. */
	dropped(connection: number, tcp: TcpRecord, now: number): void {
		this.incoming(connection, tcp, now, false);
		const awaited = this.#awaited.get(connection) ?? new Set<string>();
		awaited.add(keyOf(tcp));
		this.#awaited.set(connection, awaited);
	}

	/** Whether segments of this connection still need watching (a dropped one has not come again). */
	watching(connection: number): boolean {
		return (this.#awaited.get(connection)?.size ?? 0) > 0;
	}

	/**
	 * Every incoming segment of a connection, dropped ones included; `now` in seconds;
	 * `retransmission`: the engine already judged it one.
	 */
	incoming(connection: number, tcp: TcpRecord, now: number, retransmission: boolean): Annotation[] {
		if (tcp.payload.length === 0 && !(tcp.flags & 0x03)) return [];
		let seen = this.#segments.get(connection);
		if (!seen) {
			seen = new Map();
			this.#segments.set(connection, seen);
		}

		const key = keyOf(tcp);
		this.#awaited.get(connection)?.delete(key);
		const copies = seen.get(key);
		if (!copies) {
			seen.set(key, {last: now, interval: undefined});
			if (seen.size > remembered) seen.delete(seen.keys().next().value!);
			return [];
		}

		const interval = now - copies.last;
		const before = copies.interval;
		copies.last = now;
		copies.interval = interval;
		// The engine judges against what it saw; a copy a fault kept from it is still a repeat.
		const notes: Annotation[] = retransmission ? [] : [{code: 'retransmission', text: 'retransmission: the peer sent this before (that copy never reached the engine)', severity: 'info', rfc: 'RFC 9293 §3.8.1'}];
		if (before === undefined || before <= 0) return notes;
		const ratio = interval / before;
		const text = ratio >= 1.5
			? `RTO backoff: ${interval.toFixed(3)} s after the last copy, ${ratio.toFixed(1)}x the ${before.toFixed(3)} s before (timer doubled, RFC 6298 §5.5)`
			: `sent again ${interval.toFixed(3)} s after the last copy (${ratio.toFixed(1)}x the interval before)`;
		return [...notes, {code: 'explain', text, severity: 'info', rfc: 'RFC 6298 §5.5'}];
	}

	forget(connection: number): void {
		this.#segments.delete(connection);
		this.#awaited.delete(connection);
	}
}

function keyOf(tcp: TcpRecord): string {
	return `${tcp.seq}:${seqAdd(tcp.seq, tcp.payload.length)}`;
}
