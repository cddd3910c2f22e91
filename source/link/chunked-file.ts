import fs from 'node:fs';

/**
 * A file read forwards a chunk at a time (a pipe works too): `ensure(n)` makes n bytes available at
 * `bytes[start..]`, `consume(n)` moves past them. Memory stays near the chunk size, or the largest
 * block asked for.
 */
export class ChunkedFile {
	bytes: Uint8Array;
	view: DataView;
	start = 0;
	#end = 0;
	/** File offset of bytes[start]. */
	offset: number;
	#eof = false;
	readonly #fd: number;

	constructor(fd: number, chunkSize: number, already: Uint8Array, offset: number) {
		this.#fd = fd;
		this.bytes = new Uint8Array(Math.max(chunkSize, already.length));
		this.bytes.set(already);
		this.#end = already.length;
		this.view = new DataView(this.bytes.buffer);
		this.offset = offset;
	}

	/** Bytes available from `start`. */
	get available(): number {
		return this.#end - this.start;
	}

	/** False when the file ends first. */
	ensure(count: number): boolean {
		while (this.#end - this.start < count && !this.#eof) {
			if (this.start > 0) {
				this.bytes.copyWithin(0, this.start, this.#end);
				this.#end -= this.start;
				this.start = 0;
			}

			if (this.bytes.length < count) {
				const larger = new Uint8Array(count);
				larger.set(this.bytes.subarray(0, this.#end));
				this.bytes = larger;
				this.view = new DataView(larger.buffer);
			}

			const got = fs.readSync(this.#fd, this.bytes, this.#end, this.bytes.length - this.#end, null);
			if (got === 0) this.#eof = true;
			this.#end += got;
		}

		return this.#end - this.start >= count;
	}

	consume(count: number): void {
		this.start += count;
		this.offset += count;
	}
}
