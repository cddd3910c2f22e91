// The incoming path on its own: the peer's frames handed to it as the host would, a fake clock, and
// hooks that record what it asks of the session around it.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Connection} from '../../source/engine/connection.js';
import type {Entry} from '../../source/session/connection-entry.js';
import {ConnectionTable} from '../../source/session/connection-table.js';
import {IncomingPath} from '../../source/session/incoming-path.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type DecodedFrame, tcpFlags} from '../../source/wire/records.js';
import {ourMac, ours, pathRig, plan, settle, theirMac, theirs} from '../helpers/path-rig.js';
import {connectionIn, localPort, peerWindow, remotePort} from '../helpers/engine.js';
import {sessionEntry} from '../helpers/session-entry.js';

/** A frame from the peer's port `sourcePort` to our port 80. */
function fromPeer(seq: number, flags: number, sourcePort = 5555, payload?: Uint8Array): DecodedFrame {
	return decodeFrame(tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort, destinationPort: 80, seq, ack: 0, flags, payload}));
}

/** A listener on port 80 (backlog 1) in the table, and the incoming path in front of it. */
function rig(t: {after(fn: () => void): void}, rstUnknown = false) {
	const {clock, host, faults, timers, outgoing, received: sent} = pathRig(t);
	const table = new ConnectionTable();
	const connection = new Connection({localPort: 80});
	connection.listen(clock.now());
	const listener = sessionEntry(clock, {id: table.nextId(), connection, localPort: 80, listening: {config: {}, backlog: 1}});
	table.add(listener);
	const taken: Array<{entry: Entry; payloadLength: number; now: number}> = [];
	const listened: Entry[] = [];
	const incoming = new IncomingPath({
		host, table, faults, outgoing, clock, timers,
		afterReceive: (entry, _result, payloadLength, now) => taken.push({entry, payloadLength, now}),
		listened: entry => listened.push(entry),
		rstUnknown: () => rstUnknown,
	});
	/** As the host does: the handler's answer, then its follow-up once the frame is logged. */
	const deliver = (frame: DecodedFrame) => {
		const handled = incoming.receive(frame);
		handled?.then?.();
		return handled;
	};

	t.after(() => {
		incoming.close();
	});
	return {clock, host, faults, table, incoming, listener, taken, listened, deliver, sent};
}

describe('incoming path', () => {
	test('a SYN to a listener: it learns the peer, the engine takes it, and the session hears of it once it is logged', t => {
		const {listener, taken, listened, deliver} = rig(t);
		const handled = deliver(fromPeer(1000, tcpFlags.SYN));
		assert.equal(handled?.connection, listener.id);
		assert.deepEqual(listener.remote, {ip: theirs, port: 5555});
		assert.equal(listener.remoteMac, theirMac);
		assert.equal(listener.connection.state, 'SYN-RECEIVED');
		assert.ok(listener.replies.length > 0, 'a conformant stack would answer with a SYN-ACK');
		assert.deepEqual(taken.map(({entry, payloadLength}) => [entry, payloadLength]), [[listener, 0]]);
		assert.deepEqual(listened, [listener], 'a listener took it: the session may put a new one on the port');
	});

	test('in drop: logged with the fault, and the engine never sees it', t => {
		const {faults, listener, taken, deliver} = rig(t);
		faults.add(plan('in drop count 1'));
		const handled = deliver(fromPeer(1000, tcpFlags.SYN));
		assert.equal(handled?.then, undefined);
		assert.equal(handled?.annotations?.[0]?.code, 'fault');
		assert.equal(listener.connection.state, 'LISTEN');
		assert.deepEqual(taken, []);
	});

	test('the dropIncoming hook drops what it picks before any fault or the engine', t => {
		const {incoming, listener, deliver} = rig(t);
		incoming.drop = frame => frame.tcp!.sourcePort === 6666;
		assert.equal(deliver(fromPeer(1000, tcpFlags.SYN, 6666))?.annotations?.[0]?.code, 'dropped');
		assert.equal(listener.connection.state, 'LISTEN');
		deliver(fromPeer(1000, tcpFlags.SYN, 5555));
		assert.equal(listener.connection.state, 'SYN-RECEIVED');
	});

	test('in delay: the engine takes it when the session clock reaches the delay, logged as a note', t => {
		const {clock, host, faults, listener, taken, deliver} = rig(t);
		faults.add(plan('in delay 300ms count 1'));
		deliver(fromPeer(1000, tcpFlags.SYN));
		clock.advance(299);
		assert.equal(listener.connection.state, 'LISTEN');
		clock.advance(1);
		assert.equal(listener.connection.state, 'SYN-RECEIVED');
		assert.deepEqual(taken.map(({now}) => now), [300]);
		assert.equal(host.log.at(host.log.size - 1)!.annotations[0]!.text, 'taken 300 ms late (fault)');
	});

	test('in reorder: held until the next segment for the connection has been taken, then taken after it', t => {
		const {faults, host, listener, taken, deliver} = rig(t);
		deliver(fromPeer(1000, tcpFlags.SYN));
		const data = (seq: number, payload: string) => fromPeer(seq, tcpFlags.ACK | tcpFlags.PSH, 5555, new TextEncoder().encode(payload));
		faults.add(plan('in reorder count 1'));
		assert.equal(deliver(data(1001, 'abc'))?.then, undefined, 'held');
		deliver(data(1004, 'd'));
		assert.deepEqual(taken.slice(1).map(({payloadLength}) => payloadLength), [1, 3], 'the later one first');
		assert.equal(listener.bytesIn, 4);
		assert.equal(host.log.at(host.log.size - 1)!.annotations[0]!.text, 'taken after the segment behind it (fault)');
	});

	test('a SYN past the backlog is dropped as Linux drops it, and the listener stays free', t => {
		const {table, deliver, clock} = rig(t);
		deliver(fromPeer(1000, tcpFlags.SYN, 5555));
		const second = new Connection({localPort: 80});
		second.listen(clock.now());
		const spare = sessionEntry(clock, {id: table.nextId(), connection: second, localPort: 80, listening: {config: {}, backlog: 1}});
		table.add(spare);
		const handled = deliver(fromPeer(2000, tcpFlags.SYN, 5556));
		assert.equal(handled?.annotations?.[0]?.code, 'backlog-full');
		assert.equal(spare.connection.state, 'LISTEN');
		assert.equal(spare.remote, undefined);
	});

	test('a segment no connection takes: a RST goes back only with the rstUnknown policy on', async t => {
		// To port 81, where nothing listens (RFC 9293 §3.10.7.1: the RST takes its seq from the ACK).
		const stray = decodeFrame(tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort: 5555, destinationPort: 81, seq: 1000, ack: 77, flags: tcpFlags.ACK}));
		const off = rig(t);
		assert.equal(off.deliver(stray)?.then, undefined);
		const on = rig(t, true);
		on.deliver(stray);
		await settle();
		assert.deepEqual(off.sent, []);
		assert.deepEqual(on.sent.map(frame => [frame.tcp!.flags, frame.tcp!.seq, frame.tcp!.destinationPort]), [[tcpFlags.RST, 77, 5555]]);
	});
});

