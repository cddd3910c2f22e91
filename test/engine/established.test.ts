import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {type TcpOption} from '../../source/wire/records.js';
import {seqAdd} from '../../source/engine/seq.js';
import {hasVerdict} from '../../source/engine/verdict.js';
import {ACK, bytes, codes, connectionIn, FIN, PSH, RST, SYN, text} from '../helpers/engine.js';

const withOptions: TcpOption[] = [
	{kind: 'mss', value: 1460},
	{kind: 'sackOK'},
	{kind: 'timestamps', value: 1000, echo: 0},
	{kind: 'nop'},
	{kind: 'wscale', shift: 2},
];

describe('ESTABLISHED: receiving data', () => {
	it('in-order data goes to the receive queue, moves RCV.NXT, and is ACKed', () => {
		const h = connectionIn('ESTABLISHED', {config: {receiveBuffer: 10_000}});
		const before = h.connection.snapshot();
		const result = h.connection.receive(0, h.data('GET / HTTP/1.0\r\n\r\n'));
		assert.deepEqual(codes(result), ['acceptable']);
		assert.equal(h.connection.snapshot().rcvNxt, seqAdd(before.rcvNxt, 18));
		assert.equal(h.connection.snapshot().rcvWnd, before.rcvWnd - 18, 'unread data takes window');
		assert.equal(result.respond[0]!.kind, 'ack');
		assert.equal(result.respond[0]!.segment.ack, h.peerNxt);
		assert.equal(text(h.connection.read()), 'GET / HTTP/1.0\r\n\r\n');
		assert.equal(h.connection.snapshot().rcvWnd, before.rcvWnd, 'reading frees the window');
	});

	it('holds out-of-order segments and reassembles them, trimming partial overlaps', () => {
		const h = connectionIn('ESTABLISHED');
		const start = h.peerNxt;
		const message = bytes('abcdefghijklmnopqrstuvwxyz');
		const at = (from: number, to: number) => h.from({seq: seqAdd(start, from), flags: ACK | PSH, payload: message.subarray(from, to)});
		const late = h.connection.receive(0, at(10, 20));
		assert.deepEqual(codes(late), ['out-of-order']);
		assert.equal(late.respond[0]!.segment.ack, start, 'a duplicate ACK asks for the hole');
		assert.equal(h.connection.snapshot().heldOutOfOrder, 10);
		// Retransmission overlapping held data in part: only 20..26 is new.
		assert.deepEqual(codes(h.connection.receive(0, at(15, 26))), ['out-of-order']);
		assert.equal(h.connection.snapshot().heldOutOfOrder, 16);
		// Fills the hole and overlaps held data: everything becomes readable.
		const fill = h.connection.receive(0, at(0, 12));
		assert.ok(fill.events.some(e => e.type === 'data' && e.length === 26));
		assert.equal(text(h.connection.read()), 'abcdefghijklmnopqrstuvwxyz');
		assert.equal(h.connection.snapshot().rcvNxt, seqAdd(start, 26));
		assert.equal(h.connection.snapshot().heldOutOfOrder, 0);
		// Overlapping the left edge: the old part is trimmed, the rest delivered.
		const more = bytes('0123456789');
		const overlap = h.connection.receive(0, h.from({seq: seqAdd(start, 20), flags: ACK, payload: concat(message.subarray(20, 26), more)}));
		assert.deepEqual(codes(overlap), ['retransmission']);
		assert.equal(text(h.connection.read()), '0123456789');
	});

	it('reassembles across the 2^32 wrap', () => {
		const h = connectionIn('ESTABLISHED', {peerIss: 0xff_ff_ff_f0});
		const start = h.peerNxt;
		const message = bytes('the sequence space wraps here');
		h.connection.receive(0, h.from({seq: seqAdd(start, 20), payload: message.subarray(20)}));
		h.connection.receive(0, h.from({seq: seqAdd(start, 8), payload: message.subarray(8, 24)}));
		h.connection.receive(0, h.from({seq: start, payload: message.subarray(0, 8)}));
		assert.equal(text(h.connection.read()), 'the sequence space wraps here');
		assert.equal(h.connection.snapshot().rcvNxt, seqAdd(start, message.length));
		assert.ok(h.connection.snapshot().rcvNxt < 100, 'RCV.NXT wrapped past 2^32');
	});

	it('answers out-of-order data with SACK blocks once SACK is permitted', () => {
		const h = connectionIn('ESTABLISHED', {peerSynOptions: withOptions});
		const start = h.peerNxt;
		const result = h.connection.receive(0, h.from({seq: seqAdd(start, 100), payload: new Uint8Array(50), options: [{kind: 'timestamps', value: 1001, echo: 0}]}));
		const sack = result.respond[0]!.segment.options.find(o => o.kind === 'sack');
		assert.deepEqual(sack && sack.kind === 'sack' ? sack.blocks : undefined, [[seqAdd(start, 100), seqAdd(start, 150)]]);
	});

	it('the peer re-sending data we have is a retransmission, ACKed', () => {
		const h = connectionIn('ESTABLISHED');
		const first = h.data('hello');
		h.connection.receive(0, first);
		const again = h.connection.receive(1, first);
		assert.deepEqual(codes(again), ['retransmission']);
		assert.equal(again.accepted, false);
		assert.equal(again.respond[0]!.segment.ack, h.peerNxt);
		assert.equal(text(h.connection.read()), 'hello');
	});

	it('data beyond the window is out of window: dropped and ACKed', () => {
		const h = connectionIn('ESTABLISHED', {config: {receiveBuffer: 4000}});
		const result = h.connection.receive(0, h.from({seq: seqAdd(h.peerNxt, 5000), payload: new Uint8Array(10)}));
		assert.deepEqual(codes(result), ['out-of-window']);
		assert.match(result.verdicts[0]!.text, /seq 5001 not in \[1, 4001\)/);
		assert.equal(result.respond[0]!.kind, 'ack');
	});

	it('trims data running past the right edge', () => {
		const h = connectionIn('ESTABLISHED', {config: {receiveBuffer: 10}});
		const result = h.connection.receive(0, h.from({payload: bytes('0123456789abcdef')}));
		assert.ok(hasVerdict(result.verdicts, 'trimmed'));
		assert.equal(text(h.connection.read()), '0123456789');
	});
});

