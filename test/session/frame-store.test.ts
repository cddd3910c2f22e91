// The packet log's octets: frames of one block share it, a block is let go with its last frame, and
// a block that comes back after that is counted afresh (the store remembers the last block it used).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {FrameSlab} from '../../source/link/frame-slab.js';
import {FrameStore} from '../../source/session/frame-store.js';

describe('FrameStore', () => {
	test('frames copied into one block share it, and it goes with the last of them', () => {
		// Frames over a sixteenth of a block get a buffer of their own: 100 octets fit a 4 KiB block's rule.
		const slab = new FrameSlab(4096);
		const store = new FrameStore();
		store.grow(8);
		const frames = [1, 2, 3].map(value => slab.copy(new Uint8Array(100).fill(value)));
		assert.ok(frames.every(frame => frame.buffer === frames[0]!.buffer), 'one block');
		for (const [slot, frame] of frames.entries()) store.keep(slot, frame);
		assert.equal(store.blocks, 1);
		assert.deepEqual([0, 1, 2].map(slot => store.bytes(slot)[0]), [1, 2, 3]);
		store.release(0);
		store.release(1);
		assert.equal(store.blocks, 1, 'slot 2 still holds it');
		store.release(2);
		assert.equal(store.blocks, 0);
	});

	test('a block let go and kept again is held again, not counted on a block it forgot', () => {
		const slab = new FrameSlab(1024);
		const store = new FrameStore();
		store.grow(8);
		const first = slab.copy(new Uint8Array(10).fill(7));
		const second = slab.copy(new Uint8Array(10).fill(8));
		store.keep(0, first);
		store.release(0);
		assert.equal(store.blocks, 0);
		store.keep(1, second);
		assert.equal(store.blocks, 1, 'the same buffer, registered again');
		assert.equal(store.bytes(1)[0], 8);
		store.keep(2, slab.copy(new Uint8Array(10).fill(9)));
		store.release(1);
		assert.equal(store.bytes(2)[0], 9, 'still held by slot 2');
		store.release(2);
		assert.equal(store.blocks, 0);
	});

	test('frames not in a slab block are copied in, and blocks alternate correctly', () => {
		const store = new FrameStore();
		store.grow(8);
		const loose = new Uint8Array([4, 5, 6]);
		store.keep(0, loose);
		loose[0] = 99;
		assert.deepEqual([...store.bytes(0)], [4, 5, 6], 'a copy, not a view of the caller\'s bytes');
		const a = new FrameSlab(1024);
		const b = new FrameSlab(1024);
		store.keep(1, a.copy(new Uint8Array([1])));
		store.keep(2, b.copy(new Uint8Array([2])));
		store.keep(3, a.copy(new Uint8Array([3])));
		assert.equal(store.blocks, 3);
		store.release(1);
		assert.equal(store.blocks, 3, 'slot 3 holds block a');
		store.release(3);
		store.release(2);
		store.release(0);
		assert.equal(store.blocks, 0);
	});
});