describe('incoming path: header prediction (take)', () => {
	/** An ESTABLISHED connection with the peer at port 80, in the table, and the incoming path in front of it. */
	function established(t: {after(fn: () => void): void}) {
		const parts = rig(t);
		const h = connectionIn('ESTABLISHED');
		const entry = sessionEntry(parts.clock, {id: parts.table.nextId(), connection: h.connection, localPort, remote: {ip: theirs, port: remotePort}, remoteMac: theirMac});
		parts.table.add(entry);
		/** The peer's next in-order data, as the wire carries it. */
		const data = (text: string, corrupt = false) => {
			const bytes = tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort: remotePort, destinationPort: localPort, seq: h.peerNxt, ack: h.connection.tcb.sndNxt, flags: tcpFlags.ACK | tcpFlags.PSH, window: peerWindow, payload: new TextEncoder().encode(text)});
			// The payload's first octet (a short frame ends in padding, which no checksum covers).
			if (corrupt) bytes[54]! ^= 0xff;
			else h.peerNxt = (h.peerNxt + text.length) >>> 0;
			return bytes;
		};

		return {...parts, h, entry, data};
	}

	test('in-order data of an established connection is taken without decoding, and the session hears of it once logged', t => {
		const {incoming, entry, taken, data, h} = established(t);
		assert.equal(incoming.take(data('hello')), entry.id);
		assert.deepEqual(incoming.notes.map(note => note.code), ['acceptable']);
		assert.deepEqual(taken, [], 'not before the host logged it');
		incoming.after();
		assert.deepEqual(taken.map(({entry: got, payloadLength}) => [got, payloadLength]), [[entry, 5]]);
		assert.equal(entry.bytesIn, 5);
		assert.equal(entry.lastVerdict?.code, 'acceptable');
		assert.ok(entry.replies.length > 0, 'the ACK a conformant stack would send is on offer');
		incoming.after();
		assert.equal(taken.length, 1, 'after runs once per frame taken');
		assert.equal(new TextDecoder().decode(h.connection.read()), 'hello');
	});

	test('it is not taken with a fault in force, a drop hook, a wrong checksum, or for another connection', t => {
		const {incoming, faults, data, h} = established(t);
		assert.equal(incoming.take(data('x', true)), -1, 'a wrong checksum: the full path names it');
		incoming.drop = () => false;
		assert.equal(incoming.take(data('y')), -1);
		incoming.drop = undefined;
		faults.add(plan('in delay 10ms'));
		assert.equal(incoming.take(data('z')), -1);
		faults.clear();
		const stranger = tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort: 81, destinationPort: localPort, seq: h.peerNxt, ack: h.connection.tcb.sndNxt, flags: tcpFlags.ACK, window: peerWindow, payload: new Uint8Array(3)});
		assert.equal(incoming.take(stranger), -1, 'no connection with that peer port');
		assert.equal(h.connection.readable, 0, 'nothing reached the engine');
	});
});
