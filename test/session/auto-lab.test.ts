// Auto mode against the Linux kernel in a lab: bulk transfers both ways (intact, counted by the
// kernel's servers), losses recovered, a zero window probed, and a listener served to curl.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {describe, test} from 'node:test';
import {chargenSlice} from '../../source/lab/chargen-pattern.js';
import {cannedBody} from '../../source/session/apps.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import type {Session} from '../../source/session/session.js';
import {inLab, labStats} from '../helpers/lab.js';
import {seededRandom} from '../helpers/engine.js';
import {collectUntilClosed, sleep, until, useLabSession} from '../helpers/session.js';

const text = (value: string) => new TextEncoder().encode(value);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bigBuffers = {receiveBuffer: 4 << 20};

type Download = {readonly body: Uint8Array; readonly head: string};

/** GET `path` over HTTP/1.0 from the lab's server in auto mode; resolves with the body once the server closed. */
async function download(session: Session, peer: number, path: string, ms: number): Promise<Download> {
	const id = await session.connect({ip: peer, port: 80});
	const app = collectUntilClosed(session, id);
	session.syn(id);
	session.write(id, text(`GET ${path} HTTP/1.0\r\n\r\n`));
	await until(session, app.ended, ms, `the whole of ${path}`);
	const all = app.received();
	const split = all.indexOf('\r\n\r\n');
	assert.ok(split > 0, 'a response head');
	return {head: all.subarray(0, split).toString('latin1'), body: all.subarray(split + 4)};
}

function expectIntact(result: Download, length: number): void {
	assert.match(result.head, /^HTTP\/1\.[01] 200 OK/);
	assert.match(result.head, new RegExp(`content-length: ${length}`, 'i'));
	assert.equal(result.body.length, length);
	assert.equal(sha256(result.body), sha256(chargenSlice(0, length)));
}

