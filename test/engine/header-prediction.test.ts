// Header prediction (Connection.receivePredicted) against the full path (Connection.receive): two
// connections driven alike, one taking each segment the predicted way when it can, must end every
// step in the same state with the same results, and the prediction must decline what it cannot take.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Connection, ReceiveResult} from '../../source/engine/connection.js';
import {seqAdd} from '../../source/engine/seq.js';
import type {PredictedSegment} from '../../source/wire/predicted-segment.js';
import type {TcpOption, TcpRecord} from '../../source/wire/records.js';
import {ACK, bytes, connectionIn, FIN, type Harness, PSH, RST, SYN, text} from '../helpers/engine.js';

const timestampsOffer: readonly TcpOption[] = [{kind: 'mss', value: 1460}, {kind: 'nop'}, {kind: 'nop'}, {kind: 'timestamps', value: 100, echo: 0}];

function withTimestamps(value: number): TcpOption[] {
	return [{kind: 'nop'}, {kind: 'nop'}, {kind: 'timestamps', value, echo: 0}];
}

/** What predictSegment would have read from the segment's frame. */
function predictedOf(segment: TcpRecord): PredictedSegment {
	const timestamps = segment.options.find(option => option.kind === 'timestamps');
	return {
		source: 0,
		destination: 0,
		sourcePort: segment.sourcePort,
		destinationPort: segment.destinationPort,
		seq: segment.seq,
		ack: segment.ack,
		window: segment.window,
		tsValue: timestamps?.kind === 'timestamps' ? timestamps.value : -1,
		payloadStart: 0,
		payloadEnd: segment.payload.length,
	};
}

/** The parts of a result a caller looks at; the lazy ACK built now, as the session would. */
function comparable(result: ReceiveResult) {
	return {
		verdicts: result.verdicts.map(verdict => verdict.code),
		events: result.events,
		accepted: result.accepted,
		ack: result.ack,
		respond: result.respond.map(reply => ({kind: reply.kind, segment: reply.segment})),
	};
}

type Pair = {readonly full: Harness; readonly predicted: Harness; taken: number};

function pair(timestamps: boolean): Pair {
	const options = timestamps ? {peerSynOptions: timestampsOffer} : {};
	return {full: connectionIn('ESTABLISHED', options), predicted: connectionIn('ESTABLISHED', options), taken: 0};
}

/** Hands `make`'s segment (built from each side's own harness) to both; true when the prediction took it. */
function step(p: Pair, make: (h: Harness) => TcpRecord, now = 0): boolean {
	const fullSegment = make(p.full);
	const segment = make(p.predicted);
	assert.deepEqual(segment, fullSegment, 'both sides were sent the same segment');
	const expected = p.full.connection.receive(now, fullSegment);
	const predicted = p.predicted.connection.receivePredicted(now, predictedOf(segment), segment.payload);
	const got = predicted ?? p.predicted.connection.receive(now, segment);
	assert.deepEqual(comparable(got), comparable(expected));
	same(p.predicted.connection, p.full.connection);
	if (predicted) p.taken++;
	return predicted !== undefined;
}

function same(a: Connection, b: Connection): void {
	assert.deepEqual(a.snapshot(), b.snapshot());
	assert.equal(a.rcvWnd, b.rcvWnd);
	assert.equal(a.readable, b.readable);
}

