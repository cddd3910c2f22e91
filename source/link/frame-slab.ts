/**
 * Buffers whose octets are never written again once handed out: frames copied by a `FrameSlab`.
 * Whoever keeps frames (the packet log) may keep views of these as they are, without a copy.
 */
const immutable = new WeakSet<ArrayBufferLike>();

/** The frame is a copy in a block nobody will overwrite (see `FrameSlab`). */
export function isSlabCopy(bytes: Uint8Array): boolean {
	return immutable.has(bytes.buffer);
}

/**
 * Copies frames into large shared blocks and hands out views of them: one ArrayBuffer per frame
 * costs the garbage collector far more while the log holds it (docs/performance.md). A block is
 * freed once no view of it is left (at a major GC). Blocks are 64 KiB, under glibc's mmap threshold,
 * so freed pages can be reused warm; a live link carves them from `memory` (`PrefaultedMemory`).
 */
export class FrameSlab {
	readonly blockSize: number;
	#block: Uint8Array | undefined;
	#used = 0;
	readonly #memory: (() => ArrayBufferLike | undefined) | undefined;
	#arena: ArrayBufferLike | undefined;
	#arenaUsed = 0;

	/** `memory`, when given, offers large buffers to carve blocks from before allocating one. */
	constructor(blockSize = 64 << 10, memory?: () => ArrayBufferLike | undefined) {
		this.blockSize = blockSize;
		this.#memory = memory;
	}

	/**
	 * A copy of `source`'s first `length` octets that stays valid after `source` is reused. Give a plain
	 * Uint8Array: views of a Buffer go through Buffer's constructor, which costs more than the copy.
	 */
	copy(source: Uint8Array, length = source.length): Uint8Array {
		const view = this.#take(length);
		view.set(length === source.length ? source : source.subarray(0, length));
		return view;
	}

	/**
	 * `length` zeroed octets to build a frame in, which whoever keeps it (the packet log) keeps without a
	 * copy. Write it once, before anyone else sees it: from then on it is as immutable as a copy.
	 */
	blank(length: number): Uint8Array {
		return this.#take(length).fill(0);
	}

	#take(length: number): Uint8Array {
		// A frame that would take a big bite of a block gets a buffer of its own, so that it cannot
		// keep a mostly-evicted block alive on its own.
		if (length > this.blockSize >> 4) {
			const own = new Uint8Array(length);
			immutable.add(own.buffer);
			return own;
		}

		if (this.#block === undefined || this.#used + length > this.blockSize) {
			this.#block = this.#carve() ?? this.#allocate();
			this.#used = 0;
		}

		const at = this.#used;
		this.#used = at + length;
		return this.#block.subarray(at, at + length);
	}

	#carve(): Uint8Array | undefined {
		if (this.#memory === undefined) return undefined;
		if (this.#arena === undefined || this.#arenaUsed + this.blockSize > this.#arena.byteLength) {
			this.#arena = this.#memory();
			this.#arenaUsed = 0;
			if (this.#arena === undefined) return undefined;
			immutable.add(this.#arena);
		}

		const block = new Uint8Array(this.#arena, this.#arenaUsed, this.blockSize);
		this.#arenaUsed += this.blockSize;
		return block;
	}

	#allocate(): Uint8Array {
		// Uninitialized: zeroing 64 KiB per block was 3 % of a bulk download, and no view ever covers
		// an octet that was not copied in first.
		const memory = Buffer.allocUnsafeSlow(this.blockSize);
		const block = new Uint8Array(memory.buffer, memory.byteOffset, this.blockSize);
		immutable.add(block.buffer);
		return block;
	}
}
