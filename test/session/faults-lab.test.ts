// Fault injection against the Linux kernel in a lab (issue: fault injection): what Linux does when
// we break our segments or disturb its own.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseFault} from '../../source/syntax/fault-text.js';
import type {FaultPlan} from '../../source/engine/faults.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import type {LogEntry} from '../../source/session/packet-log.js';
import type {Session} from '../../source/session/session.js';
import {nextIn, sleep, until, useLabSession} from '../helpers/session.js';

const text = (value: string) => new TextEncoder().encode(value);
const codes = (entry: LogEntry) => entry.annotations.map(a => a.code);
const notes = (entry: LogEntry) => entry.annotations.map(a => a.text).join('; ');
const after = (session: Session, number: number) => session.log.slice(0, session.log.size).filter(entry => entry.number > number);

function plan(line: string): FaultPlan {
	const parsed = parseFault(line);
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.plan;
}

async function established(session: Session, peer: number, port: number): Promise<number> {
	const id = await session.connect({ip: peer, port});
	session.syn(id);
	await until(session, () => session.tcb(id).state === 'ESTABLISHED', 3000, 'SYN-ACK');
	session.ack(id);
	return id;
}

describe('faults against the kernel', () => {
	test('data with a bad TCP checksum is not acknowledged; the same data sent correctly is', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		const id = await established(session, peer, 9);
		const {sndNxt} = session.tcb(id);
		session.faults.add(plan('out bad-checksum on data'));
		const broken = session.data(id, text('0123456789'));
		assert.ok(codes(broken).includes('fault'), notes(broken));
		assert.equal(broken.frame.tcpChecksumOk, false, 'the frame on the wire really has a bad checksum');
		await sleep(400);
		assert.equal(session.tcb(id).sndUna, sndNxt, 'no ACK for the broken segment');
		assert.ok(after(session, broken.number).every(entry => entry.direction === 'out' || entry.frame.tcp?.ack !== ((sndNxt + 10) >>> 0)));

		const ack = nextIn(session, entry => entry.connection === id && entry.frame.tcp?.ack === ((sndNxt + 10) >>> 0));
		session.retransmit(id);
		await ack;
		assert.equal(session.tcb(id).sndUna, (sndNxt + 10) >>> 0);
	});

	test('with our ACKs held, the kernel retransmits with growing intervals, labelled as retransmissions', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		const id = await established(session, peer, 7);
		const start = session.log.count;
		session.data(id, text('echo me back'));
		const copies: LogEntry[] = [];
		await until(session, () => {
			const arrivals = after(session, start).filter(entry => entry.direction === 'in' && entry.connection === id && (entry.frame.tcp?.payload.length ?? 0) > 0);
			copies.splice(0, copies.length, ...arrivals);
			return arrivals.length >= 5;
		}, 12_000, 'five copies of the echo');
		const times = copies.map(entry => entry.timestamp.seconds + entry.timestamp.nanoseconds / 1e9);
		const intervals = times.slice(1).map((time, i) => time - times[i]!);
		// Linux's first re-send is a tail loss probe (RFC 8985 §7), at the same timeout as the first
		// RTO; from there on each RTO doubles (RFC 6298 §5.5).
		for (let i = 2; i < intervals.length; i++) {
			assert.ok(intervals[i]! >= 1.5 * intervals[i - 1]!, `interval ${i} ${intervals[i]!.toFixed(3)} s vs ${intervals[i - 1]!.toFixed(3)} s`);
		}

		for (const copy of copies.slice(1)) assert.ok(codes(copy).includes('retransmission'), notes(copy));
		assert.ok(copies.slice(2).some(copy => /backoff|doubled/i.test(notes(copy))), `an RTO backoff is explained: ${copies.map(notes).join(' | ')}`);
		session.ack(id);
	});

	test('advertising a zero window makes the kernel probe; reopening resumes the transfer', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		const id = await established(session, peer, 19);
		// The chargen source sends at once until our window is full. Once it has nothing in flight, our
		// ACK of everything, with the window field forced to 0, leaves it only the persist timer.
		let quietSince = Date.now();
		let seen = session.log.count;
		for (const deadline = Date.now() + 5000; Date.now() < deadline && Date.now() - quietSince < 300;) {
			await sleep(50);
			if (session.log.count !== seen) {
				seen = session.log.count;
				quietSince = Date.now();
			}
		}

		// Our buffer is emptied, so only the fault closes the window the kernel sees.
		session.read(id);
		assert.ok(session.tcb(id).rcvWnd > 0);
		session.faults.add(plan('out window 0 always'));
		const closing = session.ack(id);
		assert.equal(closing.frame.tcp!.window, 0);
		const beforeProbes = session.log.count;
		await until(session, () => after(session, beforeProbes).some(entry => entry.direction === 'in' && codes(entry).includes('zero-window-probe')), 8000, 'a zero-window probe');
		const probes = after(session, beforeProbes).filter(entry => codes(entry).includes('zero-window-probe'));
		assert.ok(probes.length >= 1);
		// Answer each probe with the window still shut, then reopen it.
		session.ack(id);
		session.faults.clear();
		session.read(id);
		const reopened = session.log.count;
		session.ack(id);
		await until(session, () => after(session, reopened).some(entry => entry.direction === 'in' && (entry.frame.tcp?.payload.length ?? 0) > 1), 5000, 'data after reopening');
		session.rst(id);
	});

	test('an inexact in-window RST draws a challenge ACK, an out-of-window one nothing; a duplicated data segment draws a duplicate ACK with D-SACK', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		const id = await established(session, peer, 9);
		assert.equal(session.tcb(id).options.sackPermitted, true);
		const {sndNxt} = session.tcb(id);
		// RFC 5961 §3.2: in the window but not exact: a challenge ACK. (A fault's seq offset would not do
		// here: the TCB believes it sent a proper RST and closes; an override leaves the TCB alone.)
		const challenge = nextIn(session, entry => entry.connection === id);
		session.rst(id, {seq: (sndNxt + 100) >>> 0});
		const answer = await challenge;
		assert.ok(codes(answer).includes('challenge-ack'), notes(answer));
		assert.equal(session.tcb(id).state, 'ESTABLISHED');
		await sleep(600);
		// Outside the window: dropped silently (RFC 5961 §3.2, Linux tcp_validate_incoming).
		const outside = session.log.count;
		session.rst(id, {seq: (sndNxt + 50_000_000) >>> 0});
		await sleep(400);
		assert.deepEqual(after(session, outside).filter(entry => entry.direction === 'in'), []);
		assert.equal(session.tcb(id).state, 'ESTABLISHED');

		session.faults.add(plan('out duplicate on data'));
		const first = nextIn(session, entry => entry.connection === id && entry.frame.tcp?.ack === ((sndNxt + 5) >>> 0));
		session.data(id, text('twice'));
		await first;
		const dup = await nextIn(session, entry => entry.connection === id && entry.frame.tcp?.options.some(option => option.kind === 'sack') === true);
		const sack = dup.frame.tcp!.options.find(option => option.kind === 'sack');
		assert.ok(sack && sack.kind === 'sack');
		assert.deepEqual(sack.blocks[0], [sndNxt, (sndNxt + 5) >>> 0], 'D-SACK: the block reports the duplicate (RFC 2883)');
		assert.equal(dup.frame.tcp!.ack, (sndNxt + 5) >>> 0);
	});

	test('dropping 3 incoming data segments in auto mode: the transfer completes through retransmission', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer, lab} = labSession;
		session.setAuto(autoPolicies);
		const id = await session.connect({ip: peer, port: 80});
		session.faults.add(plan('in drop count 3 on data'));
		session.syn(id);
		await until(session, () => session.tcb(id).state === 'ESTABLISHED', 3000, 'handshake');
		session.write(id, text(`GET /bytes/200000 HTTP/1.0\r\nHost: ${lab.peerAddress}\r\n\r\n`));
		const received: Uint8Array[] = [];
		let total = 0;
		await until(session, () => {
			const chunk = session.read(id);
			if (chunk.length > 0) {
				received.push(chunk);
				total += chunk.length;
			}

			return session.tcb(id).finReceived && session.tcb(id).readable === 0;
		}, 15_000, 'the whole response');
		const dropped = session.log.slice(0, session.log.size).filter(entry => entry.direction === 'in' && entry.annotations.some(a => a.code === 'fault' && /dropped/.test(a.text)));
		assert.equal(dropped.length, 3);
		const body = Buffer.concat(received).toString('latin1');
		const head = body.indexOf('\r\n\r\n');
		assert.match(body.slice(0, head), /^HTTP\/1\.1 200/);
		assert.equal(total - head - 4, 200_000);
		assert.ok(session.log.slice(0, session.log.size).some(entry => entry.direction === 'in' && codes(entry).includes('retransmission')));
	});
});
