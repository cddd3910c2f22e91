import type {MacAddress} from '../wire/records.js';
import type {Timestamp} from '../wire/timestamp.js';

// A frame's time is part of a link's contract, so its users may still name it from here.
export type {Timestamp} from '../wire/timestamp.js';

export type CapturedFrame = {
	/** A copy the receiver may keep: never a view of a buffer the link reuses. */
	readonly bytes: Uint8Array;
	readonly timestamp: Timestamp;
	/** The frame is one we sent (a link that sees its own transmissions marks them). */
	readonly outgoing?: boolean;
};

export type LinkStats = {
	readonly received: number;
	readonly sent: number;
	readonly dropped: number;
	/**
	 * `pcap` when the capture library reported the drops itself; `estimate` when they are derived from
	 * the interface's counters; `exact` for links that cannot lose frames unseen (memory).
	 */
	readonly droppedSource: 'pcap' | 'estimate' | 'exact';
	/** Milliseconds spent inside the capture library's send(), for the benchmarks (live links only). */
	readonly sendMs?: number;
	/** Frames sent that the socket refused at first (EAGAIN) and that waited (live links only). */
	readonly sendWaits?: number;
	/** Frames dropped because too many waited already (live links only; see SendQueue). */
	readonly sendDropped?: number;
};

export type FrameListener = (frame: CapturedFrame) => void;

/** Moves Ethernet frames. The only kind of object in synack that touches the network. */
export type Link = {
	readonly name: string;
	readonly mac: MacAddress;
	readonly mtu: number;
	send(frame: Uint8Array): void;
	/**
	 * Frames sent until `uncork` wait, and then go out back to back (as TCP_CORK holds a socket's):
	 * sends spaced out by the work between them cost the peer a wake-up each (docs/performance.md).
	 * Links with nothing to gain need not have them.
	 */
	cork?(): void;
	uncork?(): void;
	/**
	 * Zeroed memory to build an outgoing frame in (`FrameSlab.blank`): the packet log then keeps the
	 * frame as it is instead of copying it into fresh memory.
	 */
	frameBuffer(length: number): Uint8Array;
	/** Returns a function that removes the listener. */
	onFrame(listener: FrameListener): () => void;
	stats(): LinkStats;
	close(): void;
};

// Wall-clock time read once, then advanced by the monotonic clock: frame times never go backwards
// (NTP steps included) and keep nanosecond resolution.
const epochNanoseconds = BigInt(Date.now()) * 1_000_000n;
const monotonicAtEpoch = process.hrtime.bigint();

export function timestampNow(): Timestamp {
	const ns = epochNanoseconds + (process.hrtime.bigint() - monotonicAtEpoch);
	return {seconds: Number(ns / 1_000_000_000n), nanoseconds: Number(ns % 1_000_000_000n)};
}

export class LinkError extends Error {
	override readonly name = 'LinkError';
}
