import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {seqAdd} from '../../source/engine/seq.js';
import {ACK, bytes, codes, connectionIn, FIN, RST} from '../helpers/engine.js';

const twoMsl = 60_000;

describe('FIN-WAIT-1', () => {
	it('our FIN takes a sequence number and is kept for retransmission', () => {
		const h = connectionIn('ESTABLISHED');
		const before = h.connection.snapshot();
		const {segment} = h.connection.sendFin(0);
		assert.equal(segment.flags, FIN | ACK);
		assert.equal(h.connection.state, 'FIN-WAIT-1');
		assert.equal(h.connection.snapshot().sndNxt, seqAdd(before.sndNxt, 1));
		const again = h.connection.sendFin(1);
		assert.equal(again.segment.seq, before.sndNxt, 'f again re-sends the same FIN');
		assert.deepEqual(codes(again), ['retransmission']);
		assert.equal(h.connection.snapshot().sndNxt, seqAdd(before.sndNxt, 1));
	});

	it('the ACK of our FIN -> FIN-WAIT-2; then the peer\'s FIN -> TIME-WAIT with a 2MSL deadline', () => {
		const h = connectionIn('FIN-WAIT-1');
		h.connection.receive(0, h.from());
		assert.equal(h.connection.state, 'FIN-WAIT-2');
		h.connection.receive(1000, h.data('last words'));
		assert.equal(h.connection.state, 'FIN-WAIT-2', 'half-closed: we still receive');
		const fin = h.connection.receive(2000, h.from({flags: FIN | ACK}));
		assert.equal(h.connection.state, 'TIME-WAIT');
		assert.equal(fin.respond[0]!.kind, 'ack');
		assert.equal(h.connection.pollAt(), 2000 + twoMsl);
		assert.equal(text(h.connection.read()), 'last words');
	});

	it('FIN and ACK of our FIN together -> TIME-WAIT directly', () => {
		const h = connectionIn('FIN-WAIT-1');
		h.connection.receive(0, h.from({flags: FIN | ACK}));
		assert.equal(h.connection.state, 'TIME-WAIT');
	});

	it('simultaneous close: FIN not acking ours -> CLOSING; the ACK -> TIME-WAIT', () => {
		const h = connectionIn('CLOSING');
		assert.equal(h.connection.pollAt(), undefined);
		h.connection.receive(500, h.from());
		assert.equal(h.connection.state, 'TIME-WAIT');
		assert.equal(h.connection.pollAt(), 500 + twoMsl);
	});

	it('data after our FIN is flagged and leaves the TCB alone', () => {
		const h = connectionIn('FIN-WAIT-1');
		const before = h.connection.snapshot();
		const result = h.connection.sendData(0, bytes('too late'));
		assert.deepEqual(codes(result), ['data-after-fin']);
		assert.equal(h.connection.snapshot().sndNxt, before.sndNxt);
	});
});

function text(data: Uint8Array): string {
	return new TextDecoder().decode(data);
}

describe('TIME-WAIT', () => {
	it('ends in CLOSED after 2MSL and not a millisecond before', () => {
		const h = connectionIn('TIME-WAIT');
		const deadline = h.connection.pollAt()!;
		assert.equal(h.connection.poll(deadline - 1).events.length, 0);
		assert.equal(h.connection.state, 'TIME-WAIT');
		const {events} = h.connection.poll(deadline);
		assert.equal(h.connection.state, 'CLOSED');
		assert.equal(events[0]?.type, 'state');
		assert.match(h.connection.transitions.at(-1)!.why, /2MSL/);
		assert.equal(h.connection.pollAt(), undefined);
	});

	it('MSL is configurable', () => {
		const h = connectionIn('TIME-WAIT', {config: {msl: 1000}});
		assert.equal(h.connection.pollAt(), 2000);
	});

	it('a retransmitted FIN is ACKed and restarts the 2MSL timer', () => {
		const h = connectionIn('TIME-WAIT');
		const result = h.connection.receive(30_000, h.from({seq: seqAdd(h.peerNxt, -1), flags: FIN | ACK}));
		assert.deepEqual(codes(result), ['retransmission']);
		assert.equal(result.respond[0]!.kind, 'ack');
		assert.equal(h.connection.pollAt(), 30_000 + twoMsl);
	});

	it('RST at RCV.NXT ends it at once', () => {
		const h = connectionIn('TIME-WAIT');
		h.connection.receive(1, h.from({flags: RST}));
		assert.equal(h.connection.state, 'CLOSED');
	});
});

describe('CLOSE-WAIT and LAST-ACK', () => {
	it('we may still send in CLOSE-WAIT (half-close)', () => {
		const h = connectionIn('CLOSE-WAIT');
		const result = h.connection.sendData(0, bytes('response'));
		assert.deepEqual(codes(result), []);
		h.connection.receive(1, h.from());
		assert.equal(h.connection.snapshot().bytesInFlight, 0);
	});

	it('our FIN -> LAST-ACK; its ACK -> CLOSED; unread data stays readable', () => {
		const h = connectionIn('ESTABLISHED');
		h.connection.receive(0, h.data('bye'));
		h.connection.receive(0, h.from({flags: FIN | ACK}));
		h.peerNxt = seqAdd(h.peerNxt, 1);
		h.connection.sendFin(1);
		assert.equal(h.connection.state, 'LAST-ACK');
		h.connection.receive(2, h.from());
		assert.equal(h.connection.state, 'CLOSED');
		assert.deepEqual(h.connection.transitions.map(t => t.to), ['SYN-SENT', 'ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
		assert.equal(text(h.connection.read()), 'bye');
	});

	it('data from the peer after its FIN is ignored', () => {
		const h = connectionIn('CLOSE-WAIT');
		const result = h.connection.receive(0, h.from({seq: h.peerNxt, payload: bytes('ghost')}));
		assert.deepEqual(codes(result), ['ignored']);
		assert.equal(h.connection.readable, 0);
	});
});
