// The connection table on its own: which connection an incoming segment is for, the backlog's
// half-open count, and which ended connections the list forgets first.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {TcpState} from '../../source/engine/states.js';
import {ConnectionTable} from '../../source/session/connection-table.js';
import type {Entry, Listening} from '../../source/session/connection-entry.js';
import {connectionIn, peerSegment} from '../helpers/engine.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {sessionEntry} from '../helpers/session-entry.js';

const clock = new FakeClock();
const peerA = 0xc6_12_00_02;
const peerB = 0xc6_12_00_03;
const listening: Listening = {config: {}, backlog: 2};

/** An entry in `state` on local port 40000 (the engine helpers' port), with a peer unless it listens. */
function entryIn(table: ConnectionTable, state: TcpState, remote?: {ip: number; port: number}, fromListener = false): Entry {
	const entry = sessionEntry(clock, {id: table.nextId(), connection: connectionIn(state).connection, remote, listening: fromListener ? listening : undefined});
	table.add(entry);
	return entry;
}

/** A segment from `port` to our port 40000. */
const from = (port: number) => peerSegment({sourcePort: port});

describe('connection table', () => {
	test('a segment goes to its own connection before a listener on the port, whatever the order they were made in', () => {
		const table = new ConnectionTable();
		const listener = entryIn(table, 'LISTEN');
		const own = entryIn(table, 'ESTABLISHED', {ip: peerA, port: 80});
		assert.equal(table.find(peerA, from(80)), own);
		assert.equal(table.find(peerB, from(80)), listener, 'another host: the listener');
		assert.equal(table.find(peerA, from(81)), listener, 'another port of the same host: the listener');
		assert.equal(table.find(peerA, peerSegment({sourcePort: 80, destinationPort: 9})), undefined, 'nothing on that local port');
	});

	test('a connection without a peer that is not in LISTEN takes nothing', () => {
		const table = new ConnectionTable();
		entryIn(table, 'CLOSED');
		assert.equal(table.find(peerA, from(80)), undefined);
	});

	test('half-open counts only the connections a listener took that are still in SYN-RECEIVED on that port', () => {
		const table = new ConnectionTable();
		entryIn(table, 'LISTEN', undefined, true);
		entryIn(table, 'SYN-RECEIVED', {ip: peerA, port: 80}, true);
		entryIn(table, 'SYN-RECEIVED', {ip: peerB, port: 80}, true);
		entryIn(table, 'ESTABLISHED', {ip: peerB, port: 81}, true);
		entryIn(table, 'SYN-RECEIVED', {ip: peerA, port: 82});
		assert.equal(table.halfOpen(40_000), 2);
		assert.equal(table.halfOpen(40_001), 0);
	});

	test('listensOn sees another listener without a peer on the port, not the one asking', () => {
		const table = new ConnectionTable();
		const first = entryIn(table, 'LISTEN');
		assert.equal(table.listensOn(40_000, first), false);
		const second = entryIn(table, 'LISTEN');
		assert.equal(table.listensOn(40_000, first), true);
		assert.equal(table.listensOn(40_000, second), true);
		assert.equal(table.listensOn(40_001, first), false);
	});

	test('closedBeyond: the oldest ended connections past the newest `kept`, never a listener or a live one', () => {
		const table = new ConnectionTable();
		const ended = [1, 2, 3, 4].map(port => entryIn(table, 'CLOSED', {ip: peerA, port}));
		entryIn(table, 'CLOSED');
		entryIn(table, 'ESTABLISHED', {ip: peerB, port: 80});
		assert.deepEqual(table.closedBeyond(1), ended.slice(0, 3));
		assert.deepEqual(table.closedBeyond(4), []);
	});

	test('ids count up and are never reused, even after a connection is forgotten', () => {
		const table = new ConnectionTable();
		const first = entryIn(table, 'CLOSED', {ip: peerA, port: 80});
		table.delete(first.id);
		assert.equal(table.get(first.id), undefined);
		const second = entryIn(table, 'CLOSED', {ip: peerA, port: 80});
		assert.equal(second.id, first.id + 1);
		assert.deepEqual([...table.values()], [second]);
	});
});
