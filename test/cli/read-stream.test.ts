import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {chargenSlice} from '../../source/lab/chargen-pattern.js';
import {spawnSync} from 'node:child_process';
import {binary, ensureBuilt, root, runSynack} from './run-synack.js';

/** The program's stdout as octets (a stream is binary). */
function runRaw(args: readonly string[]) {
	return spawnSync(process.execPath, [binary, ...args], {cwd: root, maxBuffer: 64 << 20});
}

const fixture = (name: string) => path.join(root, 'test', 'fixtures', name);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The body after an HTTP response's header. */
function body(response: Buffer): Buffer {
	const end = response.indexOf('\r\n\r\n');
	assert.ok(end > 0, 'an HTTP header');
	return response.subarray(end + 4);
}

describe('synack read --stream', () => {
	before(() => {
		ensureBuilt();
	});

	test('--direction in gives the body the server sent, octet for octet; out the request', () => {
		const answer = runRaw(['read', fixture('offload.pcap'), '--stream', '--direction', 'in']);
		assert.equal(answer.status, 0, String(answer.stderr));
		const stdout = answer.stdout;
		assert.match(stdout.subarray(0, 17).toString(), /^HTTP\/1\.1 200 OK\r\n/);
		assert.equal(sha256(body(stdout)), sha256(chargenSlice(0, 20_000)));
		const request = runSynack(['read', fixture('offload.pcap'), '--stream', '--direction', 'out']);
		assert.match(request.stdout, /^GET \/bytes\/20000 HTTP\/1\.0\r\nHost: 198\.18\.233\.2\r\n/);
		assert.ok(request.stdout.endsWith('\r\n\r\n'));
	});

	test('both directions interleave in the order they were sent', () => {
		const both = runSynack(['read', fixture('http-close.pcap'), '--stream']);
		const out = runSynack(['read', fixture('http-close.pcap'), '--stream', '--direction', 'out']);
		const into = runSynack(['read', fixture('http-close.pcap'), '--stream', '--direction', 'in']);
		assert.equal(both.status, 0, both.stderr);
		assert.equal(both.stdout, out.stdout + into.stdout);
		assert.match(into.stdout, /^HTTP\/1\.0 200 OK\r\n[^]*\r\n\r\nhello from synack\n$/);
	});

	test('octets a snap length cut off are said on stderr and written as zeros', () => {
		const result = runRaw(['read', fixture('sack.pcap'), '--stream', '--direction', 'in']);
		assert.equal(result.status, 0);
		assert.match(String(result.stderr), /octets in never captured; written as zeros\n$/);
		const stdout = result.stdout;
		assert.match(stdout.subarray(0, 15).toString(), /^HTTP\/1\.0 200 OK/);
		assert.ok(stdout.includes(Buffer.alloc(1000)));
	});

	test('a pcapng capture follows as the pcap does; a capture without TCP is a one-line error', () => {
		const pcapng = runRaw(['read', fixture('lab-session.pcapng'), '--stream']);
		const pcap = runRaw(['read', fixture('lab-session.pcap'), '--stream']);
		assert.equal(pcapng.status, 0, String(pcapng.stderr));
		assert.ok(pcap.stdout.length > 100);
		assert.deepEqual(pcapng.stdout, pcap.stdout);
		const none = runSynack(['read', fixture('arp.pcap'), '--stream']);
		assert.equal(none.status, 2);
		assert.match(none.stderr, /^synack: .*arp\.pcap has no TCP conversation to follow\n$/);
	});

	test('bad --direction and --flow are one-line usage errors', () => {
		const direction = runSynack(['read', fixture('http-close.pcap'), '--stream', '--direction', 'up']);
		assert.equal(direction.status, 2);
		assert.equal(direction.stderr, 'synack: --direction takes in, out or both, not up\n');
		const alone = runSynack(['read', fixture('http-close.pcap'), '--direction', 'in']);
		assert.equal(alone.status, 2);
		assert.equal(alone.stderr, 'synack: --direction picks the side for --stream\n');
		const flow = runSynack(['read', fixture('http-close.pcap'), '--stream', '--flow', '2']);
		assert.equal(flow.status, 2);
		assert.match(flow.stderr, /has 1 TCP conversation; --flow 2 is not one of them\n$/);
		const two = runSynack(['read', fixture('http-close.pcap'), '--stream', '--ladder']);
		assert.equal(two.status, 2);
		assert.equal(two.stderr, 'synack: read does one thing at a time: --ladder or --stream\n');
	});
});

describe('synack read: TCP checksums left to the card (offload)', () => {
	before(() => {
		ensureBuilt();
	});

	test('--states on a kernel\'s connection captured on its own host reaches ESTABLISHED and ends right', () => {
		const result = runSynack(['read', fixture('offload.pcap'), '--states']);
		assert.equal(result.status, 0, result.stderr);
		const [note, title, ...rows] = result.stdout.trimEnd().split('\n');
		assert.match(note!, /^TCP checksums not judged from 198\.18\.233\.1 \(all \d+ wrong, each only the pseudo-header sum\): offload/);
		assert.match(title!, /^flow 1 of 1: 198\.18\.233\.1:\d+ \(client\) <-> 198\.18\.233\.2:80 \(server\)/);
		assert.ok(rows.length > 10);
		assert.doesNotMatch(result.stdout, /bad-checksum/);
		assert.match(rows[1]!, /client ESTABLISHED +server SYN-RECEIVED/);
		assert.match(rows[2]!, /client ESTABLISHED +server ESTABLISHED/);
		// curl closes first once it has the Content-Length's worth; the server's FIN, then the last ACK.
		assert.match(rows.at(-1)!, /-> client TIME-WAIT +server CLOSED$/);
		assert.match(rows.at(-2)!, /<- client TIME-WAIT +server LAST-ACK +fin$/);
	});

	test('--check-checksums judges them: the server never hears the client', () => {
		const result = runSynack(['read', fixture('offload.pcap'), '--states', '--check-checksums']);
		assert.equal(result.status, 0, result.stderr);
		assert.match(result.stdout, /^flow 1 of 1/);
		assert.match(result.stdout, /bad-checksum/);
		assert.doesNotMatch(result.stdout, /server ESTABLISHED/);
	});

	test('a capture with right checksums says nothing about offload', () => {
		const result = runSynack(['read', fixture('http-close.pcap'), '--states']);
		assert.match(result.stdout, /^flow 1 of 1/);
	});
});
