// The outgoing path on its own: a memory link, a fake clock, and segments handed to it as the engine
// would. What the peer receives is what went on the wire; what the log holds is what the user sees.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {SendResult} from '../../source/engine/connection.js';
import type {FaultPlan} from '../../source/engine/faults.js';
import {makeSegment} from '../../source/engine/segment.js';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {Timers} from '../../source/session/clock.js';
import {Host} from '../../source/session/host.js';
import {OutgoingPath} from '../../source/session/outgoing-path.js';
import {SessionFaults} from '../../source/session/session-faults.js';
import {parseFault} from '../../source/syntax/fault-text.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type DecodedFrame, tcpFlags} from '../../source/wire/records.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {sessionEntry} from '../helpers/session-entry.js';

const ours = 0xc6_12_00_0a;
const theirs = 0xc6_12_00_02;
const ourMac = 0x02_00_00_00_00_0a;
const theirMac = 0x02_00_00_00_00_02;

function plan(line: string): FaultPlan {
	const parsed = parseFault(line);
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.plan;
}

/** Our segment number `n`: `n` octets of payload at seq 1000 + 100n, so the peer can tell them apart. */
function ourSegment(n: number): SendResult {
	const segment = makeSegment({sourcePort: 40_000, destinationPort: 80, seq: 1000 + (100 * n), ack: 1, flags: tcpFlags.ACK | tcpFlags.PSH, window: 5000, options: [], payload: new Uint8Array(n).fill(n)});
	return {segment, verdicts: [], events: []};
}

/** Frames cross the memory link on a microtask; a turn of the event loop lets them all arrive. */
const settle = () => new Promise(resolve => {
	setImmediate(resolve);
});

function rig(t: {after(fn: () => void): void}) {
	const clock = new FakeClock();
	const [link, peer] = createMemoryLinkPair({name: 'a', mac: ourMac}, {name: 'b', mac: theirMac});
	const received: DecodedFrame[] = [];
	peer.onFrame(frame => {
		const decoded = decodeFrame(frame.bytes);
		if (decoded.tcp) received.push(decoded);
	});
	const host = new Host({link, ip: ours, network: 0xc6_12_00_00, prefixLength: 24, probe: false, clock});
	const faults = new SessionFaults(clock, () => undefined);
	const timers = new Timers(clock);
	const outgoing = new OutgoingPath(host, faults, timers);
	const entry = sessionEntry(clock, {id: 7, remote: {ip: theirs, port: 80}, remoteMac: theirMac});
	t.after(() => {
		outgoing.close();
		timers.cancelAll();
		host.close();
		link.close();
	});
	/** The payload lengths of what the peer received, in order: which of our segments arrived. */
	const arrived = () => received.map(frame => frame.tcp!.payload.length);
	return {clock, host, faults, timers, outgoing, entry, received, arrived};
}

describe('outgoing path', () => {
	test('frames each segment to the peer, numbers its datagrams from 1, logs it and counts its payload', async t => {
		const {outgoing, entry, received, host} = rig(t);
		const first = outgoing.send(entry, ourSegment(3));
		outgoing.send(entry, ourSegment(5));
		await settle();
		assert.deepEqual(received.map(frame => [frame.ethernet!.destination, frame.ipv4!.destination, frame.ipv4!.identification, frame.ipv4!.dontFragment, frame.tcp!.seq]), [
			[theirMac, theirs, 1, true, 1300],
			[theirMac, theirs, 2, true, 1500],
		]);
		assert.equal(entry.bytesOut, 8);
		assert.equal(first.direction, 'out');
		assert.equal(first.connection, 7);
		assert.equal(host.log.count, 2);
	});

	test('out drop: the segment is logged with the fault, and never reaches the wire', async t => {
		const {outgoing, faults, entry, arrived, host} = rig(t);
		faults.add(plan('out drop count 1'));
		const dropped = outgoing.send(entry, ourSegment(1));
		outgoing.send(entry, ourSegment(2));
		await settle();
		assert.deepEqual(arrived(), [2]);
		assert.ok(dropped.annotations.some(note => note.code === 'fault'), 'the log says why');
		assert.equal(host.log.count, 2, 'both are in the log');
	});

	test('out delay: held until the session clock reaches the delay, sent once, and not at all after close', async t => {
		const {clock, outgoing, faults, timers, entry, arrived} = rig(t);
		faults.add(plan('out delay 200ms count 2'));
		const held = outgoing.send(entry, ourSegment(1));
		assert.ok(held.annotations.some(note => note.text === 'held: goes out in 200 ms'));
		clock.advance(199);
		await settle();
		assert.deepEqual(arrived(), []);
		clock.advance(1);
		await settle();
		assert.deepEqual(arrived(), [1]);
		outgoing.send(entry, ourSegment(2));
		outgoing.close();
		timers.cancelAll();
		clock.advance(1000);
		await settle();
		assert.deepEqual(arrived(), [1], 'what the delay held when it closed never goes out');
	});

	test('out swap: the held segment goes out right after the next one', async t => {
		const {outgoing, faults, entry, arrived} = rig(t);
		faults.add(plan('out swap count 1'));
		outgoing.send(entry, ourSegment(1));
		await settle();
		assert.deepEqual(arrived(), []);
		outgoing.send(entry, ourSegment(2));
		outgoing.send(entry, ourSegment(3));
		await settle();
		assert.deepEqual(arrived(), [2, 1, 3]);
	});

	test('out duplicate: the same bytes twice, the second logged as the fault\'s', async t => {
		const {outgoing, faults, entry, received, host} = rig(t);
		faults.add(plan('out duplicate count 1'));
		outgoing.send(entry, ourSegment(4));
		await settle();
		assert.equal(received.length, 2);
		assert.deepEqual(received[1]!.tcp, received[0]!.tcp);
		assert.equal(host.log.at(1)!.annotations[0]!.text, 'the same segment again (fault)');
	});

	test('out window 0: the wire carries the fault\'s window, under a checksum that covers it', async t => {
		const {outgoing, faults, entry, received} = rig(t);
		faults.add(plan('out window 0 count 1'));
		outgoing.send(entry, ourSegment(1));
		await settle();
		assert.equal(received[0]!.tcp!.window, 0);
		assert.equal(received[0]!.tcpChecksumOk, true);
	});

	test('the RST for a segment no connection takes goes to its sender, numbered in the same sequence', async t => {
		const {outgoing, entry, received} = rig(t);
		outgoing.send(entry, ourSegment(1));
		const rst = makeSegment({sourcePort: 80, destinationPort: 5555, seq: 0, ack: 77, flags: tcpFlags.RST | tcpFlags.ACK, window: 0, options: []});
		outgoing.sendRst(0x02_00_00_00_00_99, 0xc6_12_00_63, rst);
		await settle();
		assert.deepEqual(received.map(frame => [frame.ethernet!.destination, frame.ipv4!.destination, frame.ipv4!.identification, frame.tcp!.flags]), [
			[theirMac, theirs, 1, tcpFlags.ACK | tcpFlags.PSH],
			[0x02_00_00_00_00_99, 0xc6_12_00_63, 2, tcpFlags.RST | tcpFlags.ACK],
		]);
	});
});
