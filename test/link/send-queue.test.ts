// The link's send queue: frames the socket refuses (EAGAIN) wait, in order, and go out when it takes
// them again; nothing jumps the queue, and past its limit frames are dropped and counted.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {SendQueue} from '../../source/link/send-queue.js';

/** A socket that takes `room` frames, then refuses until given more room; retries run when the test says. */
function rig(limit?: number) {
	const wire: number[] = [];
	let room = Number.POSITIVE_INFINITY;
	const retries: Array<() => void> = [];
	const queue = new SendQueue(frame => {
		if (room <= 0) return false;
		room--;
		wire.push(frame[0]!);
		return true;
	}, retry => retries.push(retry), limit);
	return {
		queue,
		wire,
		setRoom(frames: number) {
			room = frames;
		},
		retry() {
			const due = retries.splice(0);
			for (const run of due) run();
			return due.length;
		},
	};
}

const frame = (id: number) => new Uint8Array([id]);

describe('SendQueue', () => {
	test('frames the socket takes go out at once, and nothing is scheduled', () => {
		const {queue, wire, retry} = rig();
		queue.send(frame(1));
		queue.send(frame(2));
		assert.deepEqual(wire, [1, 2]);
		assert.equal(queue.waiting, 0);
		assert.equal(retry(), 0);
	});

	test('a refused frame waits, later frames queue behind it, and all go out in order', () => {
		const {queue, wire, setRoom, retry} = rig();
		setRoom(1);
		queue.send(frame(1));
		queue.send(frame(2));
		queue.send(frame(3));
		assert.deepEqual(wire, [1]);
		assert.equal(queue.waiting, 2);
		setRoom(1);
		queue.send(frame(4));
		assert.deepEqual(wire, [1], 'frame 4 does not jump the queue, though the socket had room');
		assert.equal(retry(), 1, 'one retry scheduled, not one per frame');
		assert.deepEqual(wire, [1, 2], 'the socket took one, the rest wait again');
		setRoom(10);
		assert.equal(retry(), 1);
		assert.deepEqual(wire, [1, 2, 3, 4]);
		assert.equal(queue.waiting, 0);
		queue.send(frame(5));
		assert.deepEqual(wire, [1, 2, 3, 4, 5], 'once drained, frames go out at once again');
	});

	test('held (a corked link): frames wait until release, then go out back to back, in order', () => {
		const {queue, wire, setRoom, retry} = rig();
		queue.hold();
		queue.send(frame(1));
		queue.send(frame(2));
		assert.deepEqual(wire, []);
		assert.equal(retry(), 0, 'nothing scheduled: the release sends them');
		queue.release();
		assert.deepEqual(wire, [1, 2]);
		setRoom(1);
		queue.hold();
		queue.send(frame(3));
		queue.send(frame(4));
		queue.release();
		assert.deepEqual(wire, [1, 2, 3], 'the socket took one; the other waits for a retry');
		setRoom(5);
		assert.equal(retry(), 1);
		assert.deepEqual(wire, [1, 2, 3, 4]);
		queue.release();
		assert.deepEqual(wire, [1, 2, 3, 4], 'a release without a hold sends nothing again');
	});

	test('held, it keeps its limit too', () => {
		const {queue, wire} = rig(2);
		queue.hold();
		for (const id of [1, 2, 3]) queue.send(frame(id));
		assert.equal(queue.dropped, 1);
		queue.release();
		assert.deepEqual(wire, [1, 2]);
	});

	test('past its limit frames are dropped and counted; clear forgets what waits', () => {
		const {queue, wire, setRoom, retry} = rig(2);
		setRoom(0);
		for (const id of [1, 2, 3, 4]) queue.send(frame(id));
		assert.equal(queue.waiting, 2);
		assert.equal(queue.dropped, 2);
		queue.clear();
		setRoom(10);
		retry();
		assert.deepEqual(wire, []);
	});
});