describe('ESTABLISHED: RST and SYN checks (RFC 5961)', () => {
	it('RST exactly at RCV.NXT resets the connection', () => {
		const h = connectionIn('ESTABLISHED');
		const result = h.connection.receive(0, h.from({flags: RST}));
		assert.equal(h.connection.state, 'CLOSED');
		assert.ok(result.events.some(e => e.type === 'reset'));
	});

	it('RST in the window but not exact draws a challenge ACK; the connection survives', () => {
		const h = connectionIn('ESTABLISHED');
		const result = h.connection.receive(0, h.from({seq: seqAdd(h.peerNxt, 100), flags: RST}));
		assert.deepEqual(codes(result), ['challenge-ack']);
		assert.equal(result.respond[0]!.kind, 'challenge-ack');
		assert.equal(result.respond[0]!.segment.ack, h.peerNxt);
		assert.equal(h.connection.state, 'ESTABLISHED');
	});

	it('RST outside the window is dropped silently', () => {
		const h = connectionIn('ESTABLISHED');
		const result = h.connection.receive(0, h.from({seq: seqAdd(h.peerNxt, 1_000_000), flags: RST}));
		assert.deepEqual(codes(result), ['out-of-window']);
		assert.equal(result.respond.length, 0);
		assert.equal(h.connection.state, 'ESTABLISHED');
	});

	it('SYN in ESTABLISHED draws a challenge ACK whatever its sequence number', () => {
		for (const offset of [0, 100, 2 ** 31]) {
			const h = connectionIn('ESTABLISHED');
			const result = h.connection.receive(0, h.from({seq: seqAdd(h.peerNxt, offset), flags: SYN}));
			assert.deepEqual(codes(result), ['challenge-ack']);
			assert.equal(result.respond[0]!.kind, 'challenge-ack');
			assert.equal(h.connection.state, 'ESTABLISHED');
		}
	});

	it('an ACK of data never sent is dropped with a challenge ACK', () => {
		const h = connectionIn('ESTABLISHED');
		const {sndNxt} = h.connection.snapshot();
		const result = h.connection.receive(0, h.data('x', {ack: seqAdd(sndNxt, 500)}));
		assert.deepEqual(codes(result), ['unsent-ack']);
		assert.equal(result.respond[0]!.kind, 'challenge-ack');
		assert.equal(h.connection.readable, 0, 'the segment was dropped');
		assert.equal(h.connection.snapshot().sndUna, sndNxt);
	});

	it('an ACK far below SND.UNA - MAX.SND.WND is dropped with a challenge ACK', () => {
		const h = connectionIn('ESTABLISHED', {peerWindow: 1000});
		const {sndNxt} = h.connection.snapshot();
		const result = h.connection.receive(0, h.from({ack: seqAdd(sndNxt, -5000)}));
		assert.deepEqual(codes(result), ['challenge-ack']);
	});
});

