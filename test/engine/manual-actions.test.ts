import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {type TcpOption} from '../../source/wire/records.js';
import {seqAdd} from '../../source/engine/seq.js';
import {ACK, bytes, codes, connectionIn, FIN, harness, ourIss, PSH, RST, SYN} from '../helpers/engine.js';

describe('manual actions: defaults from the TCB', () => {
	it('fills seq, ack, window and options; overrides replace any field', () => {
		const h = connectionIn('ESTABLISHED');
		const snap = h.connection.snapshot();
		const plain = h.connection.sendAck(0);
		assert.equal(plain.segment.seq, snap.sndNxt);
		assert.equal(plain.segment.ack, snap.rcvNxt);
		assert.equal(plain.segment.window, Math.min(snap.rcvWnd, 0xff_ff));
		const options: TcpOption[] = [{kind: 'nop'}, {kind: 'nop'}, {kind: 'nop'}, {kind: 'nop'}];
		const odd = h.connection.sendAck(0, {window: 7, options, urgentPointer: 3, flags: ACK | PSH});
		assert.equal(odd.segment.window, 7);
		assert.deepEqual(odd.segment.options, options);
		assert.equal(odd.segment.headerLength, 24);
		assert.equal(odd.segment.urgentPointer, 3);
		assert.equal(odd.segment.flags, ACK | PSH);
	});

	it('data sent with an out-of-window seq is sent as asked but does not move SND.NXT', () => {
		const h = connectionIn('ESTABLISHED');
		const before = h.connection.snapshot();
		const result = h.connection.sendData(0, bytes('probe'), {seq: seqAdd(before.sndNxt, 100_000)});
		assert.equal(result.segment.seq, seqAdd(before.sndNxt, 100_000));
		assert.deepEqual(codes(result), ['tcb-unchanged']);
		assert.equal(h.connection.snapshot().sndNxt, before.sndNxt);
		assert.equal(h.connection.unackedSegments, 0);
		assert.deepEqual(codes(h.connection.receive(1, h.from())), ['probe-answer']);
	});

	it('data at an old seq is flagged; the TCB keeps its place', () => {
		const h = connectionIn('ESTABLISHED');
		const before = h.connection.snapshot();
		const result = h.connection.sendData(0, bytes('old'), {seq: seqAdd(before.sndUna, -10)});
		assert.deepEqual(codes(result), ['tcb-unchanged']);
		assert.equal(h.connection.snapshot().sndNxt, before.sndNxt);
	});

	it('a retransmission that carries new octets past SND.NXT moves SND.NXT to its end', () => {
		const h = connectionIn('ESTABLISHED');
		const start = h.connection.snapshot().sndNxt;
		h.connection.sendData(0, bytes('abc'));
		const result = h.connection.sendData(1, bytes('abcdef'), {seq: start});
		assert.deepEqual(codes(result), ['retransmission']);
		assert.equal(h.connection.snapshot().sndNxt, seqAdd(start, 6));
	});

	it('an ACK override ahead of RCV.NXT is flagged; one behind is noted', () => {
		const h = connectionIn('ESTABLISHED');
		const {rcvNxt} = h.connection.snapshot();
		assert.deepEqual(codes(h.connection.sendAck(0, {ack: seqAdd(rcvNxt, 10)})), ['ack-unreceived']);
		assert.deepEqual(codes(h.connection.sendAck(0, {ack: seqAdd(rcvNxt, -10)})), ['old-ack']);
	});

	it('repeating the same ACK is a duplicate ACK from us; a new window is a window update', () => {
		const h = connectionIn('ESTABLISHED');
		assert.deepEqual(codes(h.connection.sendAck(0)), ['duplicate-ack'], 'the builder already sent the handshake ACK');
		assert.match(h.connection.sendAck(0).verdicts[0]!.text, /#2/);
		assert.deepEqual(codes(h.connection.sendAck(0, {window: 0})), ['zero-window', 'window-update']);
	});

	it('flags data before the handshake and a SYN in a synchronized state', () => {
		const early = connectionIn('SYN-SENT');
		const data = early.connection.sendData(0, bytes('hi'));
		assert.deepEqual(codes(data), ['not-in-state']);
		assert.match(data.verdicts[0]!.text, /before the handshake completed/);
		const late = connectionIn('ESTABLISHED');
		const before = late.connection.snapshot();
		const syn = late.connection.sendSyn(0);
		assert.ok(codes(syn).includes('not-in-state'));
		assert.equal(late.connection.snapshot().sndNxt, before.sndNxt);
	});

	it('names our keepalives and zero-window probes', () => {
		const h = connectionIn('ESTABLISHED');
		const {sndUna} = h.connection.snapshot();
		assert.deepEqual(codes(h.connection.sendAck(0, {seq: seqAdd(sndUna, -1)})), ['keepalive']);
		assert.deepEqual(codes(h.connection.sendData(0, new Uint8Array(1), {seq: seqAdd(sndUna, -1)})), ['keepalive']);
		h.connection.receive(0, h.from({window: 0}));
		assert.deepEqual(codes(h.connection.sendData(1, bytes('z'))), ['zero-window-probe']);
	});

	it('flags data beyond the peer\'s window or larger than its MSS, and still sends it', () => {
		const h = connectionIn('ESTABLISHED', {peerWindow: 1000});
		const before = h.connection.snapshot();
		const result = h.connection.sendData(0, new Uint8Array(1200));
		assert.deepEqual(codes(result), ['beyond-window', 'exceeds-mss']);
		assert.equal(h.connection.snapshot().sndNxt, seqAdd(before.sndNxt, 1200));
	});
});

describe('manual actions: RST', () => {
	it('RST at SND.NXT aborts: CLOSED', () => {
		const h = connectionIn('ESTABLISHED');
		const result = h.connection.sendRst(0);
		assert.equal(result.segment.flags, RST | ACK);
		assert.equal(result.segment.seq, h.connection.snapshot().sndNxt);
		assert.equal(h.connection.state, 'CLOSED');
		assert.ok(result.events.some(e => e.type === 'reset' && e.by === 'us'));
	});

	it('RST with another seq probes the peer and keeps our connection; the answer is named', () => {
		const h = connectionIn('ESTABLISHED');
		const result = h.connection.sendRst(0, {seq: seqAdd(h.connection.snapshot().sndNxt, 10)});
		assert.deepEqual(codes(result), ['tcb-unchanged']);
		assert.equal(h.connection.state, 'ESTABLISHED');
		const answer = h.connection.receive(1, h.from());
		assert.deepEqual(codes(answer), ['challenge-ack']);
		assert.match(answer.verdicts[0]!.text, /answering our RST/);
		assert.deepEqual(codes(h.connection.receive(2, h.from())), ['acceptable'], 'only the first ACK after the probe');
	});

	it('a RST we answer with never closes our side', () => {
		const h = connectionIn('SYN-SENT');
		const bogus = h.connection.receive(0, h.from({ack: ourIss + 1000, flags: ACK}));
		h.connection.sendReply(0, bogus.respond[0]!);
		assert.equal(h.connection.state, 'SYN-SENT');
	});
});

describe('retransmission queue', () => {
	it('retransmit re-sends the oldest unacknowledged segment with current ACK', () => {
		const h = connectionIn('ESTABLISHED');
		const start = h.connection.snapshot().sndNxt;
		h.connection.sendData(0, bytes('first'));
		h.connection.sendData(0, bytes('second'));
		h.connection.receive(10, h.data('news', {ack: start}));
		const result = h.connection.retransmit(200)!;
		assert.equal(result.segment.seq, start);
		assert.equal(new TextDecoder().decode(result.segment.payload), 'first');
		assert.equal(result.segment.ack, h.peerNxt);
		assert.deepEqual(codes(result), ['retransmission']);
		// Partly acknowledged: the retransmission starts at SND.UNA.
		h.connection.receive(300, h.from({ack: seqAdd(start, 2)}));
		const trimmed = h.connection.retransmit(400)!;
		assert.equal(trimmed.segment.seq, seqAdd(start, 2));
		assert.equal(new TextDecoder().decode(trimmed.segment.payload), 'rst');
	});

	it('re-sends the SYN in SYN-SENT and the FIN in FIN-WAIT-1; nothing when all is acknowledged', () => {
		const syn = connectionIn('SYN-SENT');
		const again = syn.connection.retransmit(1000)!;
		assert.equal(again.segment.flags, SYN);
		assert.equal(again.segment.seq, ourIss);
		const fin = connectionIn('FIN-WAIT-1');
		assert.equal(fin.connection.retransmit(1000)!.segment.flags, FIN | ACK);
		assert.equal(connectionIn('ESTABLISHED').connection.retransmit(0), undefined);
	});
});

describe('manual actions: opening and reopening', () => {
	it('a new SYN after CLOSED starts a fresh connection with a new ISS', () => {
		const h = connectionIn('ESTABLISHED');
		h.connection.sendRst(0);
		h.connection.sendSyn(1);
		assert.equal(h.connection.state, 'SYN-SENT');
		assert.notEqual(h.connection.snapshot().iss, ourIss);
		assert.equal(h.connection.snapshot().irs, undefined);
	});

	it('a passive open can choose its ISS on the SYN-ACK', () => {
		const h = harness();
		h.connection.listen(0);
		h.connection.receive(0, h.from({flags: SYN, ack: 0}));
		h.connection.sendSyn(0, {seq: 0xff_ff_ff_00});
		assert.equal(h.connection.snapshot().iss, 0xff_ff_ff_00);
		assert.equal(h.connection.snapshot().sndNxt, 0xff_ff_ff_01);
	});
});
