import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {FrameSlab, isSlabCopy} from '../../source/link/frame-slab.js';
import {PacketLog} from '../../source/session/packet-log.js';

function frame(length: number, seed: number): Uint8Array {
	const bytes = new Uint8Array(length);
	for (let i = 0; i < length; i++) bytes[i] = (seed * 31 + i) & 0xff;
	return bytes;
}

const at = (seconds: number) => ({seconds, nanoseconds: seconds * 7 % 1_000_000_000});

describe('PacketLog', () => {
	it('numbers frames from 1 and gives back what was appended, in order', () => {
		const log = new PacketLog(10);
		const note = [{code: 'x', text: 'x', severity: 'info' as const}];
		log.append({direction: 'out', timestamp: at(1), bytes: frame(60, 1), annotations: []});
		const second = log.append({direction: 'in', timestamp: at(2), bytes: frame(70, 2), annotations: note, connection: 3});
		assert.equal(second.number, 2);
		assert.equal(log.count, 2);
		assert.equal(log.size, 2);
		const [first, again] = log.slice(0, 5);
		assert.equal(first!.number, 1);
		assert.equal(first!.direction, 'out');
		assert.equal(first!.connection, undefined);
		assert.deepEqual(first!.annotations, []);
		assert.deepEqual(first!.bytes, frame(60, 1));
		assert.equal(again!.direction, 'in');
		assert.equal(again!.connection, 3);
		assert.deepEqual(again!.annotations, note);
		assert.deepEqual(again!.timestamp, at(2));
		assert.deepEqual(again!.bytes, frame(70, 2));
		assert.equal(log.at(2), undefined);
		assert.equal(log.at(-1), undefined);
	});

	it('holds the newest frames once full, with totals over every frame', () => {
		const log = new PacketLog(3);
		for (let i = 1; i <= 10; i++) log.append({direction: i % 2 === 0 ? 'in' : 'out', timestamp: at(i), bytes: frame(50 + i, i), annotations: []});
		assert.equal(log.count, 10);
		assert.equal(log.size, 3);
		assert.deepEqual(log.slice(0, 10).map(entry => entry.number), [8, 9, 10]);
		assert.deepEqual(log.at(0)!.bytes, frame(58, 8));
		assert.deepEqual(log.at(0)!.timestamp, at(8));
		assert.deepEqual(log.totals(), {framesIn: 5, framesOut: 5, bytesIn: 50 * 5 + 2 + 4 + 6 + 8 + 10, bytesOut: 50 * 5 + 1 + 3 + 5 + 7 + 9});
	});

	it('keeps its own copy of a frame the caller may reuse', () => {
		const log = new PacketLog(4);
		const reused = frame(64, 1);
		log.append({direction: 'out', timestamp: at(1), bytes: reused, annotations: []});
		reused.fill(0);
		assert.deepEqual(log.at(0)!.bytes, frame(64, 1));
	});

	it('keeps a frame the link copied into a block where it lies', () => {
		const slab = new FrameSlab();
		const copy = slab.copy(frame(100, 5));
		assert.ok(isSlabCopy(copy));
		const log = new PacketLog(4);
		log.append({direction: 'in', timestamp: at(1), bytes: copy, annotations: []});
		const held = log.at(0)!.bytes;
		assert.equal(held.buffer, copy.buffer);
		assert.equal(held.byteOffset, copy.byteOffset);
	});

	it('decodes a held frame when asked', () => {
		const log = new PacketLog(2);
		log.append({direction: 'in', timestamp: at(1), bytes: new Uint8Array(10), annotations: []});
		const decoded = log.at(0)!.frame;
		assert.equal(decoded.length, 10);
		assert.ok(decoded.error, 'a 10-octet frame is malformed');
	});

	it('lets go of blocks as frames leave: a long session does not grow', () => {
		const log = new PacketLog(1000);
		const slab = new FrameSlab(1 << 20);
		let early = 0;
		for (let i = 0; i < 50_000; i++) {
			const bytes = frame(1514, i);
			log.append({direction: i % 3 === 0 ? 'out' : 'in', timestamp: at(i), bytes: i % 2 === 0 ? slab.copy(bytes) : bytes, annotations: []});
			if (i === 5000) early = log.blocks;
		}

		// 1000 frames of 1514 octets: half in the link's 1 MiB blocks, half copied into the log's own
		// 64 KiB ones, about 1.5 MB in all whether 5,000 or 50,000 frames went by.
		assert.ok(log.blocks <= 2 + Math.ceil(500 * 1514 / (1 << 20)) + Math.ceil(500 * 1514 / (64 << 10)), `${log.blocks} blocks held`);
		assert.ok(Math.abs(log.blocks - early) <= 2, `${early} blocks after 5,000 frames, ${log.blocks} after 50,000`);
		assert.deepEqual(log.at(999)!.bytes, frame(1514, 49_999));
		assert.deepEqual(log.at(0)!.bytes, frame(1514, 49_000));
	});

	it('gives back every held frame intact, whatever the sizes and the wrap', () => {
		fc.assert(fc.property(
			fc.integer({min: 1, max: 40}),
			fc.array(fc.integer({min: 0, max: 300_000}), {minLength: 1, maxLength: 80}),
			(capacity, lengths) => {
				const log = new PacketLog(capacity, 600_000);
				const slab = new FrameSlab(1 << 16);
				for (const [index, length] of lengths.entries()) {
					const bytes = frame(length, index);
					log.append({direction: 'in', timestamp: at(index), bytes: index % 2 === 0 ? slab.copy(bytes) : bytes, annotations: []});
				}

				const held = log.slice(0, capacity);
				// The newest frames that fit both the count and the octets (the newest always).
				let expected = 0;
				let octets = 0;
				for (let index = lengths.length - 1; index >= 0 && expected < capacity; index--) {
					if (expected > 0 && octets + lengths[index]! > 600_000) break;
					octets += lengths[index]!;
					expected++;
				}

				assert.equal(held.length, expected);
				assert.equal(log.heldBytes, octets);
				for (const entry of held) assert.deepEqual(entry.bytes, frame(lengths[entry.number - 1]!, entry.number - 1));
			},
		), {numRuns: 60});
	});

	it('holds fewer frames when they would take more than its octets allow, always the newest', () => {
		const log = new PacketLog(1000, 10_000);
		for (let i = 0; i < 50; i++) log.append({direction: 'in', timestamp: at(i), bytes: frame(1514, i), annotations: []});
		// 6 frames of 1514 octets fit in 10,000; the seventh would not.
		assert.equal(log.size, 6);
		assert.equal(log.heldBytes, 6 * 1514);
		assert.deepEqual(log.slice(0, 10).map(entry => entry.number), [45, 46, 47, 48, 49, 50]);
		assert.deepEqual(log.at(0)!.bytes, frame(1514, 44));
		// A frame bigger than the whole allowance is still kept, alone.
		log.append({direction: 'in', timestamp: at(99), bytes: frame(20_000, 99), annotations: []});
		assert.equal(log.size, 1);
		assert.deepEqual(log.at(0)!.bytes, frame(20_000, 99));
		// Small frames fill in again, up to the count or the octets, whichever comes first.
		for (let i = 0; i < 3000; i++) log.append({direction: 'out', timestamp: at(i), bytes: frame(2, i), annotations: []});
		assert.equal(log.size, 1000);
		assert.equal(log.count, 3051);
		assert.deepEqual(log.at(999)!.bytes, frame(2, 2999));
	});

	it('refuses a capacity below one frame', () => {
		assert.throws(() => new PacketLog(0), RangeError);
		assert.throws(() => new PacketLog(1.5), RangeError);
	});
});
