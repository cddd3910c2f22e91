// The autopilot's parts on their own: which answers each policy lets out, the delayed-ACK clock,
// and the sending side's two timers.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {AckReason, Reply} from '../../source/engine/connection.js';
import {DelayedAck} from '../../source/engine/delayed-ack.js';
import {ackDelayed, type AutopilotPolicies, replyAllowed} from '../../source/engine/reply-policy.js';
import {PersistTimer, RetransmissionTimer} from '../../source/engine/send-timers.js';
import {peerSegment} from '../helpers/engine.js';

const manual: AutopilotPolicies = {handshake: false, ack: 'off', retransmit: false, probes: false, windowUpdate: false, fin: false, rstUnknown: false};
const reply = (kind: Reply['kind']): Reply => ({kind, segment: peerSegment({})});

describe('reply policy', () => {
	test('manual sends no answer at all', () => {
		for (const kind of ['ack', 'challenge-ack', 'syn-ack', 'rst'] as const) {
			for (const reason of ['data', 'duplicate', 'out-of-order', 'probe', 'handshake', 'fin', undefined] as const) assert.equal(replyAllowed(manual, reply(kind), reason), false, `${kind} ${reason}`);
		}
	});

	test('each policy lets out its own answers', () => {
		const allows = (policies: Partial<AutopilotPolicies>, kind: Reply['kind'], reason?: AckReason) => replyAllowed({...manual, ...policies}, reply(kind), reason);
		assert.ok(allows({handshake: true}, 'syn-ack') && allows({handshake: true}, 'ack', 'handshake'));
		assert.ok(allows({rstUnknown: true}, 'rst') && !allows({handshake: true}, 'rst'));
		assert.ok(allows({probes: true}, 'ack', 'probe') && allows({fin: true}, 'ack', 'fin'));
		assert.ok(allows({ack: 'immediate'}, 'ack', 'data') && !allows({ack: 'delayed'}, 'ack', 'data'));
		assert.ok(allows({ack: 'delayed'}, 'ack', 'out-of-order') && allows({ack: 'delayed'}, 'challenge-ack'));
		assert.ok(ackDelayed({...manual, ack: 'delayed'}, reply('ack'), 'data'));
		assert.ok(!ackDelayed({...manual, ack: 'immediate'}, reply('ack'), 'data'));
	});
});

describe('delayed ACK', () => {
	test('one segment waits for the delay; two full-sized ones go at the end of the batch; 64 KiB at once', () => {
		const delayed = new DelayedAck(40, 65_536);
		delayed.sawSegment(1460);
		assert.equal(delayed.hold(100, 1460), false);
		assert.equal(delayed.dueAt(), 140);
		assert.equal(delayed.flushWanted, false);
		assert.equal(delayed.expired(139), false);
		assert.equal(delayed.expired(140), true);
		assert.equal(delayed.dueAt(), undefined);
		assert.equal(delayed.hold(200, 2920), false);
		assert.equal(delayed.flushWanted, true);
		assert.equal(delayed.flush(2920), true);
		assert.equal(delayed.flushWanted, false);
		assert.equal(delayed.hold(300, 65_536), true);
		assert.equal(delayed.hold(300, 0), false);
	});
});

describe('send timers', () => {
	test('the retransmission timer arms once, restarts on demand, stops', () => {
		const timer = new RetransmissionTimer();
		timer.arm(0, 1000);
		timer.arm(500, 1000);
		assert.equal(timer.at, 1000);
		assert.ok(!timer.due(999) && timer.due(1000));
		timer.restart(500, 1000);
		assert.equal(timer.at, 1500);
		timer.stop();
		assert.ok(!timer.due(10_000));
	});

	test('the persist timer doubles per probe up to the maximum, and starts over after an ACK', () => {
		const timer = new PersistTimer();
		const intervals: number[] = [];
		for (let probe = 0; probe < 8; probe++) {
			timer.arm(0, 1000, 60_000);
			intervals.push(timer.at!);
			timer.stop();
			timer.backOff();
		}

		assert.deepEqual(intervals, [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
		timer.resetBackoff();
		timer.arm(0, 1000, 60_000);
		assert.equal(timer.at, 1000);
	});
});
