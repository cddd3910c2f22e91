import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {answerWithoutConnection} from '../../source/engine/no-connection.js';
import {ACK, FIN, peerSegment, PSH, RST, SYN} from '../helpers/engine.js';

describe('segments for no connection (RFC 9293 §3.10.7.1)', () => {
	it('SYN to a closed port: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, ports swapped', () => {
		const {verdicts, respond} = answerWithoutConnection(peerSegment({seq: 0xff_ff_ff_ff, flags: SYN}));
		assert.equal(verdicts[0]!.code, 'no-connection');
		assert.equal(verdicts[0]!.rfc, 'RFC 9293 §3.10.7.1');
		assert.equal(respond!.flags, RST | ACK);
		assert.equal(respond!.seq, 0);
		assert.equal(respond!.ack, 0, 'SEG.SEQ + 1 wraps');
		assert.equal(respond!.sourcePort, 40_000);
		assert.equal(respond!.destinationPort, 80);
	});

	it('data with FIN and no ACK counts every octet and the FIN', () => {
		const {respond} = answerWithoutConnection(peerSegment({seq: 100, flags: PSH | FIN, payload: new Uint8Array(10)}));
		assert.equal(respond!.ack, 111);
	});

	it('a segment with ACK: <SEQ=SEG.ACK><CTL=RST>', () => {
		const {respond} = answerWithoutConnection(peerSegment({seq: 100, ack: 123_456, flags: ACK}));
		assert.equal(respond!.flags, RST);
		assert.equal(respond!.seq, 123_456);
	});

	it('a RST is dropped without an answer', () => {
		const {verdicts, respond} = answerWithoutConnection(peerSegment({seq: 100, flags: RST}));
		assert.equal(respond, undefined);
		assert.equal(verdicts[0]!.code, 'ignored');
	});
});
