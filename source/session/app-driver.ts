import type {SendResult} from '../engine/connection.js';
import type {Clock} from './clock.js';
import type {Entry} from './connection-entry.js';
import {type ReaderMode, slowReaderTickMs} from './reader.js';

/** Told of every read, with the octets read (in stream order, per connection). */
export type ReadListener = (id: number, bytes: Uint8Array) => void;

/** What the application side needs of the session around it. */
export type AppParts = {
	readonly clock: Clock;
	/** The reader policy in force (`read`). */
	readonly readerMode: () => ReaderMode;
	/** Sends auto mode's segments for a connection and records their events. */
	readonly emitAll: (entry: Entry, results: readonly SendResult[]) => void;
	/** After an app wrote or closed: sends what may go now, and keeps timers and subscribers current. */
	readonly output: (entry: Entry) => void;
	readonly rearm: (entry: Entry) => void;
	readonly changed: () => void;
};

/**
 * The application in front of each connection: the app `serve` runs on it (its reads and writes),
 * or else the reader policy (`arrival`, `slow`, `manual`) that takes what arrives; and who hears
 * every read.
 */
export class AppDriver {
	readonly #parts: AppParts;
	readonly #readListeners = new Set<ReadListener>();

	constructor(parts: AppParts) {
		this.#parts = parts;
	}

	onRead(listener: ReadListener): () => void {
		this.#readListeners.add(listener);
		return () => this.#readListeners.delete(listener);
	}

	/** Takes up to `max` octets received in order, as an application's read does: it frees receive window. */
	read(entry: Entry, max?: number): Uint8Array {
		const bytes = entry.connection.read(max);
		// Reading nothing changes nothing: no notification, so a subscriber that reads stays finite.
		if (bytes.length === 0) return bytes;
		this.#delivered(entry, bytes);
		if (entry.remote) this.#parts.emitAll(entry, entry.autopilot.afterRead(this.#parts.clock.now()));
		this.#parts.rearm(entry);
		this.#parts.changed();
		return bytes;
	}

	/** Starts the app of a connection that `serve` gave one, with what already waits for it. */
	start(entry: Entry): void {
		if (entry.app || !entry.serve) return;
		const {autopilot} = entry;
		entry.app = entry.serve();
		entry.io = {
			write: bytes => {
				autopilot.write(bytes);
				this.#parts.output(entry);
			},
			close: () => {
				autopilot.close();
				this.#parts.output(entry);
			},
		};
		if (entry.connection.readable > 0) this.#feedApp(entry);
	}

	/** After the engine took a segment: a listener with an app that took a SYN starts it; data waiting goes to the app or the reader. */
	taken(entry: Entry): void {
		const {connection} = entry;
		const state = connection.state;
		if (entry.serve && !entry.app && state !== 'LISTEN' && state !== 'CLOSED') this.start(entry);
		if (entry.app && connection.readable > 0) this.#feedApp(entry);
		else if (connection.readable > 0) this.startReader(entry);
	}

	/** The peer closed: an app is told (it may close in turn); false when no app runs on the connection. */
	peerClosed(entry: Entry): boolean {
		if (!entry.app) return false;
		entry.app.end?.(entry.io!);
		return true;
	}

	/**
	 * The reader policy on data that waits (apps read for themselves): `arrival` takes it all now,
	 * before the ACK that follows is built, so that ACK carries the open window; `slow` starts its
	 * clock; `manual` leaves it for `read`.
	 */
	startReader(entry: Entry): void {
		const mode = this.#parts.readerMode();
		if (entry.app || entry.serve || entry.connection.readable === 0) {
			if (mode !== 'slow') stopReader(entry);
			return;
		}

		switch (mode) {
			case 'arrival': {
				stopReader(entry);
				const chunks = entry.connection.readChunks();
				for (const chunk of chunks) this.#delivered(entry, chunk);
				// Window updates (RFC 9293 §3.8.6.2.2) when a reader switched on frees a closed window.
				if (entry.remote) this.#parts.emitAll(entry, entry.autopilot.afterRead(this.#parts.clock.now()));
				break;
			}

			case 'slow': {
				if (!entry.readBudget.running) {
					const now = this.#parts.clock.now();
					entry.readBudget.take(now, 0);
					entry.readTimer.arm(now + slowReaderTickMs);
				}

				break;
			}

			case 'manual': {
				stopReader(entry);
				break;
			}
		}
	}

	/** The slow reader's tick: its share of what waits; it stops when nothing does. */
	slowRead(entry: Entry): void {
		if (this.#parts.readerMode() !== 'slow' || entry.app || entry.serve) {
			stopReader(entry);
			return;
		}

		const now = this.#parts.clock.now();
		const share = entry.readBudget.take(now, entry.connection.readable);
		if (share > 0) this.read(entry, share);
		if (entry.connection.readable > 0) entry.readTimer.arm(now + slowReaderTickMs);
		else stopReader(entry);
	}

	#feedApp(entry: Entry): void {
		const chunks = entry.connection.readChunks();
		for (const chunk of chunks) {
			this.#delivered(entry, chunk);
			entry.app!.data?.(chunk, entry.io!);
		}
	}

	#delivered(entry: Entry, bytes: Uint8Array): void {
		entry.bytesRead += bytes.length;
		for (const listener of this.#readListeners) listener(entry.id, bytes);
	}
}

/** The slow reader's timer stops, and its clock with it: an idle reader saves no allowance up. */
export function stopReader(entry: Entry): void {
	entry.readTimer.stop();
	entry.readBudget.idle();
}
