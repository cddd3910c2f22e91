import type {Timestamp} from '../wire/timestamp.js';
import type {Severity} from '../engine/verdict.js';
import {decodeFrame} from '../wire/decode.js';
import type {DecodedFrame} from '../wire/records.js';
import {FrameStore} from './frame-store.js';

export type Direction = 'in' | 'out';

/** Why a frame matters: an engine verdict, an ARP claim event, later a fault applied to it. */
export type Annotation = {
	readonly code: string;
	readonly text: string;
	readonly severity: Severity;
	readonly rfc?: string;
};

export type LogEntry = {
	/** 1-based frame number, as Wireshark counts. */
	readonly number: number;
	readonly direction: Direction;
	readonly timestamp: Timestamp;
	readonly bytes: Uint8Array;
	/** Decoded when first read: frames nobody looks at (a bulk transfer's) cost no decode. */
	readonly frame: DecodedFrame;
	readonly annotations: readonly Annotation[];
	/** The connection the frame belongs to, when one does. */
	readonly connection?: number;
};

export type NewEntry = Omit<LogEntry, 'number' | 'frame'>;

/** One held frame, made when someone asks for it: the log itself keeps no object per frame. */
class EntryView implements LogEntry {
	readonly number: number;
	readonly direction: Direction;
	readonly timestamp: Timestamp;
	readonly bytes: Uint8Array;
	readonly annotations: readonly Annotation[];
	readonly connection?: number;
	#frame: DecodedFrame | undefined;

	constructor(number: number, direction: Direction, timestamp: Timestamp, bytes: Uint8Array, annotations: readonly Annotation[], connection: number) {
		this.number = number;
		this.direction = direction;
		this.timestamp = timestamp;
		this.bytes = bytes;
		this.annotations = annotations;
		if (connection >= 0) this.connection = connection;
	}

	get frame(): DecodedFrame {
		this.#frame ??= decodeFrame(this.bytes);
		return this.#frame;
	}
}

export type LogTotals = {
	readonly framesIn: number;
	readonly framesOut: number;
	readonly bytesIn: number;
	readonly bytesOut: number;
};

const noAnnotations: readonly Annotation[] = Object.freeze([]);
export const defaultLogSize = 100_000;
/** The most frame octets the log keeps, whatever `capacity` says: the process stays under 300 MB full (docs/performance.md). */
export const defaultLogBytes = 96 * (1 << 20);
/** Slots are allocated as the log fills, doubling up to the capacity: a short session stays small. */
const firstSlots = 1024;

/**
 * Every frame in and out, the newest `capacity` kept for display (`--log-size`), as long as they
 * take at most `maxBytes` (`--log-memory`); totals count all of them. A ring, so appending stays O(1)
 * however long a session runs, and memory stops growing once it is full.
 *
 * Frames are kept as columns (typed arrays) and their octets in shared blocks (`FrameStore`), never as
 * an object per frame, which every garbage collection would trace (docs/performance.md). `at` and
 * `slice` build the entries a view asks for.
 */
export class PacketLog {
	readonly capacity: number;
	readonly maxBytes: number;
	readonly #store = new FrameStore();
	#slots = 0;
	#seconds = new Float64Array(0);
	#nanoseconds = new Uint32Array(0);
	#outgoing = new Uint8Array(0);
	#connection = new Int32Array(0);
	#annotations: Array<readonly Annotation[]> = [];
	/** The slot of the oldest held frame, and how many are held. */
	#first = 0;
	#held = 0;
	#heldBytes = 0;
	#count = 0;
	#framesIn = 0;
	#framesOut = 0;
	#bytesIn = 0;
	#bytesOut = 0;

