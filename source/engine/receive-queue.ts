/**
 * In-order received data the session has not read yet. What it holds is what the receive window
 * gives away (RFC 9293 §3.8.6.2.2): reading frees window. Chunks are kept as they came (no copy) in
 * an array with a moving head, so both ends are O(1) per chunk.
 */
export class ReceiveQueue {
	#chunks: Uint8Array[] = [];
	#head = 0;
	#size = 0;
	#total = 0;

	/** Octets waiting to be read. */
	get size(): number {
		return this.#size;
	}

	/** Octets ever delivered. */
	get total(): number {
		return this.#total;
	}

	push(chunk: Uint8Array): void {
		if (chunk.length === 0) return;
		this.#chunks.push(chunk);
		this.#size += chunk.length;
		this.#total += chunk.length;
	}

	/** Takes everything waiting, as the chunks it came in (no copy). */
	readChunks(): Uint8Array[] {
		const out = this.#head === 0 ? this.#chunks : this.#chunks.slice(this.#head);
		this.#chunks = [];
		this.#head = 0;
		this.#size = 0;
		return out;
	}

	/** Takes up to `max` octets from the front, copied into one array. */
	read(max = Number.POSITIVE_INFINITY): Uint8Array {
		const length = Math.min(max, this.#size);
		const out = new Uint8Array(length);
		let at = 0;
		while (at < length) {
			const chunk = this.#chunks[this.#head]!;
			const take = Math.min(chunk.length, length - at);
			out.set(take === chunk.length ? chunk : chunk.subarray(0, take), at);
			at += take;
			if (take === chunk.length) {
				this.#chunks[this.#head] = undefined as unknown as Uint8Array;
				this.#head++;
			} else {
				this.#chunks[this.#head] = chunk.subarray(take);
			}
		}

		this.#size -= length;
		if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
			this.#chunks = this.#chunks.slice(this.#head);
			this.#head = 0;
		}

		return out;
	}
}
