import assert from 'node:assert/strict';
import {test} from 'node:test';
import {timestampNow} from '../../source/link/link.js';

test('frame timestamps never go backwards and track the wall clock', () => {
	let previous = timestampNow();
	for (let i = 0; i < 200_000; i++) {
		const now = timestampNow();
		const delta = (now.seconds - previous.seconds) * 1e9 + (now.nanoseconds - previous.nanoseconds);
		assert.ok(delta >= 0, `went back ${-delta} ns`);
		assert.ok(now.nanoseconds >= 0 && now.nanoseconds < 1e9);
		previous = now;
	}

	const wall = Date.now() / 1000;
	assert.ok(Math.abs(previous.seconds + previous.nanoseconds / 1e9 - wall) < 1);
});
