import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {FaultPlan} from '../../source/engine/faults.js';
import {parseDuration} from '../../source/syntax/durations.js';
import {formatFault, parseFault} from '../../source/syntax/fault-text.js';
import {parseFlagNames} from '../../source/syntax/tcp-flags.js';
import {tcpFlags} from '../../source/wire/records.js';

const {ACK, SYN} = tcpFlags;

function plan(text: string): FaultPlan {
	const parsed = parseFault(text);
	if (!parsed.ok) throw new Error(`${parsed.column}: ${parsed.message}`);
	return parsed.plan;
}

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
		assert.equal(parseFlagNames('SYN,ACK'), SYN | ACK);
		assert.equal(parseFlagNames('ae'), tcpFlags.AE);
		assert.equal(parseFlagNames('SYN,,ACK'), undefined);
		assert.equal(parseDuration('1.5s'), 1500);
		assert.equal(parseDuration('20ms'), 20);
		assert.equal(parseDuration('20'), undefined);
	});
});
