import {type CapturedFrame, type Link, type LinkStats, LinkError, timestampNow} from './link.js';
import {FrameSlab} from './frame-slab.js';
import {Listeners} from './listeners.js';

export type MemoryLinkOptions = {
	/** One-way delay in milliseconds applied to every frame. */
	readonly delayMs?: number;
	/** Probability in [0, 1] that a frame is lost on the way. */
	readonly loss?: number;
	/** Source of randomness for loss; seed it in tests. */
	readonly random?: () => number;
	readonly mtu?: number;
};

type End = {name: string; mac: number};

/**
 * Two links joined by a cable in memory, for unit tests of the layers above. Never proof that a
 * feature works on a network: that is what the lab is for.
 */
export function createMemoryLinkPair(
	a: End,
	b: End,
	options: MemoryLinkOptions = {},
): readonly [Link, Link] {
	const left = new MemoryLink(a, options);
	const right = new MemoryLink(b, options);
	left.peer = right;
	right.peer = left;
	return [left, right];
}

class MemoryLink implements Link {
	readonly name: string;
	readonly mac: number;
	readonly mtu: number;
	peer?: MemoryLink;
	readonly #listeners = new Listeners();
	readonly #options: MemoryLinkOptions;
	readonly #timers = new Set<NodeJS.Timeout>();
	readonly #slab = new FrameSlab();
	// Frames built here to send stay apart from the copies handed to the peer, which the peer drops:
	// sharing blocks would keep those alive as long as the log keeps ours.
	readonly #built = new FrameSlab();
	#received = 0;
	#sent = 0;
	#lost = 0;
	#closed = false;

	constructor(end: End, options: MemoryLinkOptions) {
		this.name = end.name;
		this.mac = end.mac;
		this.mtu = options.mtu ?? 1500;
		this.#options = options;
	}

	send(frame: Uint8Array): void {
		if (this.#closed) throw new LinkError(`link ${this.name} is closed`);
		this.#sent++;
		const peer = this.peer;
		if (!peer) return;
		const random = this.#options.random ?? Math.random;
		if (this.#options.loss && random() < this.#options.loss) {
			this.#lost++;
			return;
		}

		// The receiver gets its own copy, as it would from a wire, made as the capture link makes it.
		const copy = this.#slab.copy(frame);
		const delay = this.#options.delayMs ?? 0;
		if (delay <= 0) {
			queueMicrotask(() => peer.deliver(copy));
			return;
		}

		const timer = setTimeout(() => {
			this.#timers.delete(timer);
			peer.deliver(copy);
		}, delay);
		this.#timers.add(timer);
	}

	deliver(bytes: Uint8Array): void {
		if (this.#closed) return;
		this.#received++;
		const frame: CapturedFrame = {bytes, timestamp: timestampNow()};
		this.#listeners.emit(frame);
	}

	frameBuffer(length: number): Uint8Array {
		return this.#built.blank(length);
	}

	onFrame(listener: (frame: CapturedFrame) => void): () => void {
		return this.#listeners.add(listener);
	}

	/** Frames lost on the way out of this end count as this end's drops. */
	stats(): LinkStats {
		return {received: this.#received, sent: this.#sent, dropped: this.#lost, droppedSource: 'exact'};
	}

	close(): void {
		this.#closed = true;
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
	}
}
