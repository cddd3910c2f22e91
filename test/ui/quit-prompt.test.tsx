/** @jsxRuntime automatic */
/** @jsxImportSource react */
// The live TUI's quit question (source/ui/quit-prompt.tsx), over connections a memory peer opened.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {isOpen, quitAnswer, QuitPrompt, quitQuestion} from '../../source/ui/quit-prompt.js';
import {makeTheme, ThemeContext} from '../../source/ui/theme.js';
import {eventually} from '../helpers/eventually.js';
import {renderInk} from '../helpers/ink.js';
import {memorySession, peerIp} from './peer.js';

const plain = makeTheme({color: false, ascii: false});

async function twoConnections() {
	const {session} = await memorySession();
	const first = await session.connect({ip: peerIp, port: 80}, {localPort: 40_000, iss: 1000});
	const second = await session.connect({ip: peerIp, port: 7}, {localPort: 40_001, iss: 2000});
	const connections = () => session.getSnapshot().connections;
	return {session, first, second, connections, [Symbol.dispose]: () => session.close()};
}

describe('the quit prompt', () => {
	test('CLOSED is not open; a connection through its handshake is, and the question names it', async () => {
		using t = await twoConnections();
		assert.equal(t.connections().some(connection => isOpen(connection)), false);
		t.session.syn(t.first);
		await eventually(() => t.connections().find(connection => connection.id === t.first)?.tcb.state === 'ESTABLISHED', 'ESTABLISHED');
		const open = t.connections().filter(connection => isOpen(connection));
		assert.deepEqual(open.map(connection => connection.id), [t.first]);
		assert.equal(quitQuestion(open), 'ESTABLISHED to 198.18.0.2:80: r send RST and quit, q quit, Esc stay');
	});

	test('several open: each is listed, and r resets them all', async () => {
		using t = await twoConnections();
		t.session.syn(t.first);
		t.session.syn(t.second);
		await eventually(() => t.connections().every(connection => connection.tcb.state === 'ESTABLISHED'), 'both ESTABLISHED');
		const open = t.connections().filter(connection => isOpen(connection));
		assert.equal(quitQuestion(open), `2 connections open (#${t.first} ESTABLISHED, #${t.second} ESTABLISHED): r send RSTs and quit, q quit, Esc stay`);
	});

	test('none open any more (closed while it asked): q quits, Esc stays', () => {
		assert.equal(quitQuestion([]), 'nothing is open any more: q quits, Esc stays');
	});

	test('the keys: r resets, q y C-c quit, Esc n stay, any other is ignored', () => {
		assert.equal(quitAnswer('r'), 'rst');
		for (const name of ['q', 'y', 'ctrl-c']) assert.equal(quitAnswer(name), 'quit', name);
		for (const name of ['escape', 'n']) assert.equal(quitAnswer(name), 'stay', name);
		for (const name of ['s', 'return', 'R', 'j']) assert.equal(quitAnswer(name), undefined, name);
	});

	test('drawn as one line in place of the status bar, cut to the width', async () => {
		using t = await twoConnections();
		t.session.syn(t.first);
		await eventually(() => t.connections().some(connection => connection.tcb.state === 'ESTABLISHED'), 'ESTABLISHED');
		const open = t.connections().filter(connection => isOpen(connection));
		const ui = await renderInk(<ThemeContext.Provider value={plain}><QuitPrompt open={open} width={40} /></ThemeContext.Provider>);
		assert.equal(ui.screen(), 'ESTABLISHED to 198.18.0.2:80: r send RS…');
		ui.unmount();
	});
});
