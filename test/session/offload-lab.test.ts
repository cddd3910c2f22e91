// The lab's kernel with tx checksum offload on: its frames reach us over the veth with the checksum
// left for a card (CHECKSUM_PARTIAL). They are taken, not dropped as bad-checksum; the stream view's
// follower reassembles them. (A checksum damaged for real is still judged: checksum-offload.test.ts.)
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {describe, test} from 'node:test';
import {chargenSlice} from '../../source/lab/chargen-pattern.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import {LogStreamFollower} from '../../source/session/log-stream.js';
import {inLab} from '../helpers/lab.js';
import {collectUntilClosed, until, useLabSession} from '../helpers/session.js';

const text = (value: string) => new TextEncoder().encode(value);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('a peer that leaves TCP checksums to its card', () => {
	test('a GET completes in auto mode; its frames are noted as partial, never bad-checksum; the stream is the body', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {lab, session, peer} = labSession;
		inLab(lab, 'ethtool', ['-K', lab.peerInterface, 'tx', 'on']);
		session.setAuto(autoPolicies);
		const id = await session.connect({ip: peer, port: 80});
		const app = collectUntilClosed(session, id);
		const follower = new LogStreamFollower(session.log, id);
		session.syn(id);
		session.write(id, text('GET /bytes/60000 HTTP/1.0\r\n\r\n'));
		await until(session, app.ended, 10_000, 'the whole body');
		const received = app.received();
		const body = received.subarray(received.indexOf('\r\n\r\n') + 4);
		assert.equal(sha256(body), sha256(chargenSlice(0, 60_000)));
		const incoming = session.log.slice(0, session.log.size).filter(entry => entry.direction === 'in' && entry.frame.tcp && entry.connection === id);
		assert.ok(incoming.length > 5);
		assert.ok(incoming.every(entry => entry.frame.tcpChecksumOk === false), 'the kernel left every checksum partial');
		assert.ok(incoming.every(entry => entry.annotations.some(note => note.code === 'checksum-partial')));
		assert.ok(incoming.every(entry => !entry.annotations.some(note => note.code === 'bad-checksum')));
		follower.catchUp();
		assert.equal(sha256(follower.stream.bytes('in')), sha256(received));
		assert.match(new TextDecoder().decode(follower.stream.bytes('out')), /^GET \/bytes\/60000 HTTP\/1\.0\r\n\r\n$/);
	});
});
