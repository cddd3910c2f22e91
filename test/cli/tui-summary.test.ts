import assert from 'node:assert/strict';
import {test} from 'node:test';
import {exitSummary} from '../../source/commands/tui-summary.js';

const totals = {framesIn: 7, framesOut: 3, bytesIn: 700, bytesOut: 300};

test('the exit line: frames in and out, and what the capture received and dropped', () => {
	assert.equal(
		exitSummary({log: {count: 10, size: 10, totals, overloaded: 0, dropped: 0, waiting: 0}, link: {received: 7, sent: 3, dropped: 2, droppedSource: 'estimate'}}),
		'synack: 10 frames (7 in, 3 out); the capture received 7, dropped about 2',
	);
	assert.equal(
		exitSummary({log: {count: 1, size: 1, totals: {...totals, framesIn: 1, framesOut: 0}, overloaded: 0, dropped: 0, waiting: 0}, link: {received: 1, sent: 0, dropped: 0, droppedSource: 'exact'}}),
		'synack: 1 frame (1 in, 0 out); the capture received 1, dropped 0',
	);
});

test('the exit line says what a flood kept from being handled or logged', () => {
	assert.equal(
		exitSummary({log: {count: 10, size: 10, totals, overloaded: 4, dropped: 3, waiting: 2}, link: {received: 12, sent: 3, dropped: 0, droppedSource: 'estimate'}}),
		'synack: 10 frames (7 in, 3 out); overloaded: 4 logged but not handled, 5 not logged; the capture received 12, dropped about 0',
	);
});
