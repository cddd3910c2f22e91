// The checks of our own segments as pure functions: the same TCB and segment give the same verdicts
// and effect, and nothing is changed.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {checkOutgoing, checkOutgoingAck, type OutgoingContext} from '../../source/engine/outgoing-check.js';
import {makeSegment} from '../../source/engine/segment.js';
import {seqAdd} from '../../source/engine/seq.js';
import type {TcpRecord} from '../../source/wire/records.js';
import {ACK, bytes, connectionIn, FIN, localPort, PSH, remotePort, RST, SYN} from '../helpers/engine.js';

const manual = {kind: 'manual'} as const;

function established(): OutgoingContext {
	const {connection} = connectionIn('ESTABLISHED');
	return {state: connection.state, tcb: structuredClone(connection.tcb), irsKnown: true, remotePortKnown: true};
}

function ours(context: OutgoingContext, fields: Partial<Parameters<typeof makeSegment>[0]>): TcpRecord {
	return makeSegment({sourcePort: localPort, destinationPort: remotePort, seq: context.tcb.sndNxt, ack: context.tcb.rcvNxt, flags: ACK, window: 1000, options: [], ...fields});
}

describe('checks of our own segments', () => {
	test('data at SND.NXT advances it; the TCB given is not touched', () => {
		const context = established();
		const before = structuredClone(context.tcb);
		const check = checkOutgoing(context, ours(context, {flags: ACK | PSH, payload: bytes('hello')}), manual);
		assert.deepEqual(check.effect, {kind: 'advance', end: seqAdd(context.tcb.sndNxt, 5), fin: false});
		assert.deepEqual(check.verdicts, []);
		assert.deepEqual(context.tcb, before);
	});

	test('data beyond SND.NXT is a probe that leaves the TCB; a RST off SND.NXT too; a FIN at SND.NXT closes', () => {
		const context = established();
		const beyond = checkOutgoing(context, ours(context, {seq: seqAdd(context.tcb.sndNxt, 100), payload: bytes('x')}), manual);
		assert.deepEqual([beyond.effect.kind, beyond.probe, beyond.verdicts.map(v => v.code)], ['none', 'data', ['tcb-unchanged']]);
		const rst = checkOutgoing(context, ours(context, {seq: seqAdd(context.tcb.sndNxt, 1), flags: RST}), manual);
		assert.deepEqual([rst.effect.kind, rst.probe], ['none', 'rst']);
		const fin = checkOutgoing(context, ours(context, {flags: FIN | ACK}), manual);
		assert.deepEqual(fin.effect, {kind: 'advance', end: seqAdd(context.tcb.sndNxt, 1), fin: true});
		const abort = checkOutgoing(context, ours(context, {flags: RST}), manual);
		assert.equal(abort.effect.kind, 'abort');
	});

	test('a SYN in ESTABLISHED is a probe (RFC 5961 §4.2); an opening SYN from CLOSED without a port is flagged', () => {
		const context = established();
		assert.equal(checkOutgoing(context, ours(context, {flags: SYN}), manual).probe, 'syn');
		const closed: OutgoingContext = {...context, state: 'CLOSED', irsKnown: false, remotePortKnown: false};
		const open = checkOutgoing(closed, ours(closed, {flags: SYN | ACK}), manual);
		assert.deepEqual(open.effect, {kind: 'open', from: 'CLOSED'});
		assert.deepEqual(open.verdicts.map(v => v.code), ['not-in-state', 'not-in-state']);
	});

	test('the same bare ACK twice is a duplicate ACK; a new window is a window update; a new ACK restarts the count', () => {
		const context = established();
		const ack = ours(context, {});
		const first = checkOutgoingAck(context, ack, {ack: undefined, window: undefined, duplicates: 0});
		assert.deepEqual(first.verdicts, []);
		const second = checkOutgoingAck(context, ack, first.history);
		assert.deepEqual([second.verdicts.map(v => v.code), second.history.duplicates], [['duplicate-ack'], 1]);
		const update = checkOutgoingAck(context, ours(context, {window: 2000}), second.history);
		assert.deepEqual(update.verdicts.map(v => v.code), ['window-update']);
		const ahead = checkOutgoingAck(context, ours(context, {ack: seqAdd(context.tcb.rcvNxt, 10)}), second.history);
		assert.deepEqual([ahead.verdicts.map(v => v.code), ahead.history.duplicates], [['ack-unreceived'], 0]);
	});
});