	constructor(capacity = defaultLogSize, maxBytes = defaultLogBytes) {
		if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`the log must hold at least one frame, not ${capacity}`);
		if (!(maxBytes >= 1)) throw new RangeError(`the log must hold at least one octet, not ${maxBytes}`);
		this.capacity = capacity;
		this.maxBytes = maxBytes;
	}

	/** Logs a frame and gives back its entry (see `add`). */
	append(entry: NewEntry): LogEntry {
		this.add(entry);
		return new EntryView(this.#count, entry.direction, entry.timestamp, entry.bytes, entry.annotations, entry.connection ?? -1);
	}

	/**
	 * Logs a frame (its octets are copied unless the link already made them a copy in a block). No
	 * entry object: most frames (a transfer's) are logged and never looked at by their sender.
	 */
	add(entry: NewEntry): void {
		if (this.#held === this.capacity) this.#evict();
		const slot = (this.#first + this.#held) % this.capacity;
		while (slot >= this.#slots) this.#grow();
		this.#store.keep(slot, entry.bytes);
		this.#seconds[slot] = entry.timestamp.seconds;
		this.#nanoseconds[slot] = entry.timestamp.nanoseconds;
		const outgoing = entry.direction === 'out';
		this.#outgoing[slot] = outgoing ? 1 : 0;
		this.#connection[slot] = entry.connection ?? -1;
		this.#annotations[slot] = entry.annotations.length === 0 ? noAnnotations : entry.annotations;
		this.#held++;
		this.#heldBytes += entry.bytes.length;
		// The newest frame stays, however big.
		while (this.#heldBytes > this.maxBytes && this.#held > 1) this.#evict();
		this.#count++;
		if (outgoing) {
			this.#framesOut++;
			this.#bytesOut += entry.bytes.length;
		} else {
			this.#framesIn++;
			this.#bytesIn += entry.bytes.length;
		}
	}

	/** Frames ever appended. */
	get count(): number {
		return this.#count;
	}

	/** Frames still held (at most `capacity`, and fewer when they would take more than `maxBytes`). */
	get size(): number {
		return this.#held;
	}

	/** Octets of the frames held. */
	get heldBytes(): number {
		return this.#heldBytes;
	}

	/** Shared blocks the held frames lie in (see `FrameStore`). */
	get blocks(): number {
		return this.#store.blocks;
	}

	totals(): LogTotals {
		return {framesIn: this.#framesIn, framesOut: this.#framesOut, bytesIn: this.#bytesIn, bytesOut: this.#bytesOut};
	}

	/** The held entry at position `index` (0 = oldest held). */
	at(index: number): LogEntry | undefined {
		if (!Number.isInteger(index) || index < 0 || index >= this.size) return undefined;
		const slot = (this.#first + index) % this.capacity;
		const number = this.#count - this.#held + index + 1;
		return new EntryView(
			number,
			this.#outgoing[slot] === 1 ? 'out' : 'in',
			{seconds: this.#seconds[slot]!, nanoseconds: this.#nanoseconds[slot]!},
			this.#store.bytes(slot),
			this.#annotations[slot]!,
			this.#connection[slot]!,
		);
	}

	/** Held entries from `start` (0 = oldest held), at most `count` of them. */
	slice(start: number, count: number): LogEntry[] {
		const out: LogEntry[] = [];
		for (let i = Math.max(0, start); i < this.size && out.length < count; i++) out.push(this.at(i)!);
		return out;
	}

	#evict(): void {
		this.#heldBytes -= this.#store.length(this.#first);
		this.#store.release(this.#first);
		this.#annotations[this.#first] = noAnnotations;
		this.#first = (this.#first + 1) % this.capacity;
		this.#held--;
	}

	#grow(): void {
		const slots = Math.min(this.capacity, Math.max(firstSlots, this.#slots * 2));
		this.#seconds = grown(this.#seconds, new Float64Array(slots));
		this.#nanoseconds = grown(this.#nanoseconds, new Uint32Array(slots));
		this.#outgoing = grown(this.#outgoing, new Uint8Array(slots));
		this.#connection = grown(this.#connection, new Int32Array(slots));
		this.#store.grow(slots);
		this.#slots = slots;
	}
}

function grown<T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(old: T, next: T): T {
	next.set(old as never);
	return next;
}
