import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {FaultPlan} from '../../source/engine/faults.js';
import type {Clock} from '../../source/session/clock.js';
import {faultAnnotations, SessionFaults} from '../../source/session/session-faults.js';
import {ACK, bytes, peerSegment, PSH} from '../helpers/engine.js';

/** A clock that moves only when the test sets `time`; SessionFaults never schedules anything. */
function fakeClock(start = 1000): Clock & {time: number} {
	const clock = {
		time: start,
		now: () => clock.time,
		at() {
			throw new Error('SessionFaults set a timer');
		},
	};
	return clock;
}

function setup() {
	const clock = fakeClock();
	let changes = 0;
	const faults = new SessionFaults(clock, () => changes++);
	return {clock, faults, changes: () => changes};
}

const data = peerSegment({seq: 1, flags: PSH | ACK, payload: bytes('hello')});
const bareAck = peerSegment({seq: 6, flags: ACK});
const zeroWindow: FaultPlan = {direction: 'out', fault: {kind: 'window', value: 0}, count: 3};
const dropData: FaultPlan = {direction: 'in', fault: {kind: 'drop'}, count: 2, match: 'data'};

describe('SessionFaults: the faults in force on a session', () => {
	test('the view says each fault in the script vocabulary, with what is left of its count', () => {
		const {faults} = setup();
		faults.add(zeroWindow);
		faults.add(dropData);
		assert.deepEqual(faults.view().map(({text, direction, applied, remaining, remainingMs}) => ({text, direction, applied, remaining, remainingMs})), [
			{text: 'out window 0 count 3', direction: 'out', applied: 0, remaining: 3, remainingMs: undefined},
			{text: 'in drop count 2 on data', direction: 'in', applied: 0, remaining: 2, remainingMs: undefined},
		]);
	});

	test('each use counts down, and a fault whose count is spent leaves the view', () => {
		const {faults} = setup();
		faults.add(zeroWindow);
		assert.equal(faults.outgoing(bareAck).segment.window, 0);
		assert.deepEqual(faults.view().map(({applied, remaining}) => [applied, remaining]), [[1, 2]]);
		faults.outgoing(bareAck);
		faults.outgoing(bareAck);
		assert.deepEqual(faults.view(), []);
		assert.equal(faults.any, false);
		assert.equal(faults.outgoing(bareAck).segment.window, bareAck.window, 'spent: the segment goes out as built');
	});

	test('a timed fault runs on the session\'s clock: time left in the view, gone when it is up', () => {
		const {clock, faults} = setup();
		faults.add({direction: 'out', fault: {kind: 'delay', ms: 200}, forMs: 5000});
		assert.equal(faults.view()[0]!.text, 'out delay 200ms for 5s');
		clock.time += 2500.4;
		assert.equal(faults.view()[0]!.remainingMs, 2500);
		assert.equal(faults.outgoing(data).delayMs, 200);
		clock.time += 2500;
		assert.equal(faults.any, false);
		assert.deepEqual(faults.view(), []);
		assert.equal(faults.outgoing(data).delayMs, 0);
	});

	test('outgoing faults leave the peer\'s segments alone, and a fault limited to data lets an ACK through', () => {
		const {faults} = setup();
		faults.add(zeroWindow);
		faults.add(dropData);
		assert.equal(faults.incoming(bareAck).deliver, true, 'not data');
		const dropped = faults.incoming(data);
		assert.equal(dropped.deliver, false);
		assert.deepEqual(dropped.notes, ['dropped before the engine saw it (fault)']);
		assert.equal(faults.outgoing(data).copies, 1, 'the drop is for incoming segments only');
		assert.deepEqual(faults.view().map(({text, applied}) => [text, applied]), [['out window 0 count 3', 1], ['in drop count 2 on data', 1]]);
	});

	test('remove takes one fault; clear takes one direction or all', () => {
		const {faults} = setup();
		const window = faults.add(zeroWindow);
		faults.add(dropData);
		faults.add({direction: 'in', fault: {kind: 'reorder'}});
		faults.remove(window);
		assert.deepEqual(faults.view().map(view => view.text), ['in drop count 2 on data', 'in reorder always']);
		faults.add(zeroWindow);
		faults.clear('in');
		assert.deepEqual(faults.view().map(view => view.text), ['out window 0 count 3']);
		faults.clear();
		assert.equal(faults.any, false);
	});

	test('the connection pane is told of every change, and of no segment a fault left alone', () => {
		const {faults, changes} = setup();
		const id = faults.add(dropData);
		assert.equal(changes(), 1);
		faults.incoming(bareAck);
		faults.outgoing(data);
		assert.equal(changes(), 1, 'nothing applied: no redraw for it');
		faults.incoming(data);
		assert.equal(changes(), 2);
		faults.remove(id);
		faults.clear();
		assert.equal(changes(), 4);
	});

	test('fault notes become the packet log\'s warnings, coded `fault`', () => {
		assert.deepEqual(faultAnnotations(['sent twice (fault)', 'TTL 1 (fault)']), [
			{code: 'fault', text: 'sent twice (fault)', severity: 'warn'},
			{code: 'fault', text: 'TTL 1 (fault)', severity: 'warn'},
		]);
		assert.deepEqual(faultAnnotations([]), []);
	});
});
