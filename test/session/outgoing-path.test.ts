// The outgoing path on its own: a memory link, a fake clock, and segments handed to it as the engine
// would. What the peer receives is what went on the wire; what the log holds is what the user sees.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {SendResult} from '../../source/engine/connection.js';
import {makeSegment} from '../../source/engine/segment.js';
import {tcpFlags} from '../../source/wire/records.js';
import {pathRig, plan, settle, theirMac, theirs} from '../helpers/path-rig.js';
import {sessionEntry} from '../helpers/session-entry.js';

/** Our segment number `n`: `n` octets of payload at seq 1000 + 100n, so the peer can tell them apart. */
function ourSegment(n: number): SendResult {
	const segment = makeSegment({sourcePort: 40_000, destinationPort: 80, seq: 1000 + (100 * n), ack: 1, flags: tcpFlags.ACK | tcpFlags.PSH, window: 5000, options: [], payload: new Uint8Array(n).fill(n)});
	return {segment, verdicts: [], events: []};
}

function rig(t: {after(fn: () => void): void}) {
	const {clock, host, faults, timers, outgoing, received} = pathRig(t);
	const entry = sessionEntry(clock, {id: 7, remote: {ip: theirs, port: 80}, remoteMac: theirMac});
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
