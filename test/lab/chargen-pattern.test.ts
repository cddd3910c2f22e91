import assert from 'node:assert/strict';
import {test} from 'node:test';
import {chargenChunk, chargenCycleBytes, chargenSlice, isChargenAt} from '../../source/lab/chargen-pattern.js';

test('RFC 864 pattern: 95 lines of 72 printable characters and CR LF, each starting one further on', () => {
	const lines = chargenCycleBytes.toString('latin1').split('\r\n');
	assert.equal(lines.pop(), '');
	assert.equal(lines.length, 95);
	assert.equal(lines[0], String.fromCodePoint(...Array.from({length: 72}, (_, index) => 32 + index)));
	assert.equal(lines[1]!.slice(0, 3), '!"#');
	// The last line wraps from '~' back to ' '.
	assert.equal(lines[94]!.slice(0, 3), '~ !');
	for (const line of lines) {
		assert.equal(line.length, 72);
		assert.match(line, /^[\u0020-\u007E]+$/);
	}
});

test('the chunk is whole cycles, so writing it again and again continues the pattern', () => {
	assert.equal(chargenChunk.length % chargenCycleBytes.length, 0);
	assert.ok(chargenChunk.length > 60_000 && chargenChunk.length <= 65_536);
	const twice = Buffer.concat([chargenChunk, chargenChunk]);
	assert.deepEqual(chargenSlice(0, twice.length), twice);
});

test('slices at any offset join into the same stream', () => {
	const whole = chargenSlice(0, 30_000);
	let offset = 0;
	const parts: Buffer[] = [];
	for (const size of [1, 73, 74, 7029, 7031, 15_792]) {
		parts.push(chargenSlice(offset, size));
		offset += size;
	}

	assert.equal(offset, 30_000);
	assert.deepEqual(Buffer.concat(parts), whole);
	assert.equal(chargenSlice(12_345, 0).length, 0);
});

test('isChargenAt accepts the pattern at its own offset, across cycle and chunk ends, and nothing else', () => {
	for (const [offset, size] of [[0, 0], [0, 1], [7029, 2], [12_345, 1448], [63_000, 70_000], [1_000_000_007, 200_000]] as const) {
		const bytes = new Uint8Array(chargenSlice(offset, size));
		assert.ok(isChargenAt(offset, bytes), `offset ${offset}, ${size} octets`);
		if (size === 0) continue;
		assert.equal(isChargenAt(offset + 1, bytes), false, `offset ${offset + 1}, ${size} octets`);
		for (const at of [0, size >> 1, size - 1]) {
			const damaged = bytes.slice();
			damaged[at]! ^= 0x40;
			assert.equal(isChargenAt(offset, damaged), false, `octet ${at} of ${size} changed`);
		}
	}
});
