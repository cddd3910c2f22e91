import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {seqAdd, seqBetween, seqDiff, seqGe, seqGt, seqLe, seqLt, seqMax, seqMin, seqSub} from '../../source/engine/seq.js';

const u32 = fc.integer({min: 0, max: 0xff_ff_ff_ff});
const distance = fc.integer({min: 1, max: 2 ** 31 - 1});

describe('sequence numbers', () => {
	it('wraps additions and subtractions modulo 2^32', () => {
		assert.equal(seqAdd(0xff_ff_ff_ff, 1), 0);
		assert.equal(seqAdd(0xff_ff_fc_18, 2000), 1000);
		assert.equal(seqAdd(5, -10), 0xff_ff_ff_fb);
		assert.equal(seqSub(1000, 0xff_ff_fc_18), 2000);
		assert.equal(seqDiff(0xff_ff_fc_18, 1000), -2000);
	});

	it('orders across the wrap: a number just past 2^32 comes after one just below it', () => {
		const below = 0xff_ff_ff_00;
		const past = 0x00_00_00_10;
		assert.ok(seqLt(below, past));
		assert.ok(seqGt(past, below));
		assert.ok(seqLe(below, below) && seqGe(below, below));
		assert.equal(seqMax(below, past), past);
		assert.equal(seqMin(below, past), below);
	});

	it('a + d is after a for any forward distance under 2^31', () => {
		fc.assert(fc.property(u32, distance, (a, d) => {
			const b = seqAdd(a, d);
			return seqLt(a, b) && seqGt(b, a) && !seqLt(b, a) && seqSub(b, a) === d && seqDiff(a, b) === -d;
		}));
	});

	it('seqBetween is the half-open window [low, high) going forward', () => {
		fc.assert(fc.property(u32, fc.integer({min: 0, max: 2 ** 30}), fc.integer({min: 0, max: 2 ** 31}), (low, size, offset) => {
			const high = seqAdd(low, size);
			return seqBetween(low, seqAdd(low, offset), high) === (offset < size);
		}));
		assert.ok(seqBetween(0xff_ff_ff_f0, 5, 0x20));
		assert.ok(!seqBetween(0xff_ff_ff_f0, 0x20, 0x20));
		assert.ok(!seqBetween(0xff_ff_ff_f0, 0xff_ff_ff_ef, 0x20));
	});
});
