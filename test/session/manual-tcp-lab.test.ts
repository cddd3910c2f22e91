// TCP by hand against the Linux kernel in a lab: every segment we send is one the test asks for
// (no auto mode), and the kernel's answers are checked with the verdicts the log gives them.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {LogEntry} from '../../source/session/packet-log.js';
import type {Session} from '../../source/session/session.js';
import {tcpFlags} from '../../source/wire/records.js';
import {labStats} from '../helpers/lab.js';
import {nextIn, sleep, until, useLabSession} from '../helpers/session.js';

const text = (value: string) => new TextEncoder().encode(value);
const codes = (entry: LogEntry) => entry.annotations.map(a => a.code);
const isTcp = (entry: LogEntry, flag: number) => Boolean(entry.frame.tcp && (entry.frame.tcp.flags & flag));
const allEntries = (session: Session) => session.log.slice(0, session.log.size);

/** Plays the user who presses `a` whenever in-order data arrived that we have not acknowledged. */
function ackDataByHand(session: Session, id: number): () => void {
	let acked = session.tcb(id).rcvNxt;
	return session.subscribe(() => {
		const tcb = session.tcb(id);
		if (tcb.rcvNxt !== acked && tcb.state !== 'CLOSED' && tcb.state !== 'TIME-WAIT') {
			acked = tcb.rcvNxt;
			session.ack(id);
		}
	});
}

async function handshake(session: Session, id: number): Promise<void> {
	session.syn(id);
	await until(session, () => session.tcb(id).state === 'ESTABLISHED', 3000, 'SYN-ACK');
	session.ack(id);
}

