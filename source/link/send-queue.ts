/**
 * Frames a packet socket could not take yet, sent in order once it can: what a qdisc does for the
 * kernel's own sockets. libpcap's socket does not block, so when its send buffer is full (the
 * receiving end works on another CPU and has not freed what it was handed yet) send() fails with
 * EAGAIN; dropping those frames would look like loss on the wire to TCP on both ends.
 */
export class SendQueue {
	/** Frames waiting at most: past it a frame is dropped (`dropped`), as a full qdisc drops. */
	readonly limit: number;
	readonly #trySend: (frame: Uint8Array) => boolean;
	readonly #later: (retry: () => void) => void;
	#waiting: Uint8Array[] = [];
	#head = 0;
	#scheduled = false;
	#dropped = 0;
	#held = false;

	/**
	 * `trySend` sends a frame and says whether the socket took it; `later` runs a retry after other
	 * work had its turn (setImmediate on a live link).
	 */
	constructor(trySend: (frame: Uint8Array) => boolean, later: (retry: () => void) => void, limit = 8192) {
		this.#trySend = trySend;
		this.#later = later;
		this.limit = limit;
	}

	/** Frames waiting for the socket. */
	get waiting(): number {
		return this.#waiting.length - this.#head;
	}

	/** Frames dropped because the queue was full. */
	get dropped(): number {
		return this.#dropped;
	}

	/** Frames sent from now on wait until `release` (see Link.cork). */
	hold(): void {
		this.#held = true;
	}

	/** Sends what waits, back to back, as far as the socket takes it; the rest goes on waiting. */
	release(): void {
		if (!this.#held) return;
		this.#held = false;
		this.#flush();
	}

	/** Sends `frame` now, or after the frames waiting before it. */
	send(frame: Uint8Array): void {
		if (!this.#held && this.waiting === 0 && this.#trySend(frame)) return;
		if (this.waiting >= this.limit) {
			this.#dropped++;
			return;
		}

		this.#waiting.push(frame);
		// Held, the release sends it; otherwise a retry a turn later.
		if (!this.#held) this.#schedule();
	}

	/** Forgets what waits (the link closed). */
	clear(): void {
		this.#waiting = [];
		this.#head = 0;
	}

	#schedule(): void {
		if (this.#scheduled) return;
		this.#scheduled = true;
		this.#later(() => {
			this.#scheduled = false;
			this.#flush();
		});
	}

	#flush(): void {
		if (this.#held) return;
		while (this.#head < this.#waiting.length) {
			if (!this.#trySend(this.#waiting[this.#head]!)) {
				this.#schedule();
				return;
			}

			this.#waiting[this.#head++] = undefined as never;
		}

		this.#waiting = [];
		this.#head = 0;
	}
}
