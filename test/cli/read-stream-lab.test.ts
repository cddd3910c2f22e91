// `synack read --stream` on captures of lab downloads (`synack run ... --pcap`): the body comes back
// octet for octet, with segments lost (the `in drop` fault: the kernel retransmits them after later
// ones, so the capture is out of order) and taken out of order by our engine (`in reorder`).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {before, describe, test, type TestContext} from 'node:test';
import {chargenSlice} from '../../source/lab/chargen-pattern.js';
import {useLab} from '../helpers/lab.js';
import {binary, ensureBuilt, root} from './run-synack.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const length = 100_000;

function synack(args: readonly string[]) {
	return spawnSync(process.execPath, [binary, ...args], {cwd: root, maxBuffer: 64 << 20, timeout: 60_000});
}

/** Runs a GET of /bytes/100000 in auto mode with `faults` in force; returns the capture's path. */
async function capturedDownload(t: TestContext, faults: readonly string[]): Promise<string | undefined> {
	const lab = await useLab(t);
	if (!lab) return undefined;
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-stream-'));
	t.after(() => fs.rmSync(directory, {recursive: true, force: true}));
	const script = path.join(directory, 'get.syn');
	fs.writeFileSync(script, [
		'connect $peer:80',
		'auto on',
		...faults,
		'send SYN',
		'expect SYN,ACK within 3s',
		`send PSH,ACK data="GET /bytes/${length} HTTP/1.0\\r\\n\\r\\n"`,
		'expect state CLOSED within 15s',
		'',
	].join('\n'));
	const capture = path.join(directory, 'get.pcap');
	const run = synack(['run', script, '--iface', lab.interface, '--ip', lab.suggestedAddress, '--var', `peer=${lab.peerAddress}`, '--pcap', capture]);
	assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
	return capture;
}

function streamedBody(capture: string): {body: Buffer; stderr: string; head: string} {
	const result = synack(['read', capture, '--stream', '--direction', 'in']);
	assert.equal(result.status, 0, String(result.stderr));
	const split = result.stdout.indexOf('\r\n\r\n');
	return {body: result.stdout.subarray(split + 4), stderr: String(result.stderr), head: result.stdout.subarray(0, split).toString()};
}

describe('read --stream on captures of lab downloads', () => {
	before(() => {
		ensureBuilt();
	});

	test('segments dropped (retransmitted by the kernel) and taken out of order: the exact body', async t => {
		const capture = await capturedDownload(t, ['fault in drop count 2 on data', 'fault in reorder count 2 on data']);
		if (!capture) return;
		const {body, stderr, head} = streamedBody(capture);
		assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
		assert.equal(stderr, '');
		assert.equal(sha256(body), sha256(chargenSlice(0, length)));
		// The capture holds the kernel's retransmissions: the same octets twice, printed once.
		const print = spawnSync('tcpdump', ['-n', '-r', capture], {encoding: 'utf8'});
		const ranges = print.stdout.split('\n').map(line => /198\.\d+\.\d+\.\d+\.80 > .*seq (\d+:\d+)/.exec(line)?.[1]).filter(Boolean);
		assert.ok(ranges.length > new Set(ranges).size, 'a retransmission in the capture');
		// ... and after octets sent later: the capture itself is out of order where the holes were.
		const starts = ranges.map(range => Number(range!.split(':')[0]));
		assert.ok(starts.some((start, index) => index > 0 && start < starts[index - 1]!), 'a segment after one further on');
	});
});
