import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Explainer} from '../../source/session/explain.js';
import {ACK, bytes, FIN, peerSegment, PSH, SYN} from '../helpers/engine.js';

const connection = 1;
const data = (seq: number, text = 'hello') => peerSegment({seq, flags: PSH | ACK, payload: bytes(text)});
const codes = (notes: ReadonlyArray<{code: string}>) => notes.map(note => note.code);

/** The notes on each copy of `segment`, arriving at the given times (seconds). */
function copiesAt(explainer: Explainer, times: readonly number[], segment = data(5000), retransmission = false) {
	return times.map(now => explainer.incoming(connection, segment, now, retransmission));
}

describe('Explainer: why the peer sends a segment again', () => {
	test('a segment seen once is not explained; its copy is a retransmission the engine could not see (RFC 9293 §3.8.1)', () => {
		const [first, second] = copiesAt(new Explainer(), [0, 1]);
		assert.deepEqual(first, []);
		assert.deepEqual(codes(second!), ['retransmission']);
		assert.equal(second![0]!.rfc, 'RFC 9293 §3.8.1');
		assert.equal(second![0]!.severity, 'info');
	});

	test('when the engine already judged the copy a retransmission, no second note says so', () => {
		const [, second] = copiesAt(new Explainer(), [0, 1], data(5000), true);
		assert.deepEqual(second, []);
	});

	test('RFC 6298 §5.5: a copy after twice the interval before is the peer\'s timer backing off', () => {
		const [, , third, fourth] = copiesAt(new Explainer(), [0, 1, 3, 7], data(5000), true);
		assert.deepEqual(codes(third!), ['explain']);
		assert.match(third![0]!.text, /^RTO backoff: 2\.000 s after the last copy, 2\.0x the 1\.000 s before \(timer doubled, RFC 6298 §5\.5\)$/);
		assert.equal(third![0]!.rfc, 'RFC 6298 §5.5');
		assert.match(fourth![0]!.text, /^RTO backoff: 4\.000 s/);
	});

	test('copies at a steady interval are sent again, not backed off (the threshold is 1.5x)', () => {
		const explainer = new Explainer();
		const [, , steady] = copiesAt(explainer, [0, 1, 2], data(5000), true);
		assert.match(steady![0]!.text, /^sent again 1\.000 s after the last copy \(1\.0x the interval before\)$/);
		const [, , under, over] = copiesAt(explainer, [10, 11, 12.25, 14.25], data(9000), true);
		assert.match(under![0]!.text, /^sent again/);
		assert.match(over![0]!.text, /^RTO backoff/);
	});

	test('SYN and FIN occupy sequence space and are explained; a bare ACK never is', () => {
		const explainer = new Explainer();
		assert.deepEqual(codes(copiesAt(explainer, [0, 1], peerSegment({seq: 1, flags: SYN | ACK}))[1]!), ['retransmission']);
		assert.deepEqual(codes(copiesAt(explainer, [0, 1], peerSegment({seq: 2, flags: FIN | ACK}))[1]!), ['retransmission']);
		assert.deepEqual(copiesAt(explainer, [0, 1, 3], peerSegment({seq: 3, flags: ACK})), [[], [], []]);
	});

	test('a segment a fault dropped is watched for until its repeat comes, and the repeat is a retransmission', () => {
		const explainer = new Explainer();
		assert.equal(explainer.watching(connection), false);
		explainer.dropped(connection, data(5000), 0);
		assert.equal(explainer.watching(connection), true);
		assert.deepEqual(explainer.incoming(connection, data(6000), 0.5, false), [], 'another segment is no repeat');
		assert.equal(explainer.watching(connection), true);
		assert.deepEqual(codes(explainer.incoming(connection, data(5000), 1, false)), ['retransmission']);
		assert.equal(explainer.watching(connection), false);
	});

	test('connections are apart, and forget() starts one afresh', () => {
		const explainer = new Explainer();
		explainer.incoming(1, data(5000), 0, false);
		assert.deepEqual(explainer.incoming(2, data(5000), 1, false), [], 'the same numbers on another connection');
		explainer.dropped(1, data(7000), 1);
		explainer.forget(1);
		assert.equal(explainer.watching(1), false);
		assert.deepEqual(explainer.incoming(1, data(5000), 2, false), []);
	});

	test('memory is bounded: a connection\'s oldest segment is forgotten after 256 newer ones', () => {
		const explainer = new Explainer();
		for (let i = 0; i <= 256; i++) explainer.incoming(connection, data(10_000 + (i * 10)), i, false);
		assert.deepEqual(explainer.incoming(connection, data(10_000), 300, false), [], 'the oldest is gone');
		assert.deepEqual(codes(explainer.incoming(connection, data(10_000 + 2560), 300, false)), ['retransmission'], 'the newest is kept');
	});
});
