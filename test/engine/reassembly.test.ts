import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {Reassembly} from '../../source/engine/reassembly.js';
import {seqAdd} from '../../source/engine/seq.js';

function stream(length: number): Uint8Array {
	return Uint8Array.from({length}, (_, i) => (i * 7 + 3) & 0xff);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}

	return out;
}

describe('Reassembly', () => {
	it('holds a block and hands it over once the stream reaches it', () => {
		const r = new Reassembly();
		const data = stream(30);
		assert.deepEqual(r.hold(110, data.subarray(10, 30), 100), {added: 20, duplicate: 0});
		assert.deepEqual(r.take(100), [], 'the hole 100..110 is still open');
		assert.deepEqual(concat(r.take(110)), data.subarray(10, 30));
		assert.equal(r.size, 0);
	});

	it('keeps only the new octets of an overlapping segment (trimmed, not dropped)', () => {
		const r = new Reassembly();
		const data = stream(40);
		r.hold(110, data.subarray(10, 20), 100);
		r.hold(130, data.subarray(30, 40), 100);
		// Covers 105..135: new octets 105..110 and 120..130 only.
		assert.deepEqual(r.hold(105, data.subarray(5, 35), 100), {added: 15, duplicate: 15});
		assert.deepEqual(r.hold(112, data.subarray(12, 18), 100), {added: 0, duplicate: 6});
		assert.equal(r.size, 35);
		assert.deepEqual(r.ranges(), [[105, 140]]);
		assert.deepEqual(concat(r.take(105)), data.subarray(5, 40));
	});

	it('drops what the stream already passed when taking', () => {
		const r = new Reassembly();
		const data = stream(20);
		r.hold(110, data.subarray(10, 20), 100);
		// An in-order segment covered 100..115; only 115..120 is still new.
		assert.deepEqual(concat(r.take(115)), data.subarray(15, 20));
	});

	it('works across the 2^32 wrap', () => {
		const r = new Reassembly();
		const base = 0xff_ff_ff_f0;
		const data = stream(64);
		r.hold(seqAdd(base, 32), data.subarray(32, 64), base);
		r.hold(seqAdd(base, 8), data.subarray(8, 40), base);
		assert.deepEqual(r.ranges(), [[seqAdd(base, 8), seqAdd(base, 64)]]);
		assert.deepEqual(concat(r.take(seqAdd(base, 8))), data.subarray(8, 64));
	});

	it('rebuilds any stream from shuffled, overlapping pieces', () => {
		const piece = fc.tuple(fc.integer({min: 0, max: 199}), fc.integer({min: 1, max: 60}));
		fc.assert(fc.property(fc.integer({min: 0, max: 0xff_ff_ff_ff}), fc.array(piece, {maxLength: 40}), (base, pieces) => {
			const data = stream(200);
			const r = new Reassembly();
			const rcvNxt = base;
			// Octet 0 arrives last, so everything else must be held.
			for (const [start, length] of pieces) {
				const from = Math.max(1, start);
				const to = Math.min(200, from + length);
				if (from < to) r.hold(seqAdd(base, from), data.subarray(from, to), rcvNxt);
			}

			const covered = new Set<number>();
			for (const [start, length] of pieces) {
				for (let i = Math.max(1, start); i < Math.min(200, Math.max(1, start) + length); i++) covered.add(i);
			}

			assert.equal(r.size, covered.size);
			let contiguous = 1;
			while (covered.has(contiguous)) contiguous++;
			const out = concat(r.take(seqAdd(base, 1)));
			assert.deepEqual(out, data.subarray(1, contiguous));
		}));
	});
});
