// `synack run SCRIPT` as a user runs it: the built binary, against a lab it makes itself (--lab), or
// stopped by a malformed script before anything is made or sent.
import assert from 'node:assert/strict';
import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test, type TestContext} from 'node:test';
import {labDown} from '../../source/lab/index.js';
import {parseScenario} from '../../source/session/scenario-parse.js';
import {canMakeLabs, labLeftovers, uniqueLabName, uniqueLabSubnet} from '../helpers/lab.js';
import {binary, ensureBuilt, root} from './run-synack.js';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-run-'));
const suite = path.join(root, 'test/scenarios');
const made = new Set<string>();
before(ensureBuilt);
after(async () => {
	fs.rmSync(directory, {recursive: true, force: true});
	// The child takes its lab down itself; this only matters if it was killed before it could.
	await Promise.allSettled([...made].map(async name => labDown(name)));
});

function script(name: string, text: string): string {
	const target = path.join(directory, name);
	fs.writeFileSync(target, text);
	return target;
}

function synack(args: readonly string[]): SpawnSyncReturns<string> {
	// SIGTERM on timeout: `run` catches it and still takes its lab down.
	return spawnSync(process.execPath, [binary, ...args], {cwd: root, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGTERM', env: {...process.env, DEBUG: ''}});
}

/** `synack run FILE --lab` in a lab of its own with a test name and subnet; undefined without privilege. */
function runInLab(t: TestContext, file: string, ...flags: string[]): (SpawnSyncReturns<string> & {name: string}) | undefined {
	if (!canMakeLabs(t)) return undefined;
	const name = uniqueLabName();
	made.add(name);
	const result = synack(['run', file, '--lab', '--name', name, '--subnet', uniqueLabSubnet(), ...flags]);
	assert.deepEqual(labLeftovers(name), [], 'the lab is gone when run exits');
	return {...result, name};
}

function stepCount(file: string): number {
	const parsed = parseScenario(fs.readFileSync(file, 'utf8'));
	assert.ok(parsed.ok);
	return parsed.steps.length;
}

const lines = (text: string) => text.split('\n').filter(line => line !== '');
const stepLines = (text: string) => lines(text).filter(line => /^(ok {2}|FAIL) +\d+ {2}/.test(line));

describe('synack run against a lab', () => {
	for (const name of ['handshake-all-options.syn', 'rst-challenge-ack.syn', 'two-connections.syn']) {
		test(`${name} from the suite passes: every step printed ok, segments under their steps, exit 0`, async t => {
			const file = path.join(suite, name);
			const result = runInLab(t, file);
			if (!result) return;
			const steps = stepCount(file);
			assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
			const output = lines(result.stdout);
			assert.equal(output.at(-1), `${steps} passed, 0 failed`);
			const printed = stepLines(result.stdout);
			assert.equal(printed.length, steps, result.stdout);
			assert.ok(printed.every(line => line.startsWith('ok ')), result.stdout);
			// Each send is followed by the segment it put on the wire, as tcpdump would print it.
			const sendSyn = output.findIndex(line => /^ok +\d+ {2}send SYN$/.test(line));
			assert.match(output[sendSyn + 1]!, /^ {11}> IP [\d.]+\.\d+ > [\d.]+\.(80|7): Flags \[S\], seq 0, /);
			const synAck = output.findIndex(line => /expect SYN,ACK/.test(line));
			assert.match(output[synAck + 1]!, /^ {11}< IP [\d.]+\.(80|7) > [\d.]+\.\d+: Flags \[S\.\], seq 0, ack 1, /);
		});
	}

	test('--log-size 2: a log that holds two frames still runs the script (the runner reads frames as they come)', async t => {
		const file = path.join(suite, 'handshake-all-options.syn');
		const result = runInLab(t, file, '--log-size', '2', '--log-memory', '1');
		if (!result) return;
		assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
		assert.equal(lines(result.stdout).at(-1), `${stepCount(file)} passed, 0 failed`);
	});

	test('a script with a failing step goes on to the end, prints FAIL with the reason, and exits 1', async t => {
		const file = script('closed-port.syn', [
			'# port 1 has no listener: a RST,ACK comes back, not a SYN,ACK',
			'connect $peer:1',
			'send SYN',
			'expect SYN,ACK ack=1 within 500ms',
			'expect state CLOSED',
		].join('\n'));
		const result = runInLab(t, file);
		if (!result) return;
		assert.equal(result.status, 1, `${result.stdout}\n${result.stderr}`);
		const printed = stepLines(result.stdout);
		assert.deepEqual(printed.map(line => line.slice(0, 4)), ['ok  ', 'ok  ', 'FAIL', 'ok  ']);
		assert.match(printed[2]!, /^FAIL {3}4 {2}expect SYN,ACK ack=1 within 500ms: no matching segment within 500 ms \(last one: flags [A-Z,]*RST/);
		assert.equal(lines(result.stdout).at(-1), '3 passed, 1 failed');
	});

	test('--json: one JSON document with the file, the counts, and every step with its segments', async t => {
		const file = script('json.syn', [
			'connect $peer:9',
			'send SYN',
			'expect SYN,ACK ack=1 sackOK mss ts wscale',
			'send ACK',
			'expect RST within 300ms',
			'send RST seq=1',
		].join('\n'));
		const result = runInLab(t, file, '--json');
		if (!result) return;
		assert.equal(result.status, 1, result.stderr);
		const report = JSON.parse(result.stdout) as {file: string; passed: number; failed: number; steps: Array<{line: number; step: string; ok: boolean; message?: string; segments: string[]}>};
		assert.deepEqual(Object.keys(report), ['file', 'passed', 'failed', 'steps']);
		assert.equal(report.file, file);
		assert.deepEqual([report.passed, report.failed], [5, 1]);
		assert.deepEqual(report.steps.map(step => [step.line, step.step, step.ok]), [
			[1, 'connect $peer:9', true],
			[2, 'send SYN', true],
			[3, 'expect SYN,ACK ack=1 sackOK mss ts wscale', true],
			[4, 'send ACK', true],
			[5, 'expect RST within 300ms', false],
			[6, 'send RST seq=1', true],
		]);
		assert.equal(report.steps[4]!.message, 'nothing arrived within 300 ms');
		assert.equal(report.steps[0]!.segments.length, 0);
		assert.match(report.steps[1]!.segments[0]!, /^> IP .*Flags \[S\]/);
		assert.match(report.steps[2]!.segments[0]!, /^< IP .*Flags \[S\.\], seq 0, ack 1/);
		assert.match(report.steps[5]!.segments[0]!, /^> IP .*Flags \[R\], seq 1,/);
	});
});

// [name, script, line, column, message]: each must fail alone, before anything is made or sent.
const malformed: ReadonlyArray<readonly [string, string, number, number, RegExp]> = [
	['unknown step', 'connect $peer:80\nsned SYN', 2, 1, /unknown step "sned"/],
	['misspelt flag', 'connect $peer:80\nsend SYN,ACKK', 2, 6, /expected TCP flags/],
	['string not closed', 'connect $peer:80\nsend SYN\nsend PSH,ACK data="GET / HTTP/1.0', 3, 14, /not closed/],
	['unknown escape', 'connect $peer:80\nsend PSH,ACK data="a\\qb"', 2, 21, /unknown escape \\q/],
	['bad duration', '# wait\nconnect $peer:80\nsend SYN\nexpect SYN,ACK within 1sec', 4, 23, /duration/],
	['no such state', 'connect $peer:80\nexpect state ESTABLISH', 2, 14, /RFC 9293 state/],
	['port out of range', '\n\nconnect $peer:70000', 3, 15, /port 70000/],
	['negative number', 'connect $peer:80\nsend ACK seq=-5', 2, 14, /expected a number/],
	['unknown fault', 'connect $peer:80\nfault out explode on data', 2, 11, /unknown .*fault "explode"/],
	['send before connect', '# no connection yet\nsend SYN\nconnect $peer:80', 2, 1, /before any connect or listen/],
	['bad SACK block', 'connect $peer:80\n  expect ACK sack=11-21', 2, 19, /LEFT:RIGHT/],
	['bound in a send', 'connect $peer:80\nsend ACK win>5', 2, 13, /win> is for expect/],
];

describe('synack run with a malformed script', () => {
	for (const [what, text, line, column, message] of malformed) {
		test(`${what}: one line FILE:${line}:${column}: message, exit 2, no lab made`, () => {
			const file = script(`${what.replaceAll(' ', '-')}.syn`, text);
			const name = uniqueLabName();
			made.add(name);
			const result = synack(['run', file, '--lab', '--name', name, '--subnet', uniqueLabSubnet()]);
			assert.equal(result.status, 2, `${result.stdout}\n${result.stderr}`);
			assert.equal(result.stdout, '');
			const [first, ...rest] = result.stderr.split('\n');
			assert.deepEqual(rest, [''], `one line: ${result.stderr}`);
			assert.ok(first!.startsWith(`synack: ${file}:${line}:${column}: `), first);
			assert.match(first!, message);
			assert.deepEqual(labLeftovers(name), [], 'no namespace, interface or state file was made');
		});
	}

	for (const bad of ['0', '-3', '2.5', 'many', '20000000']) {
		test(`--log-size ${bad}: one line, exit 2, no lab made`, () => {
			const name = uniqueLabName();
			made.add(name);
			const result = synack(['run', path.join(suite, 'handshake-all-options.syn'), '--lab', '--name', name, '--subnet', uniqueLabSubnet(), '--log-size', bad]);
			assert.equal(result.status, 2, `${result.stdout}\n${result.stderr}`);
			assert.equal(result.stdout, '');
			assert.match(result.stderr, /^synack: --log-size takes a whole number of frames from 1 to 10000000, not \S+\n$/);
			assert.deepEqual(labLeftovers(name), [], 'no namespace, interface or state file was made');
		});
	}

	for (const bad of ['0', '0.5', 'lots', '2000000']) {
		test(`--log-memory ${bad}: one line, exit 2, no lab made`, () => {
			const name = uniqueLabName();
			made.add(name);
			const result = synack(['run', path.join(suite, 'handshake-all-options.syn'), '--lab', '--name', name, '--subnet', uniqueLabSubnet(), '--log-memory', bad]);
			assert.equal(result.status, 2, `${result.stdout}\n${result.stderr}`);
			assert.match(result.stderr, /^synack: --log-memory takes MiB from 1 to 1048576, not \S+\n$/);
			assert.deepEqual(labLeftovers(name), [], 'no namespace, interface or state file was made');
		});
	}

	test('a missing script: one line, exit 2', () => {
		const file = path.join(directory, 'no-such.syn');
		const result = synack(['run', file, '--lab', '--name', uniqueLabName()]);
		assert.equal(result.status, 2);
		assert.equal(result.stdout, '');
		assert.equal(result.stderr, `synack: cannot read ${file}: no such file\n`);
	});
});
