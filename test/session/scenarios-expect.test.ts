// What the conformance suite added to `expect`: bounds, option kinds, SACK blocks, variable offsets.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseScenario, type SegmentFields} from '../../source/session/scenario-parse.js';

function expectFields(line: string): SegmentFields {
	const parsed = parseScenario(`connect h:1\n${line}`);
	if (!parsed.ok) throw new Error(`${parsed.line}:${parsed.column}: ${parsed.message}`);
	const step = parsed.steps[1]!;
	assert.equal(step.kind, 'expect-segment');
	return step.kind === 'expect-segment' ? step.fields : {};
}

describe('expect fields for the suite', () => {
	test('bounds on numbers, next to exact values', () => {
		assert.deepEqual(expectFields('expect ACK ack=29 win<1024 len<=512 len>0 seq>=@7'), {
			ack: {literal: 29},
			bounds: [
				{field: 'win', operator: '<', value: {literal: 1024}},
				{field: 'len', operator: '<=', value: {literal: 512}},
				{field: 'len', operator: '>', value: {literal: 0}},
				{field: 'seq', operator: '>=', value: {literal: 7, absolute: true}},
			],
		});
	});

	test('options: a kind alone, a kind with its value, SACK blocks; noopts is none at all', () => {
		assert.deepEqual(expectFields('expect SYN,ACK mss=1460 sackOK ts wscale').expectOptions, [
			{kind: 'mss', equals: {kind: 'mss', value: 1460}},
			{kind: 'sackOK'},
			{kind: 'timestamps'},
			{kind: 'wscale'},
		]);
		assert.deepEqual(expectFields('expect ACK sack=11:21,$l:$r+10').expectOptions, [
			{kind: 'sack', blocks: [[{literal: 11}, {literal: 21}], [{variable: 'l'}, {variable: 'r', offset: 10}]]},
		]);
		assert.deepEqual(expectFields('expect ACK sack').expectOptions, [{kind: 'sack'}]);
		assert.deepEqual(expectFields('expect ACK noopts').expectOptions, []);
		assert.equal(expectFields('expect ACK').expectOptions, undefined);
	});

	test('variables with an offset, both ways', () => {
		assert.deepEqual(expectFields('expect ACK ack=$fin+1 seq=$x-20').ack, {variable: 'fin', offset: 1});
		assert.deepEqual(expectFields('expect ACK seq=$x-20').seq, {variable: 'x', offset: -20});
		assert.deepEqual(expectFields('expect ACK seq=$x').seq, {variable: 'x'});
	});

	test('send keeps its options as given and refuses what only expect checks', () => {
		const parsed = parseScenario('connect h:1\nsend SYN mss=536 wscale=7');
		assert.ok(parsed.ok);
		const send = parsed.steps[1]!;
		assert.ok(send.kind === 'send');
		assert.deepEqual(send.fields, {options: [{kind: 'mss', value: 536}, {kind: 'wscale', shift: 7}]});
		for (const [line, column, message] of [
			['send ACK sack=1:2', 10, /sack is for expect/],
			['send ACK len<3', 13, /len< is for expect/],
			['send SYN ts', 10, /bad option "ts"/],
			['expect ACK sack=1:2:3', 17, /LEFT:RIGHT/],
			['expect ACK sack=5:6,7', 21, /LEFT:RIGHT/],
			['expect ACK win>', 16, /needs a value/],
			['expect ACK seq=$x+', 16, /expected a number/],
		] as const) {
			const result = parseScenario(`connect h:1\n${line}`);
			assert.ok(!result.ok, line);
			assert.deepEqual([result.line, result.column], [2, column], `${line}: ${result.message}`);
			assert.match(result.message, message);
		}
	});
});
