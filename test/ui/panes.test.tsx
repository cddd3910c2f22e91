/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {ArpPane} from '../../source/ui/arp-pane.js';
import {ConnectionPane} from '../../source/ui/connection-pane.js';
import {HelpOverlay} from '../../source/ui/help-overlay.js';
import {LogPane} from '../../source/ui/log-pane.js';
import {followingView} from '../../source/ui/log-view.js';
import {hexDump} from '../../source/ui/hex-dump.js';
import {editorKeys, keymap, offers, keyName} from '../../source/ui/keymap.js';
import {PacketLog} from '../../source/session/packet-log.js';
import {encodeFrame} from '../../source/wire/encode.js';
import {makeSegment} from '../../source/engine/segment.js';
import {tcpFlags} from '../../source/wire/records.js';
import {renderInk} from '../helpers/ink.js';
import {memorySession, ourIp, peerIp} from './peer.js';

function frameLog(count: number): PacketLog {
	const log = new PacketLog(100_000);
	const bytes = encodeFrame({ethernet: {destination: 2, source: 1}, ipv4: {source: ourIp, destination: peerIp, ttl: 64}, tcp: makeSegment({sourcePort: 40_000, destinationPort: 80, seq: 1, ack: 0, flags: tcpFlags.SYN, window: 1000, options: []})});
	for (let i = 0; i < count; i++) log.append({direction: i % 2 === 0 ? 'out' : 'in', timestamp: {seconds: i, nanoseconds: 0}, bytes, annotations: []});
	return log;
}

describe('panes', () => {
	test('ARP pane: interface, MAC, address, phase, counters, peer', async () => {
		const {session} = await memorySession();
		const ui = await renderInk(<ArpPane snapshot={session.getSnapshot()} peerMac={0x02_00_00_00_00_02} width={28} height={8} />);
		const screen = ui.screen();
		for (const text of ['mem0', 'MAC 02:00:00:00:00:10', 'IP  198.18.0.10', 'phase claimed', 'probes 0  announced 2', 'peer 02:00:00:00:00:02']) assert.ok(screen.includes(text), text);
		ui.unmount();
		session.close();
	});

	test('connection pane: state, endpoints, and numbers relative or absolute', async () => {
		const {session} = await memorySession();
		const id = await session.connect({ip: peerIp, port: 80}, {localPort: 40_000, iss: 4_000_000_000});
		session.syn(id);
		const view = session.getSnapshot().connections[0]!;
		const relative = await renderInk(<ConnectionPane connection={view} relative auto={false} now={0} width={60} height={8} />);
		assert.match(relative.screen(), /SYN-SENT {2}manual/);
		assert.match(relative.screen(), /SND UNA 0 NXT 1 WND/);
		relative.unmount();
		const absolute = await renderInk(<ConnectionPane connection={view} relative={false} auto now={0} width={60} height={8} />);
		assert.match(absolute.screen(), /SND UNA 4000000000 NXT 4000000001/);
		assert.match(absolute.screen(), /AUTO/);
		absolute.unmount();
		session.close();
	});

	test('log pane reads only the rows it shows, however long the log', async () => {
		for (const count of [100, 100_000]) {
			const log = frameLog(count);
			let read = 0;
			const counting = {count: log.count, size: log.size, slice: (start: number, n: number) => {
				const entries = log.slice(start, n);
				read += entries.length;
				return entries;
			}};
			const ui = await renderInk(<LogPane log={counting} view={followingView} width={100} height={11} />);
			assert.equal(read, 10, `${count} frames: read ${read} entries for 10 rows`);
			const lines = ui.screen().split('\n');
			assert.match(lines.at(-1)!, new RegExp(`^ *${count} ← `));
			ui.unmount();
		}
	});

	test('log pane title says when a flood kept frames from being handled or logged', async () => {
		const log = frameLog(3);
		const calm = await renderInk(<LogPane log={log} view={followingView} width={120} height={6} overload={{overloaded: 0, dropped: 0}} />);
		assert.doesNotMatch(calm.screen(), /overloaded/);
		calm.unmount();
		const busy = await renderInk(<LogPane log={log} view={followingView} width={120} height={6} overload={{overloaded: 700, dropped: 199}} />);
		assert.match(busy.screen().split('\n')[0]!, /3 frames .*overloaded: 700 not handled, 199 not logged/);
		busy.unmount();
	});

	test('help lists every binding and editor key, from the key map', async () => {
		const ui = await renderInk(<HelpOverlay width={80} height={23} />);
		const screen = ui.screen();
		for (const binding of keymap) assert.ok(screen.includes(binding.label), binding.label);
		for (const [label] of editorKeys) assert.ok(screen.includes(label), label);
		assert.ok(screen.split('\n').every(line => line.length <= 80));
		ui.unmount();
	});
});

describe('key map', () => {
	test('no key does two things', () => {
		const all = keymap.flatMap(binding => binding.keys);
		assert.equal(new Set(all).size, all.length);
	});

	test('the keys in the README\'s table are all bound', () => {
		const bound = new Set(keymap.flatMap(binding => binding.keys));
		for (const key of ['s', 'a', 'd', 'f', 'r', 'A', 'e', 'x', 'tab', 'shift-tab', 'j', 'k', 'up', 'down', 'pageup', 'pagedown', 'g', 'G', 'l', 'w', '?', 'q', 'ctrl-c']) assert.ok(bound.has(key), key);
	});

	test('the status bar offers what makes sense in each state', () => {
		const labels = (state: Parameters<typeof offers>[0]['state']) => offers({state, payloadBytes: 18, auto: false, focus: 'log'}).map(([key]) => key).join(' ');
		assert.equal(labels('CLOSED'), 's A x e ? q');
		assert.equal(labels('ESTABLISHED'), 'a d f r A x e o ? q');
		assert.equal(labels('TIME-WAIT'), 'a A e N o ? q');
		// A connection that ended (after a RST) offers another; so does the list from two connections on.
		assert.equal(offers({state: 'CLOSED', used: true, connections: 2, payloadBytes: 0, auto: false, focus: 'log'}).map(([key]) => key).join(' '), 's A x e c N ? q');
		assert.deepEqual(offers({state: 'ESTABLISHED', payloadBytes: 18, auto: true, focus: 'editor'}).find(([key]) => key === 'd'), ['d', 'data 18B']);
	});

	test('key names from Ink\'s key objects', () => {
		const none = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false};
		assert.equal(keyName('s', none), 's');
		assert.equal(keyName('', {...none, tab: true, shift: true}), 'shift-tab');
		assert.equal(keyName('c', {...none, ctrl: true}), 'ctrl-c');
		assert.equal(keyName('', {...none, delete: true}), 'backspace');
	});
});

test('hex dump: offsets, two groups of eight, printable text', () => {
	assert.deepEqual(hexDump(new TextEncoder().encode('GET / HTTP/1.1\r\nHost')), [
		'0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..',
		'0010  48 6f 73 74                                       Host',
	]);
});