describe('ESTABLISHED: sending and ACKs', () => {
	it('data advances SND.NXT; the ACK moves SND.UNA and empties the retransmission queue', () => {
		const h = connectionIn('ESTABLISHED');
		const before = h.connection.snapshot();
		const sent = h.connection.sendData(0, bytes('hello'));
		assert.deepEqual(codes(sent), []);
		assert.equal(sent.segment.flags, ACK | PSH);
		assert.equal(sent.segment.seq, before.sndNxt);
		assert.equal(h.connection.snapshot().sndNxt, seqAdd(before.sndNxt, 5));
		assert.equal(h.connection.snapshot().bytesInFlight, 5);
		const ack = h.connection.receive(1, h.from());
		assert.ok(ack.events.some(e => e.type === 'acked' && e.length === 5));
		assert.equal(h.connection.snapshot().bytesInFlight, 0);
		assert.equal(h.connection.unackedSegments, 0);
	});

	it('counts duplicate ACKs per RFC 5681 (outstanding data, no payload, same window)', () => {
		const h = connectionIn('ESTABLISHED');
		h.connection.sendData(0, bytes('a'.repeat(100)));
		h.connection.sendData(0, bytes('b'.repeat(100)));
		const una = h.connection.snapshot().sndUna;
		h.connection.receive(1, h.from({ack: seqAdd(una, 100)}));
		const dup1 = h.connection.receive(2, h.from({ack: seqAdd(una, 100)}));
		const dup2 = h.connection.receive(3, h.from({ack: seqAdd(una, 100)}));
		assert.deepEqual(codes(dup1), ['duplicate-ack']);
		assert.match(dup2.verdicts[0]!.text, /#2/);
		const update = h.connection.receive(4, h.from({ack: seqAdd(una, 100), window: 1000}));
		assert.deepEqual(codes(update), ['window-update'], 'a new window is not a duplicate');
		assert.equal(h.connection.snapshot().dupAcks, 2);
		h.connection.receive(5, h.from({ack: seqAdd(una, 200)}));
		assert.equal(h.connection.snapshot().dupAcks, 0);
	});

	it('a zero window is flagged; an ACK without data at SND.NXT-less-one is a keepalive', () => {
		const h = connectionIn('ESTABLISHED');
		assert.deepEqual(codes(h.connection.receive(0, h.from({window: 0}))), ['window-update', 'zero-window']);
		assert.equal(h.connection.snapshot().sndWnd, 0);
		const keepalive = h.connection.receive(1, h.from({seq: seqAdd(h.peerNxt, -1)}));
		assert.deepEqual(codes(keepalive), ['keepalive']);
		assert.equal(keepalive.respond[0]!.kind, 'ack');
		const oneByte = h.connection.receive(2, h.from({seq: seqAdd(h.peerNxt, -1), payload: new Uint8Array(1)}));
		assert.deepEqual(codes(oneByte), ['keepalive']);
	});

	it('recognises zero-window probes both ways the peer may send them', () => {
		const h = connectionIn('ESTABLISHED', {config: {receiveBuffer: 10}});
		h.connection.receive(0, h.data('0123456789'));
		assert.equal(h.connection.snapshot().rcvWnd, 0);
		const rfcStyle = h.connection.receive(1, h.from({payload: bytes('x')}));
		assert.deepEqual(codes(rfcStyle), ['zero-window-probe']);
		assert.equal(rfcStyle.respond[0]!.segment.window, 0);
		const linuxStyle = h.connection.receive(2, h.from({seq: seqAdd(h.peerNxt, -1)}));
		assert.deepEqual(codes(linuxStyle), ['zero-window-probe']);
		assert.equal(text(h.connection.read()), '0123456789', 'the probe byte was not taken');
	});

	it('scales windows per RFC 7323 once negotiated (not in the SYN)', () => {
		const h = connectionIn('ESTABLISHED', {peerSynOptions: withOptions, config: {receiveBuffer: 100_000}});
		h.connection.receive(0, h.from({window: 1000, options: [{kind: 'timestamps', value: 1001, echo: 0}]}));
		assert.equal(h.connection.snapshot().sndWnd, 4000, 'peer shift 2');
		const ack = h.connection.sendAck(0);
		assert.equal(ack.segment.window, Math.floor(100_000 / 128), 'our shift 7');
	});

	it('echoes the peer\'s timestamp and rejects older ones (PAWS)', () => {
		const h = connectionIn('ESTABLISHED', {peerSynOptions: withOptions});
		const ts = (value: number): TcpOption[] => [{kind: 'timestamps', value, echo: 0}];
		h.connection.receive(10, h.data('a', {options: ts(1500)}));
		const ack = h.connection.sendAck(10);
		const echoed = ack.segment.options.find(o => o.kind === 'timestamps');
		assert.equal(echoed && echoed.kind === 'timestamps' ? echoed.echo : undefined, 1500);
		const stale = h.connection.receive(11, h.data('b', {options: ts(1400)}));
		assert.deepEqual(codes(stale), ['paws']);
		assert.equal(h.connection.readable, 1);
	});
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	const out = new Uint8Array(a.length + b.length);
	out.set(a);
	out.set(b, a.length);
	return out;
}

describe('ESTABLISHED: the peer closes', () => {
	it('FIN -> CLOSE-WAIT, RCV.NXT counts the FIN, and a peer-closed event', () => {
		const h = connectionIn('ESTABLISHED');
		const result = h.connection.receive(0, h.from({flags: FIN | ACK}));
		assert.equal(h.connection.state, 'CLOSE-WAIT');
		assert.ok(result.events.some(e => e.type === 'peer-closed'));
		assert.equal(result.respond[0]!.segment.ack, seqAdd(h.peerNxt, 1));
	});

	it('a FIN that arrives before the data it follows waits for the hole', () => {
		const h = connectionIn('ESTABLISHED');
		const start = h.peerNxt;
		h.connection.receive(0, h.from({seq: seqAdd(start, 5), flags: FIN | ACK, payload: bytes('world')}));
		assert.equal(h.connection.state, 'ESTABLISHED');
		h.connection.receive(0, h.from({seq: start, payload: bytes('hello')}));
		assert.equal(h.connection.state, 'CLOSE-WAIT');
		assert.equal(text(h.connection.read()), 'helloworld');
		assert.equal(h.connection.snapshot().rcvNxt, seqAdd(start, 11));
	});
});
