// The reader in front of the receive buffer: the window opens as data is read; the slow reader's rate
// on a fake clock. A scripted peer on an in-memory link; the session's clock moves only when told.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import type {Clock} from '../../source/session/clock.js';
import {nextReaderMode, ReadBudget} from '../../source/session/reader.js';
import {Session} from '../../source/session/session.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type TcpRecord, tcpFlags} from '../../source/wire/records.js';
import {sleep} from '../helpers/session.js';

const ours = 0xc6_12_00_0a;
const theirs = 0xc6_12_00_02;
const ourMac = 0x02_00_00_00_00_0a;
const theirMac = 0x02_00_00_00_00_02;
const {SYN, ACK, PSH} = tcpFlags;
const buffer = 8192;
const mss = 1024;

/** A session clock that moves only on `advance`, running the timers that fall due on the way, in order. */
class FakeClock implements Clock {
	current = 0;
	readonly #timers: Array<{at: number; callback: () => void; live: boolean}> = [];

	now(): number {
		return this.current;
	}

	at(at: number, callback: () => void): () => void {
		const timer = {at, callback, live: true};
		this.#timers.push(timer);
		return () => {
			timer.live = false;
		};
	}

	advance(ms: number): void {
		const end = this.current + ms;
		for (;;) {
			const due = this.#timers.filter(timer => timer.live && timer.at <= end).sort((a, b) => a.at - b.at)[0];
			if (!due) break;
			due.live = false;
			this.current = Math.max(this.current, due.at);
			due.callback();
		}

		this.current = end;
	}
}

/** Until the session has handled every frame: under load it works through them over several turns. */
async function settle(session: Session): Promise<void> {
	await sleep(5);
	for (let turns = 0; session.host.backlog > 0 && turns < 400; turns++) await sleep(5);
}

/** An established connection (we listened, auto mode, ACKs at once) with an 8 KiB receive buffer. */
async function established(readerRate?: number) {
	const clock = new FakeClock();
	const [link, peer] = createMemoryLinkPair({name: 'a', mac: ourMac}, {name: 'b', mac: theirMac});
	const sent: TcpRecord[] = [];
	peer.onFrame(frame => {
		const tcp = decodeFrame(frame.bytes).tcp;
		if (tcp) sent.push(tcp);
	});
	const session = new Session({link, ip: ours, network: 0xc6_12_00_00, prefixLength: 24, probe: false, clock, connection: {receiveBuffer: buffer}, ...(readerRate === undefined ? {} : {readerRate})});
	session.setAuto({...autoPolicies, ack: 'immediate'});
	const id = session.listen(80);
	let peerNxt = 1001;
	const deliver = (fields: {seq: number; ack?: number; flags: number; payload?: Uint8Array; options?: TcpRecord['options']}) => {
		peer.send(tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort: 5555, destinationPort: 80, ...fields}));
	};

	deliver({seq: 1000, flags: SYN, options: [{kind: 'mss', value: mss}]});
	await settle(session);
	const iss = sent.at(-1)!.seq;
	deliver({seq: 1001, ack: iss + 1, flags: ACK});
	await settle(session);
	assert.equal(session.tcb(id).state, 'ESTABLISHED');
	/** The peer sends `total` octets in MSS-sized segments, as far as our window lets it. */
	const send = async (total: number) => {
		for (let sentSoFar = 0; sentSoFar < total; sentSoFar += mss) {
			const payload = new Uint8Array(Math.min(mss, total - sentSoFar)).fill(0x61);
			deliver({seq: peerNxt, ack: iss + 1, flags: ACK | PSH, payload});
			peerNxt += payload.length;
		}

		await settle(session);
	};

	return {session, id, sent, send, clock, close: () => session.close()};
}

