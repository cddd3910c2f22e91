import assert from 'node:assert/strict';
import {Writable} from 'node:stream';
import {describe, test} from 'node:test';
import {BufferedOutput} from '../../source/commands/buffered-output.js';

// A stream that takes one chunk per event-loop turn, like a slow pipe reader.
function slowStream(): {stream: Writable; received: string[]; maxBuffered: () => number} {
	const received: string[] = [];
	let maxBuffered = 0;
	const stream = new Writable({
		highWaterMark: 1024,
		write(chunk: Buffer, _encoding, callback) {
			maxBuffered = Math.max(maxBuffered, stream.writableLength);
			received.push(chunk.toString());
			setImmediate(callback);
		},
	});
	return {stream, received, maxBuffered: () => maxBuffered};
}

function failingStream(code: string): Writable {
	return new Writable({
		write(_chunk, _encoding, callback) {
			callback(Object.assign(new Error(`write ${code}`), {code}));
		},
	});
}

describe('BufferedOutput', () => {
	test('delivers everything in order and keeps the stream\'s backlog bounded when the caller waits', async () => {
		const {stream, received, maxBuffered} = slowStream();
		const output = new BufferedOutput(stream, 4096);
		const lines = Array.from({length: 20_000}, (_, index) => `line ${index}\n`);
		for (const line of lines) {
			output.write(line);
			if (output.full) {
				await output.ready();
			}
		}

		await output.end();
		assert.equal(received.join(''), lines.join(''));
		// 20000 lines are ~190 kB; waiting for 'drain' keeps the backlog near one flush.
		assert.ok(maxBuffered() <= 2 * 4096, `backlog reached ${maxBuffered()} bytes`);
	});

	test('holds small writes until a flush', () => {
		const {stream, received} = slowStream();
		const output = new BufferedOutput(stream, 4096);
		output.write('a\n');
		output.write('b\n');
		assert.deepEqual(received, []);
		output.flush();
		assert.deepEqual(received, ['a\nb\n']);
	});

	test('turns EPIPE into `closed` and drops what follows, without throwing', async () => {
		const stream = failingStream('EPIPE');
		const output = new BufferedOutput(stream, 8);
		output.write('more than eight bytes\n');
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		assert.equal(output.closed, true);
		output.write('ignored\n');
		await output.ready();
		await output.end();
	});

	test('rejects from ready() on any other write error', async () => {
		const output = new BufferedOutput(failingStream('EIO'), 8);
		output.write('more than eight bytes\n');
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		await assert.rejects(output.end(), {code: 'EIO'});
	});
});