describe('header prediction (receivePredicted)', () => {
	test('in-order data is taken, and leaves the connection as receive does', () => {
		const p = pair(false);
		assert.equal(step(p, h => h.data('first ')), true);
		assert.equal(step(p, h => h.data('second ')), true);
		assert.equal(step(p, h => h.data('third', {flags: ACK})), true, 'PSH or not');
		assert.equal(text(p.predicted.connection.read()), 'first second third');
		assert.equal(text(p.full.connection.read()), 'first second third');
	});

	test('with timestamps negotiated: TS.Recent follows, an older TSval and a missing option go the full way', () => {
		const p = pair(true);
		assert.equal(p.predicted.connection.tcb.tsOk, true, 'the harness negotiated timestamps');
		assert.equal(step(p, h => h.data('a', {options: withTimestamps(200)})), true);
		assert.equal(p.predicted.connection.tcb.tsRecent, 200);
		assert.equal(step(p, h => h.data('b', {options: withTimestamps(300)})), true);
		// RFC 7323 §4.3: TS.Recent follows the segment our last ACK acknowledged, and none went out since 'a'.
		assert.equal(p.predicted.connection.tcb.tsRecent, 200);
		// RFC 7323 §5 (PAWS): an older TSval is the full path's to drop and name.
		assert.equal(step(p, h => h.from({flags: ACK | PSH, payload: bytes('c'), options: withTimestamps(150)})), false);
		assert.equal(step(p, h => h.data('d')), false, 'no timestamps option though negotiated');
		assert.equal(step(p, h => h.data('e', {options: withTimestamps(400)})), true);
	});

	test('what it declines: out of order, a new ACK, another window, a zero window, flags, no data, beyond the window', () => {
		const p = pair(false);
		const ahead = (h: Harness) => h.from({flags: ACK | PSH, seq: seqAdd(h.peerNxt, 10), payload: bytes('later')});
		assert.equal(step(p, ahead), false, 'a hole before it');
		// With a hole held, even in-order data goes the full way (it fills the hole: ACK at once).
		assert.equal(step(p, h => h.data('0123456789')), false);
		for (const h of [p.full, p.predicted]) h.peerNxt = seqAdd(h.peerNxt, 5);
		assert.equal(text(p.predicted.connection.read()), '0123456789later');
		assert.equal(text(p.full.connection.read()), '0123456789later');
		assert.equal(step(p, h => h.data('x', {window: 1000})), false, 'the window changes');
		assert.equal(step(p, h => h.data('y')), false, 'the window changed back');
		assert.equal(step(p, h => h.data('z')), true);
		assert.equal(step(p, h => h.from({window: 0, payload: bytes('w')})), false, 'a zero window');
		assert.equal(step(p, h => h.from()), false, 'a bare ACK');
		assert.equal(step(p, h => h.from({flags: ACK | RST, payload: bytes('r')})), false);
		assert.equal(step(p, h => h.from({flags: ACK | SYN, payload: bytes('s')})), false);
		assert.equal(step(p, h => h.from({seq: seqAdd(h.peerNxt, -1), payload: bytes('zz')})), false, 'partly old');
		const huge = new Uint8Array(p.predicted.connection.rcvWnd + 1);
		assert.equal(step(p, h => h.data(huge)), false, 'beyond the right edge');
	});

	test('with our data in flight: data that ACKs nothing new is taken, data that ACKs ours goes the full way', () => {
		const p = pair(false);
		p.full.connection.sendData(0, bytes('ours'));
		p.predicted.connection.sendData(0, bytes('ours'));
		const una = p.predicted.connection.tcb.sndUna;
		assert.equal(step(p, h => h.data('theirs', {ack: una})), true);
		assert.equal(step(p, h => h.data('more')), false, 'it acknowledges our four octets');
		assert.equal(p.predicted.connection.tcb.sndUna, seqAdd(una, 4));
	});

	test('it declines after the peer\'s FIN', () => {
		const p = pair(false);
		assert.equal(step(p, h => h.data('before')), true);
		assert.equal(step(p, h => h.from({flags: ACK | FIN})), false);
		p.full.peerNxt = seqAdd(p.full.peerNxt, 1);
		p.predicted.peerNxt = seqAdd(p.predicted.peerNxt, 1);
		assert.equal(p.predicted.connection.state, 'CLOSE-WAIT');
		assert.equal(step(p, h => h.data('after')), false, 'not ESTABLISHED');
	});
});