describe('manual TCP against the kernel', () => {
	test('SYN, SYN-ACK, ACK, GET, the response ACKed by hand, FIN both ways, TIME-WAIT, and no RST', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		const id = await session.connect({ip: peer, port: 80});
		assert.equal(session.tcb(id).state, 'CLOSED', 'connect sends nothing');
		await handshake(session, id);
		const stopAcking = ackDataByHand(session, id);
		try {
			session.data(id, text('GET / HTTP/1.0\r\n\r\n'));
			// Like `nc -N`: our FIN right after the request, so we close first and end in TIME-WAIT.
			session.fin(id);
			await until(session, () => session.tcb(id).finReceived, 5000, 'the server\'s FIN');
		} finally {
			stopAcking();
		}

		// The server's FIN is acknowledged by hand too.
		if (session.tcb(id).state !== 'TIME-WAIT') session.ack(id);
		await until(session, () => session.tcb(id).state === 'TIME-WAIT', 3000, 'TIME-WAIT');
		const response = new TextDecoder().decode(session.read(id));
		assert.match(response, /^HTTP\/1\.[01] 200 OK\r\n/);
		assert.match(response, /<html/i);
		await sleep(300);
		assert.equal(session.tcb(id).state, 'TIME-WAIT');
		const resets = allEntries(session).filter(entry => isTcp(entry, tcpFlags.RST));
		assert.deepEqual(resets.map(entry => entry.number), [], 'no RST anywhere');
		const states = session.tcb(id).transitions.map(transition => transition.to);
		// The server's FIN may come before or with its ACK of ours: FIN-WAIT-2, or CLOSING (RFC 9293 §3.6).
		assert.deepEqual(states.slice(0, 3), ['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1']);
		assert.ok(states[3] === 'FIN-WAIT-2' || states[3] === 'CLOSING', states.join(' '));
		assert.deepEqual(states.slice(4), ['TIME-WAIT']);
	});

	test('a RST in ESTABLISHED reaches the kernel\'s socket as ECONNRESET', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer, lab} = labSession;
		const before = labStats(lab).echo!.resets;
		const id = await session.connect({ip: peer, port: 7});
		await handshake(session, id);
		session.data(id, text('hello'));
		await until(session, () => session.tcb(id).readable === 5, 3000, 'the echo');
		session.ack(id);
		session.rst(id);
		assert.equal(session.tcb(id).state, 'CLOSED');
		let resets = before;
		for (let i = 0; i < 30 && resets === before; i++) {
			await sleep(100);
			resets = labStats(lab).echo!.resets;
		}

		assert.equal(resets, before + 1, 'the echo server saw ECONNRESET');
	});

	test('a SYN to a closed port: the kernel\'s RST moves us to CLOSED, with the reason in the log', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		const id = await session.connect({ip: peer, port: 81});
		const rst = nextIn(session, entry => isTcp(entry, tcpFlags.RST));
		session.syn(id);
		const entry = await rst;
		assert.equal(session.tcb(id).state, 'CLOSED');
		assert.ok(codes(entry).includes('reset'), codes(entry).join());
		assert.equal(entry.connection, id);
		const last = session.tcb(id).transitions.at(-1)!;
		assert.deepEqual([last.from, last.to], ['SYN-SENT', 'CLOSED']);
		assert.match(last.why, /RST/);
	});

	test('out-of-window data draws an ACK; an inexact in-window RST draws a challenge ACK; the connection survives', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer, lab} = labSession;
		const id = await session.connect({ip: peer, port: 7});
		await handshake(session, id);
		const {sndNxt} = session.tcb(id);

		const answer = nextIn(session, entry => entry.connection === id);
		const probe = session.data(id, text('far away'), {seq: (sndNxt + 10_000_000) >>> 0});
		assert.ok(codes(probe).includes('tcb-unchanged'), codes(probe).join());
		const ack = await answer;
		assert.ok(codes(ack).includes('probe-answer'), codes(ack).join());
		assert.equal(ack.frame.tcp!.ack, sndNxt, 'the kernel acknowledges what it really has');
		assert.equal(session.tcb(id).sndNxt, sndNxt, 'the probe did not move SND.NXT');

		// Linux rate-limits answers to out-of-window segments per socket (tcp_invalid_ratelimit, 500 ms).
		await sleep(600);
		const challenge = nextIn(session, entry => entry.connection === id);
		session.rst(id, {seq: (sndNxt + 100) >>> 0});
		assert.equal(session.tcb(id).state, 'ESTABLISHED', 'an inexact RST does not close our side');
		const challengeAck = await challenge;
		assert.ok(codes(challengeAck).includes('challenge-ack'), codes(challengeAck).join());

		session.data(id, text('still here'));
		await until(session, () => session.tcb(id).readable === 10, 3000, 'the echo after the challenge');
		assert.equal(new TextDecoder().decode(session.read(id)), 'still here');
		assert.equal(labStats(lab).echo!.resets, 0);
	});

	test('withholding our ACK: the kernel retransmits, and the log says so', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer} = labSession;
		const id = await session.connect({ip: peer, port: 7});
		await handshake(session, id);
		const first = nextIn(session, entry => entry.connection === id && (entry.frame.tcp?.payload.length ?? 0) > 0);
		session.data(id, text('echo me'));
		const original = await first;
		const again = await nextIn(session, entry => entry.connection === id && (entry.frame.tcp?.payload.length ?? 0) > 0, 5000);
		assert.equal(again.frame.tcp!.seq, original.frame.tcp!.seq);
		assert.ok(codes(again).includes('retransmission'), codes(again).join());
		session.ack(id);
	});

	test('a handshake and a 1 MiB upload with our ISS 1000 below 2^32 work across the wrap', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, peer, lab} = labSession;
		const before = labStats(lab).discard!.bytesIn;
		const iss = 2 ** 32 - 1000;
		const id = await session.connect({ip: peer, port: 9}, {iss});
		await handshake(session, id);
		assert.equal(session.tcb(id).iss, iss);
		const total = 1 << 20;
		const chunk = new Uint8Array(1400).fill(0x61);
		let sent = 0;
		const deadline = Date.now() + 30_000;
		const room = () => session.tcb(id).sndWnd - session.tcb(id).bytesInFlight;
		// The user's loop, bounded in segments and time: send while the peer's window has room.
		for (let segments = 0; sent < total && segments < 5000 && Date.now() < deadline;) {
			const size = Math.min(chunk.length, total - sent);
			if (room() >= size) {
				session.data(id, chunk.subarray(0, size));
				sent += size;
				segments++;
			} else {
				await until(session, () => room() >= size, 3000, 'room in the window');
			}
		}

		await until(session, () => session.tcb(id).bytesInFlight === 0, 5000, 'everything acknowledged');
		assert.equal(sent, total);
		const {sndUna} = session.tcb(id);
		assert.equal(sndUna, (iss + 1 + total) % 2 ** 32, 'SND.UNA wrapped past 2^32');
		assert.ok(sndUna < iss, 'and is numerically below the ISS now');
		let received = 0;
		for (let i = 0; i < 30 && received < total; i++) {
			received = labStats(lab).discard!.bytesIn - before;
			if (received < total) await sleep(100);
		}

		assert.equal(received, total);
	});
});
