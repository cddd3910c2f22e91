import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {manualPolicies} from '../../source/session/auto-policies.js';
import {formatDuration, parseDuration} from '../../source/syntax/durations.js';
import {autopilotPolicyNames, defaultPolicyNames, policyNames} from '../../source/syntax/policy-names.js';
import {describeOption, formatOption, parseOption} from '../../source/syntax/tcp-options.js';
import {flagNames, parseFlagNames} from '../../source/syntax/tcp-flags.js';
import {tokenize} from '../../source/syntax/tokens.js';
import {tcpFlagText} from '../../source/wire/summary.js';
import {tcpFlags} from '../../source/wire/records.js';

const {FIN, SYN, RST, PSH, ACK} = tcpFlags;

describe('TCP flags: tcpdump\'s order in every form', () => {
	test('names: each bit set, FIN first as tcpdump prints it, AE (RFC 9768) last; none when none is set', () => {
		assert.equal(flagNames(0), 'none');
		assert.equal(flagNames(SYN | FIN), 'FIN,SYN');
		assert.equal(flagNames(FIN | PSH | ACK, ' '), 'FIN PSH ACK');
		assert.equal(flagNames(0x1_ff, ' '), 'FIN SYN RST PSH ACK URG ECE CWR AE');
	});

	test('letters and names list the flags in the same order', () => {
		assert.equal(tcpFlagText(SYN | FIN), 'FS');
		for (let flags = 1; flags < 0x1_00; flags++) {
			const letters = tcpFlagText(flags).split('');
			const fromNames = flagNames(flags).split(',').map(name => ({FIN: 'F', SYN: 'S', RST: 'R', PSH: 'P', ACK: '.', URG: 'U', ECE: 'E', CWR: 'W'})[name]);
			assert.deepEqual(letters, fromNames, `flags ${flags}`);
		}
	});

	test('names parse back, in any case; unknown or empty names do not', () => {
		for (let flags = 0; flags < 0x2_00; flags++) assert.equal(parseFlagNames(flagNames(flags)), flags);
		assert.equal(parseFlagNames('syn,ack'), SYN | ACK);
		assert.equal(parseFlagNames('RST'), RST);
		assert.equal(parseFlagNames('SYN,,ACK'), undefined);
		assert.equal(parseFlagNames('SYN,BOGUS'), undefined);
	});
});

describe('TCP options as text', () => {
	test('the script form reads back what it writes', () => {
		for (const text of ['mss=536', 'wscale=14', 'sackOK', 'ts=1,4294967295', 'nop', 'eol']) assert.equal(formatOption(parseOption(text)!), text);
		for (const text of ['mss=65536', 'wscale=x', 'sackOK=1', 'ts=1', 'bogus', 'nop=1']) assert.equal(parseOption(text), undefined, text);
	});

	test('the readable form, SACK edges relative to a base', () => {
		assert.equal(describeOption({kind: 'wscale', shift: 7}), 'wscale 7 (x128)');
		assert.equal(describeOption({kind: 'timestamps', value: 5, echo: 6}), 'TS val 5 ecr 6');
		assert.equal(describeOption({kind: 'sack', blocks: [[1011, 1021]]}, 1000), 'sack 11-21');
		assert.equal(describeOption({kind: 'sack', blocks: [[5, 15]]}, 0xff_ff_ff_f0), 'sack 21-31');
	});
});

describe('durations, tokens and policy names', () => {
	test('durations both ways', () => {
		assert.equal(parseDuration('1.5s'), 1500);
		assert.equal(parseDuration('20ms'), 20);
		assert.equal(parseDuration('20'), undefined);
		for (const ms of [1, 250, 1000, 5000, 1500]) assert.equal(parseDuration(formatDuration(ms)), ms);
	});

	test('tokens: words with columns, strings kept whole, a comment ends the line, an open string is an error', () => {
		assert.deepEqual(tokenize('  send ACK\tdata="a b\\" #c" # note', 7), [
			{text: 'send', column: 9}, {text: 'ACK', column: 14}, {text: 'data="a b\\" #c"', column: 18},
		]);
		assert.deepEqual(tokenize('data="open'), {column: 1, message: 'a string is not closed (missing ")'});
	});

	test('policy names are the engine\'s policies and read; the default leaves rstUnknown off', () => {
		assert.deepEqual([...policyNames].sort(), Object.keys(manualPolicies).sort());
		assert.deepEqual([...autopilotPolicyNames, 'read'], [...policyNames]);
		assert.ok(!defaultPolicyNames.includes('rstUnknown'));
		assert.equal(defaultPolicyNames.length, policyNames.length - 1);
	});
});
