/**
 * Octets the application wrote and the peer has not acknowledged yet, as the chunks they were
 * written in. Offsets count from the first octet held; acknowledged octets leave from the front.
 * `slice` is a view when the range lies in one chunk (the common case: writes larger than the MSS),
 * a copy when it straddles two.
 */
export class SendBuffer {
	#chunks: Uint8Array[] = [];
	#head = 0;
	/** Octets of the head chunk already dropped. */
	#headOffset = 0;
	#size = 0;
	// Where the last slice began, to find the next one without scanning from the front.
	#cursorIndex = 0;
	#cursorStart = 0;

	get size(): number {
		return this.#size;
	}

	write(bytes: Uint8Array): void {
		if (bytes.length === 0) return;
		this.#chunks.push(bytes);
		this.#size += bytes.length;
	}

	/** Drops `count` octets from the front (they were acknowledged). */
	drop(count: number): void {
		let left = Math.min(count, this.#size);
		this.#size -= left;
		while (left > 0) {
			const chunk = this.#chunks[this.#head]!;
			const rest = chunk.length - this.#headOffset;
			if (left < rest) {
				this.#headOffset += left;
				break;
			}

			left -= rest;
			this.#chunks[this.#head] = undefined as unknown as Uint8Array;
			this.#head++;
			this.#headOffset = 0;
		}

		if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
			this.#chunks = this.#chunks.slice(this.#head);
			this.#head = 0;
		}

		this.#cursorIndex = this.#head;
		this.#cursorStart = 0;
		if (this.#size === 0) {
			this.#chunks = [];
			this.#head = 0;
			this.#headOffset = 0;
			this.#cursorIndex = 0;
		}
	}

	/** `length` octets from `offset` (both within what is held). */
	slice(offset: number, length: number): Uint8Array {
		if (offset < 0 || length < 0 || offset + length > this.#size) {
			throw new RangeError(`slice ${offset}+${length} of ${this.#size} held octets`);
		}

		// Chunk positions are counted from the first held octet.
		let index = this.#cursorIndex;
		let start = this.#cursorStart;
		if (index < this.#head || offset < start) {
			index = this.#head;
			start = 0;
		}

		for (;;) {
			const available = this.#available(index);
			if (offset < start + available) break;
			start += available;
			index++;
		}

		this.#cursorIndex = index;
		this.#cursorStart = start;
		const skip = (index === this.#head ? this.#headOffset : 0) + (offset - start);
		const first = this.#chunks[index]!;
		if (skip + length <= first.length) return first.subarray(skip, skip + length);
		const out = new Uint8Array(length);
		let at = 0;
		let from = skip;
		for (let i = index; at < length; i++) {
			const chunk = this.#chunks[i]!;
			const take = Math.min(chunk.length - from, length - at);
			out.set(chunk.subarray(from, from + take), at);
			at += take;
			from = 0;
		}

		return out;
	}

	clear(): void {
		this.#chunks = [];
		this.#head = 0;
		this.#headOffset = 0;
		this.#size = 0;
		this.#cursorIndex = 0;
		this.#cursorStart = 0;
	}

	#available(index: number): number {
		const chunk = this.#chunks[index]!;
		return index === this.#head ? chunk.length - this.#headOffset : chunk.length;
	}
}
