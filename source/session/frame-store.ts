import {FrameSlab, isSlabCopy} from '../link/frame-slab.js';

type Block = {readonly buffer: ArrayBufferLike; held: number};

/**
 * The packet log's octets: per slot, where the frame lies in a shared block (offset and length in
 * typed arrays), and per block how many held frames lie in it. A block is let go when its last held
 * frame is, and the garbage collector frees it once nobody else has a view of it. Frames the link
 * already copied into a block (`FrameSlab`) are kept where they are; others are copied in.
 */
export class FrameStore {
	readonly #slab = new FrameSlab();
	readonly #ids = new WeakMap<ArrayBufferLike, number>();
	readonly #blocks = new Map<number, Block>();
	#nextId = 0;
	/** The block the last frame went into (a slab copy's), and its id. */
	#last: Block | undefined;
	#lastId = -1;
	#block = new Int32Array(0);
	#offset = new Uint32Array(0);
	#length = new Uint32Array(0);

	/** Room for `slots` frames (keeps what is held). */
	grow(slots: number): void {
		const block = new Int32Array(slots).fill(-1);
		block.set(this.#block);
		const offset = new Uint32Array(slots);
		offset.set(this.#offset);
		const length = new Uint32Array(slots);
		length.set(this.#length);
		this.#block = block;
		this.#offset = offset;
		this.#length = length;
	}

	keep(slot: number, bytes: Uint8Array): void {
		// Frames come one after another from the same block: its id and count are at hand then.
		const last = this.#last;
		if (last !== undefined && bytes.buffer === last.buffer) {
			last.held++;
			this.#block[slot] = this.#lastId;
			this.#offset[slot] = bytes.byteOffset;
			this.#length[slot] = bytes.byteLength;
			return;
		}

		const kept = isSlabCopy(bytes) ? bytes : this.#slab.copy(bytes);
		let id = this.#ids.get(kept.buffer);
		let block = id === undefined ? undefined : this.#blocks.get(id);
		if (id === undefined || block === undefined) {
			id = this.#nextId++;
			block = {buffer: kept.buffer, held: 0};
			this.#blocks.set(id, block);
			this.#ids.set(kept.buffer, id);
		}

		block.held++;
		this.#last = block;
		this.#lastId = id;
		this.#block[slot] = id;
		this.#offset[slot] = kept.byteOffset;
		this.#length[slot] = kept.byteLength;
	}

	/** The slot's frame is no longer held. */
	release(slot: number): void {
		const id = this.#block[slot]!;
		if (id < 0) return;
		this.#block[slot] = -1;
		const block = this.#blocks.get(id);
		if (block === undefined || --block.held > 0) return;
		this.#blocks.delete(id);
		this.#ids.delete(block.buffer);
		if (block === this.#last) this.#last = undefined;
	}

	/** Blocks the store holds frames in (a long session must not make this grow). */
	get blocks(): number {
		return this.#blocks.size;
	}

	/** Octets of the frame in `slot`. */
	length(slot: number): number {
		return this.#length[slot]!;
	}

	bytes(slot: number): Uint8Array {
		const block = this.#blocks.get(this.#block[slot]!);
		if (block === undefined) return new Uint8Array(0);
		return new Uint8Array(block.buffer, this.#offset[slot], this.#length[slot]);
	}
}
