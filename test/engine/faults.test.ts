import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {formatFault, parseDuration, parseFault, parseFlags} from '../../source/engine/fault-syntax.js';
import {FaultPlans, type FaultPlan, segmentClassOf} from '../../source/engine/faults.js';
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

describe('fault syntax', () => {
	const lines = [
		'out bad-checksum', 'out bad-ip-checksum', 'out seq +1000 count 3', 'out ack -1', 'out window 0 for 5s', 'out flags SYN,ACK',
		'out no-options', 'out option mss=536', 'out option ts=5,0', 'out ttl 1', 'out corrupt 4', 'out duplicate', 'out delay 200ms',
		'out swap', 'out drop always', 'in drop count 3 on data', 'in duplicate', 'in delay 1500ms on ack', 'in reorder', 'out flags none',
	];
	for (const line of lines) {
		test(`"${line}" reads back to itself`, () => {
			assert.equal(formatFault(plan(line)), line);
		});
	}

	test('direction defaults to out and the default scope is one segment', () => {
		assert.deepEqual(plan('drop'), {direction: 'out', fault: {kind: 'drop'}, count: 1});
	});

	const bad: Array<[string, number, RegExp]> = [
		['', 1, /a fault name is missing/],
		['out frobnicate', 5, /unknown fault "frobnicate"/],
		['in swap', 4, /unknown incoming fault "swap"/],
		['out seq 1000', 9, /signed offset/],
		['out window 70000', 12, /window needs a whole number from 0 to 65535/],
		['out window', 11, /window needs/],
		['out flags SYN,BOGUS', 11, /flag names/],
		['out option mss=x', 12, /option needs/],
		['out drop count 0', 16, /count needs/],
		['out drop for 5 minutes', 14, /for needs a duration/],
		['in drop on everything', 12, /on needs a segment class/],
		['out drop please', 10, /unexpected "please"/],
	];
	for (const [line, column, message] of bad) {
		test(`"${line}" is refused at column ${column}`, () => {
			const parsed = parseFault(line);
			assert.equal(parsed.ok, false);
			if (parsed.ok) return;
			assert.equal(parsed.column, column);
			assert.match(parsed.message, message);
		});
	}

	test('columns are relative to where the fault starts in its line', () => {
		const parsed = parseFault('out window x', 7);
		assert.equal(!parsed.ok && parsed.column, 18);
	});

	test('flags and durations', () => {
		assert.equal(parseFlags('SYN,ACK'), SYN | ACK);
		assert.equal(parseFlags('ae'), tcpFlags.AE);
		assert.equal(parseFlags('SYN,,ACK'), undefined);
		assert.equal(parseDuration('1.5s'), 1500);
		assert.equal(parseDuration('20ms'), 20);
		assert.equal(parseDuration('20'), undefined);
	});
});
