import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {badChecksum, foldSum, internetChecksum, sumWords} from '../../source/wire/checksum.js';

/** The RFC 1071 definition, one 16-bit word at a time with the carry folded at every step. */
function referenceChecksum(bytes: Uint8Array): number {
	let sum = 0;
	for (let index = 0; index < bytes.length; index += 2) {
		sum += (bytes[index]! << 8) | (bytes[index + 1] ?? 0);
		sum = (sum & 0xff_ff) + (sum >>> 16);
	}

	return ~sum & 0xff_ff;
}

describe('internet checksum (RFC 1071)', () => {
	it('matches the worked example of RFC 1071 §3', () => {
		const bytes = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
		assert.equal(foldSum(sumWords(bytes, 0, bytes.length)), 0xdd_f2);
		assert.equal(internetChecksum(bytes), 0x22_0d);
	});

	it('pads an odd trailing byte with zero', () => {
		assert.equal(internetChecksum(Uint8Array.of(0x12)), ~0x12_00 & 0xff_ff);
	});

	it('agrees with the word-at-a-time definition on any bytes and range', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 1600}), fc.nat(), (bytes, cut) => {
			const start = bytes.length === 0 ? 0 : cut % bytes.length;
			return internetChecksum(bytes, start) === referenceChecksum(bytes.subarray(start));
		}));
	});

	it('agrees on views that start at any address of a larger buffer (the 32-bit word path)', () => {
		fc.assert(fc.property(fc.uint8Array({minLength: 1, maxLength: 3000, size: 'max'}), fc.nat(7), fc.nat(), fc.nat(), (bytes, shift, cutA, cutB) => {
			const backing = new Uint8Array(bytes.length + 8);
			backing.set(bytes, shift);
			const view = backing.subarray(shift, shift + bytes.length);
			const start = cutA % bytes.length;
			const end = start + (cutB % (bytes.length - start + 1));
			return internetChecksum(view, start, end) === referenceChecksum(bytes.subarray(start, end));
		}), {numRuns: 2000});
		// A segment-sized payload at each alignment, against the definition.
		const payload = Uint8Array.from({length: 1460}, (_, index) => (index * 37) & 0xff);
		for (let shift = 0; shift < 4; shift++) {
			const backing = new Uint8Array(1464);
			backing.set(payload, shift);
			assert.equal(internetChecksum(backing.subarray(shift, shift + 1460)), referenceChecksum(payload));
		}
	});

	it('a bad checksum never verifies', () => {
		fc.assert(fc.property(fc.uint8Array({minLength: 2, maxLength: 64}), bytes => {
			const copy = bytes.slice();
			copy[0] = 0;
			copy[1] = 0;
			const correct = internetChecksum(copy);
			copy[0] = badChecksum(correct) >>> 8;
			copy[1] = badChecksum(correct) & 0xff;
			return foldSum(sumWords(copy, 0, copy.length)) !== 0xff_ff;
		}));
		// The two one's complement zeros: 0xffff in place of a correct 0x0000 still verifies; ours flips a bit.
		assert.equal(badChecksum(0), 1);
		assert.equal(badChecksum(0xff_ff), 0xff_fe);
	});
});