describe('auto mode against the kernel', () => {
	test('downloads /bytes/10485760 intact (length and SHA-256)', async t => {
		const labSession = await useLabSession(t, {connection: bigBuffers});
		if (!labSession) return;
		const {session, peer} = labSession;
		session.setAuto(autoPolicies);
		const length = 10_485_760;
		const started = performance.now();
		const result = await download(session, peer, `/bytes/${length}`, 30_000);
		const seconds = (performance.now() - started) / 1000;
		t.diagnostic(`${(length / seconds / 1e6).toFixed(0)} MB/s, ${session.predictedSegments} segments predicted`);
		expectIntact(result, length);
		// Header prediction took most of the body's segments (the rest: the handshake's, losses, reordering).
		assert.ok(session.predictedSegments > (length / 1460) / 2, `${session.predictedSegments} segments predicted`);
	});

	test('uploads 10 MiB to the discard service, whose counter confirms it', async t => {
		const labSession = await useLabSession(t, {connection: bigBuffers});
		if (!labSession) return;
		const {session, peer, lab} = labSession;
		session.setAuto(autoPolicies);
		const before = labStats(lab).discard!.bytesIn;
		const total = 10 << 20;
		const id = await session.connect({ip: peer, port: 9});
		session.syn(id);
		await until(session, () => session.tcb(id).state === 'ESTABLISHED', 3000, 'the handshake');
		const payload = chargenSlice(0, total);
		session.write(id, payload);
		session.shutdown(id);
		await until(session, () => session.tcb(id).finSent && session.tcb(id).bytesInFlight === 0, 30_000, 'everything acknowledged');
		let received = 0;
		for (let i = 0; i < 50 && received < total; i++) {
			received = labStats(lab).discard!.bytesIn - before;
			if (received < total) await sleep(100);
		}

		assert.equal(received, total);
		assert.equal(session.getSnapshot().connections.find(c => c.id === id)!.send.queued, 0);
	});

	test('with 5% of incoming data segments dropped, the download still completes intact', async t => {
		const labSession = await useLabSession(t, {connection: bigBuffers});
		if (!labSession) return;
		const {session, peer} = labSession;
		session.setAuto(autoPolicies);
		const random = seededRandom(6);
		let dropped = 0;
		let data = 0;
		session.dropIncoming(frame => {
			if ((frame.tcp?.payload.length ?? 0) === 0) return false;
			data++;
			const drop = random() < 0.05;
			if (drop) dropped++;
			return drop;
		});
		const length = 10_485_760;
		const result = await download(session, peer, `/bytes/${length}`, 60_000);
		expectIntact(result, length);
		t.diagnostic(`${dropped} of ${data} data segments dropped`);
		assert.ok(dropped > data * 0.03, `about 5% dropped (${dropped} of ${data})`);
		const entries = session.log.slice(0, session.log.size);
		assert.ok(entries.some(entry => entry.annotations.some(a => a.code === 'dropped' && a.text === 'dropped (fault)')));
		assert.ok(entries.some(entry => entry.direction === 'out' && (entry.frame.tcp?.options.some(o => o.kind === 'sack') ?? false)), 'we told the kernel what we hold (SACK)');
	});

	test('the slow reader closes its window: we stop sending, probe, and resume until all is delivered', async t => {
		const labSession = await useLabSession(t, {autopilot: {rto: {min: 200, initial: 200}}});
		if (!labSession) return;
		const {session, peer} = labSession;
		session.setAuto(autoPolicies);
		const id = await session.connect({ip: peer, port: 5001});
		session.syn(id);
		await until(session, () => session.tcb(id).state === 'ESTABLISHED', 3000, 'the handshake');
		const total = 8000;
		session.write(id, chargenSlice(0, total));
		await until(session, () => session.tcb(id).sndWnd === 0, 5000, 'a zero window');
		await until(session, () => session.getSnapshot().connections.find(c => c.id === id)!.send.zeroWindowProbes > 0, 5000, 'a zero-window probe');
		const {iss} = session.tcb(id);
		await until(session, () => session.tcb(id).sndUna === ((iss + 1 + total) >>> 0), 20_000, 'all data acknowledged');
		const entries = session.log.slice(0, session.log.size).filter(entry => entry.connection === id);
		// While the window was zero, we sent nothing but one-octet probes.
		let window = 1;
		for (const entry of entries) {
			const tcp = entry.frame.tcp!;
			if (entry.direction === 'in') {
				window = tcp.window;
			} else if (window === 0 && tcp.payload.length > 0) {
				assert.equal(tcp.payload.length, 1, `frame ${entry.number}: only probes into a zero window`);
			}
		}

		assert.ok(entries.some(entry => entry.direction === 'out' && entry.annotations.some(a => a.code === 'zero-window-probe')));
	});

	test('listen 8080 and serve http: curl in the lab namespace gets the canned response', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, lab} = labSession;
		session.setAuto(autoPolicies);
		const id = session.listen(8080);
		session.serve(id, 'http');
		const url = `http://${lab.suggestedAddress}:8080/`;
		const first = await curl(lab, url);
		assert.equal(first, cannedBody);
		// The listener took its place again: a second request is served too.
		assert.equal(await curl(lab, url), cannedBody);
		const accepted = session.getSnapshot().connections.filter(c => c.local.port === 8080 && c.remote !== undefined);
		assert.equal(accepted.length, 2);
		await until(session, () => accepted.every(c => ['TIME-WAIT', 'CLOSED'].includes(session.tcb(c.id).state)), 3000, 'both closed');
	});
});

async function curl(lab: Parameters<typeof inLab>[0], url: string): Promise<string> {
	// curl runs in a child process so this one keeps serving while it waits.
	const {execFile} = await import('node:child_process');
	return new Promise((resolve, reject) => {
		execFile('ip', ['netns', 'exec', lab.namespace, 'curl', '-s', '--max-time', '5', url], {timeout: 10_000}, (error, stdout) => {
			if (error) reject(error);
			else resolve(stdout);
		});
	});
}
