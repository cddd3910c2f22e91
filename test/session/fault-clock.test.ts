// Delay faults run on the session's clock, not on the process's timers: with a fake clock a held
// segment goes out exactly when the clock reaches its time, and closing the session drops it. Each
// session numbers its IPv4 datagrams on its own.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import {Session} from '../../source/session/session.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type DecodedFrame, tcpFlags} from '../../source/wire/records.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {ourMac, ours, plan, theirMac, theirs} from '../helpers/path-rig.js';
import {sleep} from '../helpers/session.js';

/** A session listening on port 80 in auto mode on a fake clock; what the peer receives is kept. */
function listening() {
	const clock = new FakeClock();
	const [link, peer] = createMemoryLinkPair({name: 'a', mac: ourMac}, {name: 'b', mac: theirMac});
	const received: DecodedFrame[] = [];
	peer.onFrame(frame => received.push(decodeFrame(frame.bytes)));
	const session = new Session({link, ip: ours, network: 0xc6_12_00_00, prefixLength: 24, probe: false, clock});
	session.setAuto({...autoPolicies, ack: 'immediate'});
	const id = session.listen(80);
	const syn = (sourcePort = 5555) => peer.send(tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort, destinationPort: 80, seq: 1000, flags: tcpFlags.SYN, options: [{kind: 'mss', value: 1460}]}));
	const synAcks = () => received.filter(frame => frame.tcp?.flags === (tcpFlags.SYN | tcpFlags.ACK));
	return {clock, session, id, syn, received, synAcks};
}

describe('delay faults on the session clock', () => {
	test('out delay: the SYN-ACK is held until the clock reaches the delay, not a moment before', async t => {
		const {clock, session, syn, synAcks} = listening();
		t.after(() => session.close());
		session.faults.add(plan('out delay 500ms'));
		syn();
		await sleep(20);
		assert.equal(synAcks().length, 0, 'held');
		clock.advance(499);
		await sleep(20);
		assert.equal(synAcks().length, 0, 'still held at 499 ms');
		clock.advance(1);
		await sleep(20);
		assert.equal(synAcks().length, 1, 'sent at 500 ms of the session clock');
	});

	test('in delay: the engine takes the SYN when the clock says, and only then answers', async t => {
		const {clock, session, id, syn, synAcks} = listening();
		t.after(() => session.close());
		session.faults.add(plan('in delay 300ms'));
		syn();
		await sleep(20);
		assert.equal(session.tcb(id).state, 'LISTEN');
		assert.equal(synAcks().length, 0);
		clock.advance(300);
		await sleep(20);
		assert.equal(session.tcb(id).state, 'SYN-RECEIVED');
		assert.equal(synAcks().length, 1);
	});

	test('closing the session drops what a delay holds', async () => {
		const {clock, session, syn, synAcks} = listening();
		session.faults.add(plan('out delay 200ms'));
		syn();
		await sleep(20);
		session.close();
		clock.advance(1000);
		await sleep(20);
		assert.equal(synAcks().length, 0);
	});
});

test('each session numbers its IPv4 datagrams from its own counter', async t => {
	const first = listening();
	const second = listening();
	t.after(() => {
		first.session.close();
		second.session.close();
	});
	first.syn();
	await sleep(20);
	second.syn(5555);
	await sleep(20);
	const ids = (frames: DecodedFrame[]) => frames.filter(frame => frame.tcp).map(frame => frame.ipv4!.identification);
	assert.deepEqual(ids(first.synAcks()), [1]);
	assert.deepEqual(ids(second.synAcks()), [1], 'not 2: the first session\'s datagrams do not count');
});
