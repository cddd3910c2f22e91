import type {Timestamp} from '../link/link.js';
import type {Severity} from '../engine/verdict.js';
import {decodeFrame} from '../wire/decode.js';
import type {DecodedFrame} from '../wire/records.js';

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
	/** Decoded when first read: frames nobody looks at (a bulk transfer's) cost no decode and no memory. */
	readonly frame: DecodedFrame;
	readonly annotations: readonly Annotation[];
	/** The connection the frame belongs to, when one does. */
	readonly connection?: number;
};

export type NewEntry = Omit<LogEntry, 'number' | 'frame'>;

class Logged implements LogEntry {
	readonly number: number;
	readonly direction: Direction;
	readonly timestamp: Timestamp;
	readonly bytes: Uint8Array;
	readonly annotations: readonly Annotation[];
	readonly connection?: number;
	#frame: DecodedFrame | undefined;

	constructor(number: number, entry: NewEntry) {
		this.number = number;
		this.direction = entry.direction;
		this.timestamp = entry.timestamp;
		this.bytes = entry.bytes;
		this.annotations = entry.annotations;
		if (entry.connection !== undefined) this.connection = entry.connection;
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

/**
 * Every frame in and out, newest `capacity` kept for display; totals count all of them. A ring
 * buffer, so appending stays O(1) however long a session runs.
 */
export class PacketLog {
	readonly #ring: Array<LogEntry | undefined>;
	#next = 0;
	#count = 0;
	#totals = {framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0};

	constructor(readonly capacity = 100_000) {
		this.#ring = new Array<LogEntry | undefined>(capacity);
	}

	append(entry: NewEntry): LogEntry {
		const full = new Logged(this.#count + 1, entry);
		this.#ring[this.#next] = full;
		this.#next = (this.#next + 1) % this.capacity;
		this.#count++;
		if (entry.direction === 'in') {
			this.#totals.framesIn++;
			this.#totals.bytesIn += entry.bytes.length;
		} else {
			this.#totals.framesOut++;
			this.#totals.bytesOut += entry.bytes.length;
		}

		return full;
	}

	/** Frames ever appended. */
	get count(): number {
		return this.#count;
	}

	/** Frames still held (at most `capacity`). */
	get size(): number {
		return Math.min(this.#count, this.capacity);
	}

	totals(): LogTotals {
		return {...this.#totals};
	}

	/** The held entry at position `index` (0 = oldest held). */
	at(index: number): LogEntry | undefined {
		if (index < 0 || index >= this.size) return undefined;
		const oldest = this.#count > this.capacity ? this.#next : 0;
		return this.#ring[(oldest + index) % this.capacity];
	}

	/** Held entries from `start` (0 = oldest held), at most `count` of them. */
	slice(start: number, count: number): LogEntry[] {
		const out: LogEntry[] = [];
		for (let i = Math.max(0, start); i < this.size && out.length < count; i++) out.push(this.at(i)!);
		return out;
	}
}
