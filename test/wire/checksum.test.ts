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
