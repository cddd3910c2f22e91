import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {FaultPlans, type FaultPlan, segmentClassOf} from '../../source/engine/faults.js';
import {parseFault} from '../../source/syntax/fault-text.js';
import {type TcpRecord, tcpFlags} from '../../source/wire/records.js';

const {ACK, PSH, SYN, FIN, RST} = tcpFlags;

function segment(fields: Partial<TcpRecord> = {}): TcpRecord {
	return {sourcePort: 40_000, destinationPort: 80, seq: 1000, ack: 2000, headerLength: 20, flags: ACK, reserved: 0, window: 502, checksum: 0, urgentPointer: 0, options: [], optionPadding: new Uint8Array(0), payload: new Uint8Array(0), ...fields};
}

const data = (bytes = 'hello') => segment({flags: ACK | PSH, payload: new TextEncoder().encode(bytes)});

function plan(text: string): FaultPlan {
	const parsed = parseFault(text);
	if (!parsed.ok) throw new Error(`${parsed.column}: ${parsed.message}`);
	return parsed.plan;
}

describe('fault plans', () => {
	test('a fault without a scope applies to the next segment only', () => {
		const plans = new FaultPlans();
		plans.add(0, plan('out seq +100'));
		assert.equal(plans.applyOutgoing(1, segment()).segment.seq, 1100);
		assert.equal(plans.applyOutgoing(2, segment()).segment.seq, 1000);
		assert.deepEqual(plans.active(3), []);
	});

	test('a fault given a connection leaves every other connection\'s segments alone, and its count is that connection\'s', () => {
		const plans = new FaultPlans();
		plans.add(0, plan('out window 0 count 2'), 1);
		assert.equal(plans.applyOutgoing(1, segment(), 2).segment.window, segment().window, 'connection 2: untouched');
		assert.equal(plans.applyOutgoing(2, segment()).segment.window, segment().window, 'no connection named: untouched');
		assert.equal(plans.applyOutgoing(3, segment(), 1).segment.window, 0);
		assert.equal(plans.active(4)[0]!.applied, 1, 'only connection 1\'s segment counted');
		assert.equal(plans.applyOutgoing(5, segment(), 1).segment.window, 0);
		assert.deepEqual(plans.active(6), []);
	});

	test('a fault without a connection applies to every connection', () => {
		const plans = new FaultPlans();
		plans.add(0, plan('in drop always'));
		assert.equal(plans.applyIncoming(1, segment(), 1).deliver, false);
		assert.equal(plans.applyIncoming(2, segment(), 7).deliver, false);
	});

	test('count N, for a duration, always, and clear', () => {
		const plans = new FaultPlans();
		plans.add(0, plan('out window 0 count 2'));
		plans.add(0, plan('out ttl 1 for 500ms'));
		const id = plans.add(0, plan('in drop always'));
		assert.equal(plans.applyOutgoing(10, segment()).segment.window, 0);
		assert.equal(plans.applyOutgoing(20, segment()).ttl, 1);
		const third = plans.applyOutgoing(600, segment());
		assert.deepEqual([third.segment.window, third.ttl], [502, undefined], 'count used up; duration over');
		for (let i = 0; i < 5; i++) assert.equal(plans.applyIncoming(700 + i, data()).deliver, false);
		plans.remove(id);
		assert.equal(plans.applyIncoming(800, data()).deliver, true);
		plans.add(900, plan('out drop always'));
		plans.clear('out');
		assert.equal(plans.applyOutgoing(901, segment()).copies, 1);
	});

	test('a class filter counts only matching segments', () => {
		const plans = new FaultPlans();
		plans.add(0, plan('in drop count 2 on data'));
		assert.equal(plans.applyIncoming(1, segment()).deliver, true, 'a pure ACK passes');
		assert.equal(plans.applyIncoming(2, data()).deliver, false);
		assert.equal(plans.applyIncoming(3, segment({flags: FIN | ACK})).deliver, true);
		assert.equal(plans.applyIncoming(4, data()).deliver, false);
		assert.equal(plans.applyIncoming(5, data()).deliver, true);
	});

	test('every outgoing fault changes what it says, and notes it', () => {
		const plans = new FaultPlans();
		const apply = (text: string, seg = data()) => {
			plans.add(0, plan(text));
			return plans.applyOutgoing(0, seg);
		};

		assert.equal(apply('out bad-checksum').badTcpChecksum, true);
		assert.equal(apply('out bad-ip-checksum').badIpChecksum, true);
		assert.equal(apply('out seq -1001').segment.seq, 0xff_ff_ff_ff, 'wraps');
		assert.equal(apply('out ack +5').segment.ack, 2005);
		assert.equal(apply('out flags SYN,FIN').segment.flags, SYN | FIN);
		assert.deepEqual(apply('out no-options', segment({options: [{kind: 'mss', value: 1460}]})).segment.options, []);
		assert.deepEqual(apply('out option mss=536').segment.options, [{kind: 'mss', value: 536}]);
		const corrupted = apply('out corrupt 2');
		assert.equal(corrupted.segment.payload.length, 5);
		assert.equal([...corrupted.segment.payload].filter((byte, i) => byte !== 'hello'.charCodeAt(i)).length, 2);
		assert.deepEqual(corrupted.checksumOf?.payload, new TextEncoder().encode('hello'), 'the checksum is the original\'s');
		assert.equal(apply('out corrupt 3', segment()).notes.length, 0, 'nothing to corrupt without payload');
		assert.equal(apply('out duplicate').copies, 2);
		assert.equal(apply('out delay 250ms').delayMs, 250);
		assert.equal(apply('out swap').swap, true);
		const dropped = apply('out drop');
		assert.equal(dropped.copies, 0);
		assert.match(dropped.notes[0]!, /never sent/);
	});

	test('incoming effects', () => {
		const plans = new FaultPlans();
		plans.add(0, plan('in duplicate'));
		plans.add(0, plan('in delay 1s'));
		plans.add(0, plan('in reorder'));
		const effect = plans.applyIncoming(0, data());
		assert.deepEqual({deliver: effect.deliver, copies: effect.copies, delayMs: effect.delayMs, reorder: effect.reorder, notes: effect.notes.length}, {deliver: true, copies: 2, delayMs: 1000, reorder: true, notes: 3});
	});

	test('segment classes', () => {
		assert.equal(segmentClassOf(segment({flags: SYN})), 'syn');
		assert.equal(segmentClassOf(segment({flags: RST | ACK})), 'rst');
		assert.equal(segmentClassOf(segment({flags: FIN | ACK | PSH, payload: new Uint8Array(3)})), 'fin');
		assert.equal(segmentClassOf(data()), 'data');
		assert.equal(segmentClassOf(segment()), 'ack');
	});
});