describe('the reader', () => {
	test('R cycles arrival, manual, slow', () => {
		assert.deepEqual([nextReaderMode('arrival'), nextReaderMode('manual'), nextReaderMode('slow')], ['manual', 'slow', 'arrival']);
	});

	test('ReadBudget: rate × time waited, fractions carried, nothing saved up while idle', () => {
		const budget = new ReadBudget(15);
		assert.equal(budget.take(0, 1000), 0, 'the clock starts');
		const taken = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map(now => budget.take(now, 1000));
		assert.equal(taken.reduce((a, b) => a + b), 15, 'a second at 15 B/s is 15 octets, though each tick owes 1.5');
		assert.equal(budget.take(1100, 0), 0, 'nothing to read');
		budget.idle();
		assert.equal(budget.take(60_000, 1000), 0, 'a minute idle gives no burst');
		assert.equal(budget.take(60_100, 1000), 1);
	});

	test('manual: the window closes as data waits, and reading opens it with a window update', async t => {
		const {session, id, sent, send, close} = await established();
		t.after(close);
		session.setReader('manual');
		await send(buffer);
		assert.deepEqual(session.readPosition(id), {read: 0, unread: buffer});
		assert.equal(sent.at(-1)!.window, 0, 'our window is closed');
		const before = sent.length;
		const read = session.read(id);
		await settle(session);
		assert.equal(read.length, buffer);
		assert.deepEqual(session.readPosition(id), {read: buffer, unread: 0});
		const update = sent.slice(before);
		assert.equal(update.length, 1, 'one window update');
		assert.equal(update[0]!.window, buffer);
		const view = session.getSnapshot().connections.find(connection => connection.id === id)!;
		assert.deepEqual(view.reader, {mode: 'manual', rate: 10_000, read: buffer, unread: 0});
	});

	test('arrival: data is read as it comes; every ACK carries the full window', async t => {
		const {session, id, sent, send, close} = await established();
		t.after(close);
		const heard: number[] = [];
		session.onRead((connection, bytes) => heard.push(bytes.length));
		const before = sent.length;
		// A window's worth at a time, as a peer that respects our window sends.
		for (let round = 0; round < 3; round++) await send(buffer);
		assert.deepEqual(session.readPosition(id), {read: 3 * buffer, unread: 0});
		assert.equal(heard.reduce((a, b) => a + b), 3 * buffer, 'read listeners hear every octet');
		const acks = sent.slice(before);
		assert.ok(acks.length >= 3);
		assert.ok(acks.every(ack => ack.window === buffer), `windows ${acks.map(ack => ack.window).join(' ')}`);
	});

	test('switching a stalled connection to arrival reads what waits and announces the window', async t => {
		const {session, id, sent, send, close} = await established();
		t.after(close);
		session.setReader('manual');
		await send(buffer);
		const before = sent.length;
		session.setReader('arrival');
		await settle(session);
		assert.deepEqual(session.readPosition(id), {read: buffer, unread: 0});
		assert.equal(sent.slice(before).at(-1)?.window, buffer);
	});

	test('slow: reads at its rate on the session clock; the window reopens by at least an MSS at a time', async t => {
		const {session, id, sent, send, clock, close} = await established(2000);
		t.after(close);
		session.setReader('slow');
		await send(buffer);
		assert.equal(sent.at(-1)!.window, 0);
		const before = sent.length;
		const reads: number[] = [];
		for (let tick = 1; tick <= 20; tick++) {
			clock.advance(100);
			reads.push(session.readPosition(id).read);
			if (tick === 1) {
				const tcb = session.tcb(id);
				assert.deepEqual([tcb.rcvWnd, tcb.rcvWndAnnounced], [200, 0], '200 octets free, but the right edge holds (SWS avoidance)');
			}
		}

		await settle(session);
		assert.deepEqual(reads.slice(0, 5), [200, 400, 600, 800, 1000]);
		assert.equal(session.readPosition(id).read, 4000, 'two seconds at 2000 B/s');
		const updates = sent.slice(before);
		assert.ok(updates.length >= 2, 'window updates went out');
		// RFC 9293 §3.8.6.2.2: each announced increase is at least min(RCV.BUFF / 2, MSS).
		let window = 0;
		for (const update of updates) {
			assert.ok(update.window - window >= mss, `window ${window} -> ${update.window}`);
			window = update.window;
		}

		assert.equal(updates[0]!.window, 1200, 'the first update once 1200 >= MSS (1024) were read');
	});

	test('slow, then manual and slow again: the slow reader starts over on the next data', async t => {
		const {session, id, send, clock, close} = await established(1000);
		t.after(close);
		session.setReader('slow');
		await send(1000);
		clock.advance(100);
		assert.equal(session.readPosition(id).read, 100);
		// R while the slow reader has its clock running, then away from slow and back.
		assert.equal(session.read(id).length, 900);
		session.setReader('manual');
		session.setReader('slow');
		await send(1000);
		clock.advance(500);
		assert.equal(session.readPosition(id).read, 1500, '500 more in half a second at 1000 B/s');
		session.setReader('manual');
		clock.advance(2000);
		assert.equal(session.readPosition(id).read, 1500, 'manual: nothing more is read');
	});

	test('slow: nothing waits, nothing ticks; a low rate stays exact', async t => {
		const {session, id, send, clock, close} = await established(5);
		t.after(close);
		session.setReader('slow');
		clock.advance(10_000);
		await send(100);
		clock.advance(4000);
		assert.equal(session.readPosition(id).read, 20, '4 s at 5 B/s, counted from the data\'s arrival');
	});
});
