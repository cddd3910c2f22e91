/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {App} from '../../source/ui/app.js';
import {isAuto} from '../../source/session/auto-policies.js';
import {makeTheme} from '../../source/ui/theme.js';
import {tcpFlags} from '../../source/wire/records.js';
import {keys, renderInk} from '../helpers/ink.js';
import {memorySession, peerIp} from './peer.js';
import {eventually} from '../helpers/eventually.js';

const {SYN, ACK, RST, FIN} = tcpFlags;
const ctrlR = '\u0012';
const plain = makeTheme({color: false, ascii: false});

async function setup(options: {connect?: boolean; onWrite?: () => string} = {}) {
	const {session, peer} = await memorySession();
	if (options.connect !== false) await session.connect({ip: peerIp, port: 80}, {localPort: 40_000, iss: 1000});
	let exited: string | undefined;
	const ui = await renderInk(<App session={session} theme={plain} onWrite={options.onWrite} onExit={how => {
		exited = how;
	}} />);
	return {session, peer, ui, exited: () => exited, [Symbol.dispose]: () => {
		ui.unmount();
		session.close();
	}};
}


describe('the TUI over a memory link', () => {
	test('all four panes and the status bar show at 80x24 (in 100 columns here)', async () => {
		using t = await setup();
		const screen = t.ui.screen();
		for (const text of ['ARP claim', 'Connection', 'Packet log', 'Payload', 'CLOSED', '198.18.0.10:40000 → 198.18.0.2:80', 's SYN']) assert.ok(screen.includes(text), text);
		assert.ok(screen.split('\n').length <= 24);
	});

	test('s sends a SYN; the peer gets it and the log and connection pane show the handshake', async () => {
		using t = await setup();
		await t.ui.press('s');
		await eventually(() => t.peer.segments.length === 1, 'SYN');
		assert.equal(t.peer.segments[0]!.flags, SYN);
		assert.equal(t.peer.segments[0]!.seq, 1000);
		const screen = await t.ui.waitFor('Flags [S.]');
		assert.match(screen, /ESTABLISHED/);
		assert.match(screen, /→ \d+\.\d+ .*Flags \[S\], seq 0,/);
	});

	test('a, then the editor\'s template sent with d: the peer gets the GET, the reply shows', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('Flags [S.]');
		await t.ui.press('a');
		await eventually(() => t.peer.segments.length === 2, 'ACK');
		assert.equal(t.peer.segments[1]!.flags, ACK);
		await t.ui.press('e');
		await t.ui.press(keys.ctrlT);
		await t.ui.press(keys.escape);
		await t.ui.press('d');
		await eventually(() => t.peer.segments.length === 3, 'data');
		assert.equal(new TextDecoder().decode(t.peer.segments[2]!.payload), 'GET / HTTP/1.1\r\nHost: 198.18.0.2\r\nConnection: close\r\n\r\n');
		await t.ui.waitFor('HTTP: HTTP/1.1 200 OK');
		await t.ui.waitFor('received 24 B');
	});

	test('R reads what waits (the pane counts read and unread); C-r cycles the reader', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('Flags [S.]');
		await t.ui.press('a');
		await t.ui.press('e');
		await t.ui.press(keys.ctrlT);
		await t.ui.press(keys.escape);
		await t.ui.press('d');
		let screen = await t.ui.waitFor('received 24 B');
		assert.match(screen, /reader manual/);
		assert.match(screen, /received 24 B  read 0  unread 24/);
		assert.match(screen, /R read 24B/, 'the status bar offers R');
		await t.ui.press('R');
		screen = await t.ui.waitFor('read 24 B: our window opens');
		assert.match(screen, /received 24 B  read 24  unread 0/);
		await t.ui.press(ctrlR);
		await t.ui.waitFor('reader slow 10000 B/s');
		await t.ui.press(ctrlR);
		screen = await t.ui.waitFor('reader on arrival');
		await t.ui.press('R');
		await t.ui.waitFor('nothing unread (reader: on arrival');
	});

	test('while the editor has focus, letters are text, never actions', async () => {
		using t = await setup();
		await t.ui.press('e');
		await t.ui.type('sarf');
		await t.ui.press(keys.backspace);
		await t.ui.waitFor('3 bytes');
		assert.equal(t.peer.segments.length, 0);
		assert.match(t.ui.screen(), /^sar/m);
		await t.ui.press(keys.escape);
		await t.ui.press('s');
		await eventually(() => t.peer.segments.length === 1, 'SYN after leaving the editor');
	});

	test('hex mode in the editor, and the byte count d will send', async () => {
		using t = await setup();
		await t.ui.press('e');
		await t.ui.type('AB\\r\\n');
		await t.ui.waitFor('text  4 bytes');
		await t.ui.press(keys.ctrlX);
		await t.ui.waitFor('41 42 0d 0a');
		assert.match(t.ui.screen(), /hex {2}4 bytes/);
	});

	test('d with an empty payload, and actions the engine refuses, say why in the status bar', async () => {
		using t = await setup();
		await t.ui.press('d');
		await t.ui.waitFor('the payload is empty');
		assert.equal(t.peer.segments.length, 0);
	});

	test('no connection: an action says so instead of failing', async () => {
		using t = await setup({connect: false});
		await t.ui.press('s');
		await t.ui.waitFor('no connection yet');
	});

	test('q with a connection open asks, and r sends RST before quitting', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('Flags [S.]');
		await t.ui.press('q');
		await t.ui.waitFor('ESTABLISHED to 198.18.0.2:80: r send RST and quit, q quit, Esc stay');
		assert.equal(t.exited(), undefined);
		await t.ui.press(keys.escape);
		assert.doesNotMatch(t.ui.screen(), /send RST and quit/);
		await t.ui.press('q');
		await t.ui.press('r');
		await eventually(() => t.peer.segments.some(segment => (segment.flags & RST) !== 0), 'RST');
		assert.equal(t.exited(), 'rst');
	});

	test('q with nothing open quits at once', async () => {
		using t = await setup();
		await t.ui.press('q');
		assert.equal(t.exited(), 'quit');
		assert.equal(t.peer.segments.length, 0);
	});

	test('A toggles auto mode in the session and on screen', async () => {
		using t = await setup();
		await t.ui.press('A');
		assert.equal(isAuto(t.session.getSnapshot().auto), true);
		await t.ui.waitFor('AUTO');
		await t.ui.press('A');
		assert.equal(isAuto(t.session.getSnapshot().auto), false);
		await t.ui.waitFor('manual');
	});

	test('n switches relative and absolute numbers in the log and the connection pane', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('Flags [S.]');
		await t.ui.press('n');
		const screen = await t.ui.waitFor('absolute');
		assert.match(screen, /Flags \[S\], seq 1000,/);
		assert.match(screen, /ISS 1000 {2}IRS 5000/);
	});

	test('Enter opens the selected frame: fields and hex; Esc goes back', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('Flags [S.]');
		await t.ui.press(keys.tab);
		await t.ui.press(keys.shiftTab);
		await t.ui.press('k');
		await t.ui.press(keys.enter);
		const detail = await t.ui.waitFor('Ethernet II');
		// `k` from the newest frame (the SYN-ACK, following) selects the frame before it: our SYN.
		assert.match(detail, /Frame \d+ → out/);
		assert.match(detail, /flags: 0x002 SYN\n/);
		await t.ui.press('G');
		assert.match(t.ui.screen(), /^0000 {2}02 00 00 00 00 02/m);
		await t.ui.press(keys.escape);
		await t.ui.waitFor('ARP claim');
	});

	test('? shows help generated from the key map; any key closes it', async () => {
		using t = await setup();
		await t.ui.press('?');
		const help = await t.ui.waitFor('Help');
		assert.match(help, /x +fault menu: break segments(?! \(coming)/, 'the fault menu is no longer coming');
		assert.match(help, /R +read what arrived \(opens window\)/);
		assert.match(help, /C-r +reader: arrival \/ manual \/ slow/);
		assert.match(help, /W +save the script \(synack run\)/);
		await t.ui.press(keys.escape);
		await t.ui.waitFor('ARP claim');
	});

	test('Tab moves focus through the panes; focus on the editor makes it take keys', async () => {
		using t = await setup();
		await t.ui.press(keys.tab);
		await t.ui.waitFor('Esc done');
		await t.ui.type('f');
		assert.equal(t.peer.segments.length, 0);
		await t.ui.press(keys.tab);
		assert.doesNotMatch(t.ui.screen(), /Esc done/);
		await t.ui.press('f');
		await eventually(() => t.peer.segments.some(segment => (segment.flags & FIN) !== 0), 'FIN');
	});

	test('w writes through the command\'s writer and shows where', async () => {
		using t = await setup({onWrite: () => 'wrote 3 frames to x.pcap'});
		await t.ui.press('w');
		await t.ui.waitFor('wrote 3 frames to x.pcap');
	});
});

test('ASCII theme: no box drawing or arrows outside ASCII', async () => {
	const {session} = await memorySession();
	await session.connect({ip: peerIp, port: 80}, {localPort: 40_000});
	const ui = await renderInk(<App session={session} theme={makeTheme({color: false, ascii: true})} />);
	try {
		assert.match(ui.screen(), /-- ARP claim/);
		assert.doesNotMatch(ui.screen(), /[^\u0000-\u007F]/);
	} finally {
		ui.unmount();
		session.close();
	}
});
