import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {SendBuffer} from '../../source/engine/send-buffer.js';

test('send buffer: slices across chunk boundaries equal the same range of the written stream, after drops too', () => {
	fc.assert(fc.property(
		fc.array(fc.uint8Array({minLength: 1, maxLength: 50}), {minLength: 1, maxLength: 20}),
		fc.array(fc.tuple(fc.nat(), fc.nat(60), fc.nat(30)), {maxLength: 30}),
		(chunks, operations) => {
			const buffer = new SendBuffer();
			let stream: number[] = [];
			for (const chunk of chunks) {
				buffer.write(chunk);
				stream.push(...chunk);
			}

			for (const [offset, length, drop] of operations) {
				assert.equal(buffer.size, stream.length);
				if (stream.length === 0) break;
				const from = offset % stream.length;
				const size = Math.min(length, stream.length - from);
				assert.deepEqual([...buffer.slice(from, size)], stream.slice(from, from + size));
				const dropped = Math.min(drop, stream.length);
				buffer.drop(dropped);
				stream = stream.slice(dropped);
			}
		},
	));
});

test('send buffer: a slice beyond what is held is an error, not a short answer', () => {
	const buffer = new SendBuffer();
	buffer.write(new Uint8Array(10));
	assert.throws(() => buffer.slice(5, 6), RangeError);
});
