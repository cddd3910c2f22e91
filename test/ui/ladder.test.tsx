/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseFault} from '../../source/syntax/fault-text.js';
import type {LogEntry} from '../../source/session/packet-log.js';
import {App} from '../../source/ui/app.js';
import {ladderWindow} from '../../source/ui/ladder-rows.js';
import {makeTheme, type Theme} from '../../source/ui/theme.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {tcpFlags} from '../../source/wire/records.js';
import {eventually} from '../helpers/eventually.js';
import {keys, renderInk} from '../helpers/ink.js';
import {memorySession, peerIp} from './peer.js';

async function setup(theme: Theme) {
	const {session, peer} = await memorySession();
	await session.connect({ip: peerIp, port: 80}, {localPort: 40_000, iss: 1000});
	const ui = await renderInk(<App session={session} theme={theme} />);
	// ink-testing-library's terminal is 100 columns wide: the design's 80, as a resize would say.
	Object.defineProperty(ui.stdout, 'columns', {value: 80});
	ui.stdout.emit('resize');
	return {session, peer, ui, [Symbol.dispose]: () => {
		ui.unmount();
		session.close();
	}};
}

/** Handshake, a GET the fault drops, then l. */
async function handshakeAndLostData(t: Awaited<ReturnType<typeof setup>>) {
	await t.ui.press('s');
	await t.ui.waitFor('Flags [S.]');
	await t.ui.press('a');
	await eventually(() => t.peer.segments.length === 2, 'ACK');
	const plan = parseFault('out drop on data');
	assert.ok(plan.ok);
	t.session.faults.add(plan.plan);
	await t.ui.press('e');
	await t.ui.press(keys.ctrlT);
	await t.ui.press(keys.escape);
	await t.ui.press('d');
	await t.ui.waitFor('dropped');
	assert.equal(t.peer.segments.length, 2, 'the data never reached the peer');
	await t.ui.press('l');
	return t.ui.waitFor('Ladder');
}

describe('the ladder pane (l) in the live TUI', () => {
	test('lifelines with both addresses, one arrow per segment, the dropped data ending in x', async () => {
		using t = await setup(makeTheme({color: false, ascii: false}));
		const screen = await handshakeAndLostData(t);
		assert.doesNotMatch(screen, /Packet log/, 'the ladder takes the log\'s place');
		assert.match(screen, /^ {10}198\.18\.0\.10:40000 +198\.18\.0\.2:80$/m);
		assert.match(screen, /^ +\d+\.\d{6} │─+ S seq 0 ─+>│$/m);
		assert.match(screen, /^ +\d+\.\d{6} │<─+ S\. seq 0 ack 1 ─+│$/m);
		assert.match(screen, /^ +\d+\.\d{6} │─+ \. seq 1 ack 1 ─+>│$/m);
		// The GET: 55 bytes, dropped by the fault, so the arrow stops short of the peer's lifeline.
		assert.match(screen, /^ +\d+\.\d{6} │─+ P\. 1:56 ack 1 ─+x {3}│ ✗ dropped$/m);
		for (const line of screen.split('\n')) assert.ok(line.length <= 80, `over 80 columns: ${line}`);
		assert.ok(screen.split('\n').length <= 24);
		await t.ui.press('l');
		await t.ui.waitFor('Packet log');
	});

	test('j/k move the log\'s selection and the ladder follows it; ASCII lifelines without UTF-8', async () => {
		using t = await setup(makeTheme({color: false, ascii: true}));
		const screen = await handshakeAndLostData(t);
		assert.match(screen, /^ +\d+\.\d{6} \|-+ S seq 0 -+>\|$/m);
		assert.match(screen, /^ +\d+\.\d{6} \|-+ P\. 1:56 ack 1 -+x {3}\| ! dropped$/m);
		assert.match(screen, /connection 1 {2}#\d+/);
		const frame = (text: string) => Number(/#(\d+)/.exec(text)![1]);
		const before = frame(t.ui.screen());
		await t.ui.press('k');
		await t.ui.press('k');
		const after = await t.ui.waitFor(text => /#\d+/.test(text) && frame(text) === before - 2);
		assert.match(after, /S\. seq 0 ack 1/);
	});
});

describe('ladder rows around the selection', () => {
	const left = {ip: 0xc6_12_00_0a, port: 40_000};
	const right = {ip: 0xc6_12_00_02, port: 80};
	const entry = (number: number, connection: number | undefined): LogEntry => ({
		number,
		direction: number % 2 === 0 ? 'out' : 'in',
		timestamp: {seconds: 1, nanoseconds: number * 1000},
		bytes: new Uint8Array(0),
		frame: decodeFrame(tcpFrame({sourceMac: 1, destinationMac: 2, source: left.ip, destination: right.ip, sourcePort: left.port, destinationPort: right.port, seq: number * 10, ack: 0, flags: tcpFlags.ACK, payload: new Uint8Array(10)})),
		annotations: number === 50 ? [{code: 'dropped', text: 'dropped (fault)', severity: 'warn'}, {code: 'retransmission', text: 'r', severity: 'info'}] : [],
		...(connection === undefined ? {} : {connection}),
	});
	// 1000 frames: odd ones connection 1, even ones connection 2, every tenth none.
	const entries = Array.from({length: 1000}, (_, index) => entry(index + 1, (index + 1) % 10 === 0 ? undefined : (index + 1) % 2 === 1 ? 1 : 2));
	const log = {count: 1000, size: 1000, at: (index: number) => entries[index]};

	test('the selected frame\'s connection only, the selection in the middle', () => {
		const window = ladderWindow(log, {selected: 501, rows: 9, faultMark: '!'});
		assert.equal(window.connection, 1);
		assert.deepEqual(window.rows.map(row => row.number), [493, 495, 497, 499, 501, 503, 505, 507, 509]);
		assert.equal(window.selected, 4);
	});

	test('a frame in no connection keeps the given one; notes and lost from annotations', () => {
		const window = ladderWindow(log, {selected: 50, connection: 2, rows: 4, faultMark: '!'});
		assert.equal(window.connection, 2);
		assert.equal(window.selected, -1);
		assert.deepEqual(window.rows.map(row => row.number), [46, 48, 52, 54]);
		const mine = ladderWindow({count: 1000, size: 1000, at: index => (index === 49 ? {...entries[49]!, connection: 2} : entries[index])}, {selected: 50, rows: 3, faultMark: '!'});
		const selected = mine.rows[mine.selected]!;
		assert.equal(selected.number, 50);
		assert.equal(selected.lost, true);
		assert.deepEqual(selected.notes, ['! dropped', 'retransmission']);
	});

	test('at the ends of the log the pane fills from the other side', () => {
		assert.deepEqual(ladderWindow(log, {selected: 999, rows: 5, faultMark: '!'}).rows.map(row => row.number), [991, 993, 995, 997, 999]);
		assert.deepEqual(ladderWindow(log, {selected: 1, rows: 3, faultMark: '!'}).rows.map(row => row.number), [1, 3, 5]);
	});
});
