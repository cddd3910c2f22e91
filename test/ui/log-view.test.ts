import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {compact, followingView, moveView, placeView} from '../../source/ui/log-view.js';

const extent = {count: 100, size: 100};

describe('log view', () => {
	test('following keeps the newest frame selected and at the bottom', () => {
		assert.deepEqual(placeView(followingView, extent, 10), {follow: true, selected: 100, top: 91});
		assert.deepEqual(placeView(followingView, {count: 3, size: 3}, 10), {follow: true, selected: 3, top: 1});
	});

	test('moving up stops following; the window scrolls to keep the selection in view', () => {
		let view = moveView(followingView, 'up', extent, 10);
		assert.deepEqual(view, {follow: false, selected: 99, top: 91});
		for (let i = 0; i < 9; i++) view = moveView(view, 'up', extent, 10);
		assert.deepEqual(view, {follow: false, selected: 90, top: 90});
		// New frames arrive: the user's place holds.
		assert.deepEqual(placeView(view, {count: 150, size: 150}, 10), view);
	});

	test('pages, first and last; down onto the newest resumes following', () => {
		const first = moveView(followingView, 'first', extent, 10);
		assert.deepEqual(first, {follow: false, selected: 1, top: 1});
		assert.equal(moveView(first, 'page-down', extent, 10).selected, 10);
		const nearEnd = {follow: false, selected: 99, top: 91};
		assert.equal(moveView(nearEnd, 'down', extent, 10).follow, true);
		assert.equal(moveView(first, 'last', extent, 10).follow, true);
	});

	test('frames the ring dropped are skipped: frame numbers stay stable', () => {
		const ring = {count: 1000, size: 100};
		assert.deepEqual(placeView({follow: false, selected: 5, top: 5}, ring, 10), {follow: false, selected: 901, top: 901});
	});
});

describe('compact lines', () => {
	const line = 'IP 198.18.0.10.40000 > 198.18.0.2.80: Flags [S], seq 0, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0';
	test('a line that fits is untouched', () => {
		assert.equal(compact(line, line.length, '…', true), line);
	});

	test('options are elided first, then endpoints (own connection only), then options and window, then cut', () => {
		assert.equal(compact(line, 90, '…', true), 'IP 198.18.0.10.40000 > 198.18.0.2.80: Flags [S], seq 0, win 65535, options […], length 0');
		assert.equal(compact(line, 60, '…', true), 'Flags [S], seq 0, win 65535, options […], length 0');
		assert.equal(compact(line, 60, '…', false), 'IP 198.18.0.10.40000 > 198.18.0.2.80: Flags [S], seq 0, len…');
		assert.equal(compact(line, 30, '…', true), 'Flags [S], seq 0, length 0');
	});
});
