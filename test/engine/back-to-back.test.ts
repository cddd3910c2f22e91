import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {TcpRecord} from '../../source/wire/records.js';
import {Connection, type ConnectionConfig, type SendResult} from '../../source/engine/connection.js';
import {seqSub} from '../../source/engine/seq.js';
import type {Verdict} from '../../source/engine/verdict.js';
import {seededRandom} from '../helpers/engine.js';

/**
 * Verdicts that must never appear between two conformant engines on a merely unreliable path. PAWS
 * drops are not among them: a duplicated segment, or a pure ACK overtaken by a newer one, carries an
 * older TSval and is rightly dropped (Linux drops the latter too, tcp_disordered_ack aside).
 */
const wrong = new Set(['would-reset', 'unsent-ack', 'reset', 'out-of-window', 'challenge-ack', 'data-after-fin', 'not-in-state', 'tcb-unchanged', 'beyond-window', 'exceeds-mss', 'missing-timestamp']);

type Path = {readonly reorder: number; readonly drop: number; readonly duplicate: number};

type Packet = {readonly to: 'a' | 'b'; readonly segment: TcpRecord};

/**
 * Two engines back to back. What auto mode will do is played here by hand: every reply `receive`
 * offers is sent, the sender fills the peer's window with MSS-sized segments, and a stalled path is
 * unstuck by a retransmission or a window update. The path reorders, drops and duplicates segments
 * from a seeded generator.
 */
function transfer(total: number, path: Path, config: Partial<ConnectionConfig>, seed: number) {
	const random = seededRandom(seed);
	const a = new Connection({localPort: 40_000, remotePort: 80, iss: 2 ** 32 - 1000, random: seededRandom(seed + 1), ...config});
	const b = new Connection({localPort: 80, iss: 2 ** 32 - 300, random: seededRandom(seed + 2), ...config});
	const peers = {a, b};
	const payload = Uint8Array.from({length: total}, () => Math.floor(random() * 256));
	const received: Uint8Array[] = [];
	const network: Packet[] = [];
	const odd: Verdict[] = [];
	const segments = {sent: 0, dropped: 0};
	let now = 0;
	let offset = 0;
	let closing = false;

	const send = (from: 'a' | 'b', result: SendResult) => {
		for (const v of result.verdicts) if (wrong.has(v.code)) odd.push(v);
		assert.equal(result.segment.flags & 0x04, 0, `${from} sent a RST: ${JSON.stringify(result.verdicts)}`);
		segments.sent++;
		if (random() < path.drop) {
			segments.dropped++;
			return;
		}

		const packet = {to: from === 'a' ? 'b' as const : 'a' as const, segment: result.segment};
		network.push(packet);
		if (random() < path.duplicate) network.push(packet);
	};

	const fill = () => {
		while (offset < total && a.state === 'ESTABLISHED') {
			const s = a.snapshot();
			const room = s.sndWnd - seqSub(s.sndNxt, s.sndUna);
			const size = Math.min(s.options.sndMss, total - offset, room);
			if (size <= 0) return;
			send('a', a.sendData(now, payload.subarray(offset, offset + size)));
			offset += size;
		}
	};

	b.listen(now);
	send('a', a.sendSyn(now));
	for (let step = 0; step < 200_000; step++) {
		now++;
		if (network.length > 0) {
			const pick = network.length > 1 && random() < path.reorder ? 1 : 0;
			const [packet] = network.splice(pick, 1);
			const to = peers[packet!.to];
			const result = to.receive(now, packet!.segment);
			for (const v of result.verdicts) if (wrong.has(v.code)) odd.push(v);
			for (const reply of result.respond) send(packet!.to, to.sendReply(now, reply));
			if (packet!.to === 'a' && result.verdicts.some(v => v.code === 'duplicate-ack' && v.text.startsWith('duplicate ACK #3'))) {
				send('a', a.retransmit(now)!);
			}

			if (random() < 0.3 && b.readable > 0) received.push(b.read());
		} else if (b.readable > 0) {
			received.push(b.read());
			send('b', b.sendAck(now));
		} else if (a.unackedSegments > 0) {
			send('a', a.retransmit(now)!);
		} else if (b.unackedSegments > 0) {
			send('b', b.retransmit(now)!);
		} else if (offset === total && !closing && a.state === 'ESTABLISHED') {
			closing = true;
			send('a', a.sendFin(now));
		} else if (b.state === 'CLOSE-WAIT') {
			send('b', b.sendFin(now));
		} else if (a.state === 'TIME-WAIT' && b.state === 'CLOSED') {
			break;
		}

		fill();
	}

	const deadline = a.pollAt();
	if (deadline !== undefined) a.poll(deadline);
	return {a, b, payload, received: concat(received), odd, segments};
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}

	return out;
}

describe('two engines back to back', () => {
	it('handshake, 1 MiB over a reordering, lossy path across the 2^32 wrap, clean close', () => {
		const run = transfer(1 << 20, {reorder: 0.05, drop: 0.01, duplicate: 0.01}, {}, 7);
		assert.deepEqual(run.odd, []);
		assert.equal(run.received.length, run.payload.length);
		assert.ok(Buffer.from(run.received).equals(Buffer.from(run.payload)), 'the bytes arrive intact and in order');
		assert.ok(run.segments.dropped > 0, 'the path did drop segments');
		assert.deepEqual(run.a.transitions.map(t => t.to), ['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED']);
		assert.deepEqual(run.b.transitions.map(t => t.to), ['LISTEN', 'SYN-RECEIVED', 'ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
		for (const t of [...run.a.transitions, ...run.b.transitions]) assert.match(t.why, /RFC \d+/, `${t.from} -> ${t.to}`);
		const {options} = run.a.snapshot();
		assert.ok(options.windowScale && options.timestamps && options.sackPermitted);
		assert.ok(run.a.snapshot().sndNxt < 2 ** 21, 'our sequence numbers wrapped past 2^32');
	});

	it('the same with every option off and reordering only', () => {
		const config = {sackPermitted: false, timestamps: false, windowScale: false as const};
		const run = transfer(1 << 20, {reorder: 0.05, drop: 0, duplicate: 0}, config, 11);
		assert.deepEqual(run.odd, []);
		assert.ok(Buffer.from(run.received).equals(Buffer.from(run.payload)));
		assert.equal(run.a.state, 'CLOSED');
		assert.equal(run.b.state, 'CLOSED');
		assert.equal(run.a.snapshot().options.windowScale, undefined);
	});
});
