// A listener takes every SYN to its port as a connection of its own, up to its backlog (issue 22).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {labTimings} from '../../source/iface/arp-claim.js';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import {Recorder} from '../../source/session/recorder.js';
import {Session} from '../../source/session/session.js';
import {parseIpv4} from '../../source/wire/addresses.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {tcpFlags, type TcpRecord} from '../../source/wire/records.js';
import {eventually} from '../helpers/eventually.js';

const {SYN, ACK} = tcpFlags;
const ourMac = 0x02_00_00_00_00_10;
const peerMac = 0x02_00_00_00_00_02;
const ourIp = parseIpv4('198.18.0.10');
const peerIp = parseIpv4('198.18.0.2');

async function listening(backlog?: number) {
	const [ours, theirs] = createMemoryLinkPair({name: 'ours', mac: ourMac}, {name: 'theirs', mac: peerMac});
	const got: TcpRecord[] = [];
	theirs.onFrame(({bytes}) => {
		const {tcp} = decodeFrame(bytes);
		if (tcp) got.push(tcp);
	});
	const session = new Session({link: ours, ip: ourIp, network: parseIpv4('198.18.0.0'), prefixLength: 24, timings: labTimings, probe: false});
	await session.host.claimed();
	const id = session.listen(8080, {}, backlog);
	const send = (sourcePort: number, flags: number, seq: number, ack = 0) => theirs.send(tcpFrame({sourceMac: peerMac, destinationMac: ourMac, source: peerIp, destination: ourIp, sourcePort, destinationPort: 8080, seq, ack, flags}));
	const byPort = (port: number) => session.getSnapshot().connections.find(connection => connection.remote?.port === port);
	return {session, id, send, got, byPort};
}

describe('listen: one connection per SYN', () => {
	test('manual mode: two SYNs from two ports leave two connections in SYN-RECEIVED, a listener still on the port, nothing sent', async () => {
		const {session, id, send, got, byPort} = await listening();
		try {
			send(40_001, SYN, 100);
			send(40_002, SYN, 200);
			await eventually(() => byPort(40_002)?.tcb.state === 'SYN-RECEIVED', 'the second SYN taken');
			const connections = session.getSnapshot().connections;
			assert.equal(byPort(40_001)!.id, id, 'the listener became the first connection');
			assert.equal(byPort(40_001)!.tcb.state, 'SYN-RECEIVED');
			const listeners = connections.filter(connection => connection.tcb.state === 'LISTEN');
			assert.equal(listeners.length, 1);
			assert.ok(listeners[0]!.spawned && listeners[0]!.remote === undefined);
			assert.equal(got.length, 0, 'manual mode answers nothing');
			session.syn(byPort(40_001)!.id);
			await eventually(() => got.length === 1, 'the SYN-ACK');
			assert.equal(got.at(-1)!.destinationPort, 40_001);
			assert.equal(got.at(-1)!.flags, SYN | ACK);
		} finally {
			session.close();
		}
	});

	test('auto mode completes each handshake on its own connection', async () => {
		const {session, send, got, byPort} = await listening();
		try {
			session.setAuto(autoPolicies);
			send(40_001, SYN, 100);
			send(40_002, SYN, 200);
			await eventually(() => got.length === 2, 'two SYN-ACKs');
			assert.deepEqual(got.map(segment => [segment.destinationPort, segment.flags, segment.ack]), [[40_001, SYN | ACK, 101], [40_002, SYN | ACK, 201]]);
			send(40_001, ACK, 101, (got[0]!.seq + 1) >>> 0);
			send(40_002, ACK, 201, (got[1]!.seq + 1) >>> 0);
			await eventually(() => byPort(40_001)?.tcb.state === 'ESTABLISHED' && byPort(40_002)?.tcb.state === 'ESTABLISHED', 'both ESTABLISHED');
		} finally {
			session.close();
		}
	});

	test('past the backlog a SYN is dropped (no RST, as Linux), marked in the log; once a slot frees, the retransmitted SYN is taken', async () => {
		const {session, send, got, byPort} = await listening(1);
		try {
			session.setAuto({rstUnknown: true});
			send(40_001, SYN, 100);
			send(40_002, SYN, 200);
			await eventually(() => session.log.count >= 2, 'both SYNs logged');
			assert.equal(byPort(40_002), undefined);
			assert.equal(got.length, 0, 'no RST for the SYN past the backlog');
			const entries = Array.from({length: session.log.size}, (_, index) => session.log.at(index)!).filter(entry => entry.frame.tcp?.sourcePort === 40_002);
			assert.equal(entries.length, 1);
			assert.match(entries[0]!.annotations.map(note => note.text).join(), /backlog \(1\) is full/);
			// The first leaves SYN-RECEIVED (our RST ends it): the SYN's retransmission finds room.
			session.rst(byPort(40_001)!.id);
			send(40_002, SYN, 200);
			await eventually(() => byPort(40_002)?.tcb.state === 'SYN-RECEIVED', 'the retransmitted SYN taken');
		} finally {
			session.close();
		}
	});

	test('drop forgets a closed connection and refuses an open one', async () => {
		const {session, send, byPort} = await listening();
		try {
			send(40_001, SYN, 100);
			await eventually(() => byPort(40_001)?.tcb.state === 'SYN-RECEIVED', 'the SYN taken');
			const {id} = byPort(40_001)!;
			assert.throws(() => session.drop(id), /#\d+ is SYN-RECEIVED: only a closed connection can be dropped/);
			session.rst(id);
			session.drop(id);
			assert.equal(session.getSnapshot().connections.some(connection => connection.id === id), false);
		} finally {
			session.close();
		}
	});

	test('the recorder writes a listen for each connection a listener took, and on #N for the older one', async () => {
		const {session, send, got, byPort} = await listening();
		const recorder = new Recorder(session, {now: () => 0});
		try {
			send(40_001, SYN, 100);
			await eventually(() => byPort(40_001)?.tcb.state === 'SYN-RECEIVED', 'the first SYN taken');
			send(40_002, SYN, 200);
			await eventually(() => byPort(40_002)?.tcb.state === 'SYN-RECEIVED', 'the second SYN taken');
			recorder.send(byPort(40_001)!.id, 'syn');
			recorder.send(byPort(40_002)!.id, 'syn');
			await eventually(() => got.length === 2, 'two SYN-ACKs');
			recorder.close();
			assert.deepEqual(recorder.lines, ['listen 8080', 'expect SYN exactly', 'listen 8080', 'expect SYN exactly', 'send SYN,ACK on #1', 'send SYN,ACK']);
		} finally {
			recorder.close();
			session.close();
		}
	});
});
