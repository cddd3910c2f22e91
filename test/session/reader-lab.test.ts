// The reader against the Linux kernel in a lab, with the TUI's receive buffer (128 KiB): reading on
// arrival lets a 2 MiB download through; a manual reader stops it at the window until a read and an
// ACK; a slow reader sets its pace, with window updates (RFC 9293 §3.8.6.2.2).
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {describe, test} from 'node:test';
import {seqAdd, seqGe, seqSub} from '../../source/engine/seq.js';
import {chargenSlice} from '../../source/lab/chargen-pattern.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import type {LogEntry} from '../../source/session/packet-log.js';
import type {Session} from '../../source/session/session.js';
import {sleep, until, useLabSession} from '../helpers/session.js';

const text = (value: string) => new TextEncoder().encode(value);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const megabytes2 = 2_097_152;

/** Connects to the lab's HTTP server and sends the GET as `s` and `d` do (auto mode ACKs the SYN-ACK). */
async function get(session: Session, peer: number, path: string): Promise<{id: number; received: () => Buffer}> {
	const id = await session.connect({ip: peer, port: 80});
	const chunks: Uint8Array[] = [];
	session.onRead((connection, bytes) => {
		// Read listeners get views of buffers the engine may reuse: keep a copy.
		if (connection === id) chunks.push(bytes.slice());
	});
	session.syn(id);
	await until(session, () => session.tcb(id).state === 'ESTABLISHED', 3000, 'the handshake');
	session.data(id, text(`GET ${path} HTTP/1.0\r\n\r\n`));
	return {id, received: () => Buffer.concat(chunks)};
}

function outgoing(session: Session, id: number): LogEntry[] {
	return session.log.slice(0, session.log.size).filter(entry => entry.connection === id && entry.direction === 'out' && entry.frame.tcp !== undefined);
}

/** Octets received in order: what the application read plus what waits. */
function received(session: Session, id: number): number {
	const {read, unread} = session.readPosition(id);
	return read + unread;
}

describe('the reader against the kernel', () => {
	test('auto mode reads on arrival: GET /bytes/2097152 completes within 10 s, every body octet read, our last ACK covering it', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		session.setAuto(autoPolicies);
		assert.equal(session.getSnapshot().auto.read, 'arrival', 'auto mode reads on arrival');
		const started = performance.now();
		const {id, received: all} = await get(session, peer, `/bytes/${megabytes2}`);
		await until(session, () => session.tcb(id).finReceived, 10_000, 'the whole body and the server\'s FIN');
		t.diagnostic(`${((performance.now() - started) / 1000).toFixed(2)} s`);
		const bytes = all();
		const split = bytes.indexOf('\r\n\r\n');
		assert.match(bytes.subarray(0, split).toString('latin1'), /^HTTP\/1\.[01] 200 OK/);
		const body = bytes.subarray(split + 4);
		assert.equal(body.length, megabytes2);
		assert.equal(sha256(body), sha256(chargenSlice(0, megabytes2)));
		assert.equal(session.readPosition(id).unread, 0);
		const tcb = session.tcb(id);
		await until(session, () => {
			const last = outgoing(session, id).at(-1)!.frame.tcp!;
			return seqGe(last.ack, tcb.rcvNxt);
		}, 2000, 'our ACK of everything, FIN included');
		assert.equal(seqSub(tcb.rcvNxt, seqAdd(tcb.irs!, 1)), bytes.length + 1, 'RCV.NXT is past the body and the FIN');
	});

	test('a manual reader stops the download at the window; a read and an ACK (a) let it go on', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		// Auto mode without window updates: the user announces the window with `a`.
		session.setAuto({...autoPolicies, windowUpdate: false, read: 'manual'});
		const {id} = await get(session, peer, `/bytes/${megabytes2}`);
		await until(session, () => outgoing(session, id).at(-1)!.frame.tcp!.window === 0, 5000, 'our window closed');
		const stopped = received(session, id);
		assert.ok(stopped > 120_000, `${stopped} octets: about the receive buffer (128 KiB)`);
		await sleep(700);
		assert.equal(received(session, id), stopped, 'nothing more is taken while nobody reads');
		assert.equal(session.readPosition(id).read, 0);
		assert.equal(outgoing(session, id).at(-1)!.frame.tcp!.window, 0, 'we still advertise a zero window (to the kernel\'s probes too)');
		assert.equal(session.read(id).length, stopped);
		const ack = session.ack(id);
		assert.ok(ack.frame.tcp!.window > 0, 'the ACK announces the open window');
		await until(session, () => received(session, id) > stopped + 10_000, 3000, 'the download going on');
		assert.equal(session.readPosition(id).read, stopped);
	});

	test('a slow reader sets the pace: about its rate (within 20 %), with window updates', async t => {
		const labSession = await useLabSession(t, {readerRate: 100_000});
		if (!labSession) return;
		const {session, peer} = labSession;
		session.setAuto(autoPolicies);
		session.setReader('slow');
		const {id} = await get(session, peer, `/bytes/${megabytes2}`);
		// The first 128 KiB fill the buffer at once; from then on data can only come as fast as it is read.
		await until(session, () => session.readPosition(id).read > 0 && session.readPosition(id).unread > 65_536, 5000, 'the buffer filled');
		await sleep(500);
		const from = {at: performance.now(), received: received(session, id), updates: session.getSnapshot().connections.find(c => c.id === id)!.send.windowUpdates};
		await sleep(3000);
		const seconds = (performance.now() - from.at) / 1000;
		const rate = (received(session, id) - from.received) / seconds;
		const updates = session.getSnapshot().connections.find(c => c.id === id)!.send.windowUpdates - from.updates;
		t.diagnostic(`${rate.toFixed(0)} B/s, ${updates} window updates in ${seconds.toFixed(2)} s`);
		assert.ok(Math.abs(rate - 100_000) <= 20_000, `received ${rate.toFixed(0)} B/s`);
		assert.ok(updates >= 5, `${updates} window updates`);
		const announced = outgoing(session, id).filter(entry => entry.annotations.some(note => note.code === 'window-update'));
		assert.ok(announced.length > 0, 'the log shows window updates');
	});
});
