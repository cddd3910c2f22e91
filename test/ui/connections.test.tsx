/** @jsxRuntime automatic */
/** @jsxImportSource react */
// Several connections in the live TUI (issue 22): N opens another, c lists them, Enter picks the one
// the keys act on, D drops an ended one, and the log marks each line with its connection.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {App} from '../../source/ui/app.js';
import {makeTheme} from '../../source/ui/theme.js';
import {tcpFlags} from '../../source/wire/records.js';
import {eventually} from '../helpers/eventually.js';
import {keys, renderInk} from '../helpers/ink.js';
import {memorySession, peerIp} from './peer.js';

const {SYN, RST, ACK} = tcpFlags;
const plain = makeTheme({color: false, ascii: false});

async function setup() {
	const {session, peer} = await memorySession();
	await session.connect({ip: peerIp, port: 80}, {localPort: 40_000});
	const ui = await renderInk(<App session={session} theme={plain} />);
	return {session, peer, ui, [Symbol.dispose]: () => {
		ui.unmount();
		session.close();
	}};
}

describe('several connections in the live TUI', () => {
	test('after a RST, N opens another to the same server (the default), s opens it; the log tags each line with #N', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('ESTABLISHED');
		await t.ui.press('r');
		await t.ui.waitFor(screen => /^CLOSED/m.test(screen.split('\n')[1]!.split('│')[1] ?? ''));
		assert.match(t.ui.screen(), /N new/, 'the status bar offers N once the connection has ended');
		await t.ui.press('N');
		await t.ui.waitFor('open a connection to HOST:PORT 198.18.0.2:80');
		await t.ui.press(keys.enter);
		let screen = await t.ui.waitFor('#2 to 198.18.0.2:80 in CLOSED: s sends the SYN');
		await t.ui.press('s');
		await eventually(() => t.peer.segments.length === 3, 'the second SYN');
		assert.deepEqual(t.peer.segments.map(segment => segment.flags), [SYN, RST | ACK, SYN]);
		assert.notEqual(t.peer.segments[2]!.sourcePort, 40_000, 'a fresh ephemeral port');
		screen = await t.ui.waitFor(screen => screen.includes('ESTABLISHED') && screen.includes('#2 198.18.0.10:'));
		assert.match(screen, /#N connection, IP addresses: not #2's/);
		assert.match(screen, /^ +\d+ → [\d.]+ #1 IP 198\.18\.0\.10\.40000 > 198\.18\.0\.2\.80: Flags \[S\]/m, '#1\'s lines keep their addresses');
		assert.match(screen, /^ +\d+ ← [\d.]+ #2 Flags \[S\.\]/m, 'the selected connection\'s lines leave them out');
		assert.match(screen, /#2 198\.18\.0\.10:\d+ → :80 ESTABLISHED/, 'the status line names the selected connection');
	});

	test('c lists both; Enter on #1 selects it (the panes follow), r then acts on #1; D drops it once closed', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('ESTABLISHED');
		await t.ui.press('N');
		await t.ui.press(keys.ctrlU);
		await t.ui.type('198.18.0.2:7');
		await t.ui.press(keys.enter);
		await t.ui.waitFor('#2 to 198.18.0.2:7 in CLOSED');
		await t.ui.press('c');
		let screen = await t.ui.waitFor('Connections  2');
		assert.match(screen, /#1 :40000 +→ 198\.18\.0\.2:80 +ESTABLISHED +0\/0 +acceptable/);
		assert.match(screen, /^\* +#2 :\d+ +→ 198\.18\.0\.2:7 +CLOSED/m, '* marks the selected one');
		await t.ui.press('k');
		await t.ui.press(keys.enter);
		screen = await t.ui.waitFor('#1 selected');
		assert.match(screen, /198\.18\.0\.10:40000 → 198\.18\.0\.2:80/);
		await t.ui.press('D');
		await t.ui.waitFor('drop: #1 is ESTABLISHED: only a closed');
		await t.ui.press('r');
		await eventually(() => t.peer.segments.at(-1)?.flags === (RST | ACK), 'the RST');
		assert.equal(t.peer.segments.at(-1)!.sourcePort, 40_000, 'the RST went to #1');
		await t.ui.press('D');
		await t.ui.waitFor('#1 dropped from the list');
		assert.deepEqual(t.session.getSnapshot().connections.map(connection => connection.id), [2]);
		await t.ui.press('c');
		screen = await t.ui.waitFor('Connections  1');
		assert.match(screen, /\* +#2 :\d+ +→ 198\.18\.0\.2:7 +CLOSED/);
		await t.ui.press(keys.escape);
		await t.ui.press('N');
		await t.ui.press(keys.ctrlU);
		await t.ui.type('nowhere');
		await t.ui.press(keys.enter);
		await t.ui.waitFor('open: HOST:PORT, like 198.18.0.2:80 (not "nowhere")');
	});

	test('q with two connections open asks about both; r resets both and quits', async () => {
		const {session, peer} = await memorySession();
		await session.connect({ip: peerIp, port: 80}, {localPort: 40_000});
		let exited: string | undefined;
		const ui = await renderInk(<App session={session} theme={plain} onExit={how => {
			exited = how;
		}} />);
		try {
			await ui.press('s');
			await ui.waitFor('ESTABLISHED');
			await ui.press('N');
			await ui.press(keys.enter);
			await ui.waitFor('#2 to 198.18.0.2:80 in CLOSED');
			await ui.press('s');
			await ui.waitFor(screen => /#2 [\d.]+:\d+ → :80 ESTABLISHED/.test(screen));
			await ui.press('q');
			await ui.waitFor('2 connections open (#1 ESTABLISHED, #2 ESTABLISHED): r send RSTs and quit');
			await ui.press('r');
			await eventually(() => exited === 'rst', 'quit');
			const resets = peer.segments.filter(segment => segment.flags & RST);
			assert.deepEqual(resets.map(segment => segment.sourcePort).sort(), [40_000, peer.segments[1]!.sourcePort].sort());
		} finally {
			ui.unmount();
			session.close();
		}
	});
});
