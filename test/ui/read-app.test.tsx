/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {loadCapture} from '../../source/session/capture.js';
import {ReadApp} from '../../source/ui/read-app.js';
import {makeTheme} from '../../source/ui/theme.js';
import {keys, renderInk, settle} from '../helpers/ink.js';

const fixture = (name: string) => path.join(new URL('../fixtures/', import.meta.url).pathname, name);
const plain = makeTheme({color: false, ascii: false});

async function open(name: string) {
	const capture = loadCapture(fixture(name));
	let exited = false;
	const ui = await renderInk(<ReadApp capture={capture} theme={plain} onExit={() => {
		exited = true;
	}} />);
	Object.defineProperty(ui.stdout, 'columns', {value: 80});
	ui.stdout.emit('resize');
	await settle();
	return {capture, ui, exited: () => exited, [Symbol.dispose]: () => ui.unmount()};
}

describe('synack read: the capture viewer (tcpdump\'s capture of a lab session)', () => {
	test('the conversation list, a pick, and the reconstructed state ending where the real connection did', async () => {
		using t = await open('lab-session.pcap');
		assert.match(t.ui.screen(), /Capture {2}16 frames, 1 TCP conversation/);
		assert.match(t.ui.screen(), /^ +1 → 0\.000 ARP, Request who-has 198\.18\.231\.10/m);
		await t.ui.press('c');
		const list = await t.ui.waitFor('Conversations');
		assert.match(list, /^all frames \(16\)$/m);
		assert.match(list, /^ {2}1 {2}198\.18\.231\.10:\d+ → 198\.18\.231\.2:80 {2}10 seg {2}ends TIME-WAIT \/ CLOSED$/m);
		await t.ui.press('j');
		await t.ui.press(keys.enter);
		const picked = await t.ui.waitFor('Packet log  10 frames');
		assert.match(picked, /Conversation 1 of 1 {2}198\.18\.231\.10:\d+ → 198\.18\.231\.2:80 {2}10 segments/);
		assert.match(picked, /segment 1\/10 from the client {2}after it: client SYN-SENT {2}server SYN-RECEIVED/);
		// Numbered within the conversation, relative numbers, as read --states numbers them.
		assert.match(picked, /^ +1 → 0\.\d{3} Flags \[S\], seq 0,/m);
		assert.match(picked, /^ +10 → 0\.\d{3} Flags \[\.\], ack 271,/m);
		await t.ui.press('G');
		const end = await t.ui.waitFor('segment 10/10');
		assert.match(end, /segment 10\/10 from the client {2}after it: client TIME-WAIT {2}server CLOSED/);
		assert.match(end, /at the end: client TIME-WAIT {2}server CLOSED/);
		await t.ui.press('k');
		await t.ui.press('k');
		const fin = await t.ui.waitFor('segment 8/10');
		assert.match(fin, /client FIN-WAIT-1 {2}server CLOSE-WAIT/);
		assert.match(fin, /verdicts: .*fin/);
	});

	test('the ladder of the picked conversation, the selection in it; Enter opens a frame\'s detail', async () => {
		using t = await open('lab-session.pcap');
		await t.ui.press('c');
		await t.ui.press('j');
		await t.ui.press(keys.enter);
		await t.ui.waitFor('Packet log  10 frames');
		await t.ui.press('l');
		const ladder = await t.ui.waitFor('Ladder');
		assert.match(ladder, /^ {10}198\.18\.231\.10:\d+ +198\.18\.231\.2:80$/m);
		assert.match(ladder, /^ 0\.000000 │─+ S seq 0 ─+>│$/m);
		assert.match(ladder, /^ +0\.\d{6} │<─+ S\. seq 0 ack 1 ─+│$/m);
		assert.match(ladder, /^ +0\.\d{6} │<─+ P\. 1:270 ack 39 ─+│$/m);
		assert.match(ladder, /^ +0\.\d{6} │─+ F\. seq 39 ack 270 ─+>│$/m);
		for (const line of ladder.split('\n')) assert.ok(line.length <= 80, `over 80 columns: ${line}`);
		await t.ui.press(keys.enter);
		const detail = await t.ui.waitFor('Frame 1');
		assert.match(detail, /Esc back/);
		await t.ui.press(keys.escape);
		await t.ui.waitFor('Ladder');
		await t.ui.press('l');
		await t.ui.waitFor('Packet log');
	});

	test('read-only: send keys are refused, neither status bar nor help offers them; q quits', async () => {
		using t = await open('lab-session.pcap');
		const status = t.ui.screen().split('\n').at(-1)!;
		assert.match(status, /l ladder c conversations o stream \? help q quit/);
		assert.doesNotMatch(status, /SYN|ACK|FIN|RST|edit|auto|faults/);
		await t.ui.press('s');
		await t.ui.waitFor('s: not in a capture viewer (read-only)');
		await t.ui.press('?');
		const help = await t.ui.waitFor('Help');
		assert.doesNotMatch(help, /send SYN|send RST|fault menu|Payload editor|write the log/);
		assert.match(help, /c +TCP connections: pick one/);
		assert.match(help, /l +ladder diagram/);
		await t.ui.press(keys.escape);
		await t.ui.press('q');
		assert.equal(t.exited(), true);
	});

	test('the same capture as pcapng (editcap wrote it) opens the same', async () => {
		using t = await open('lab-session.pcapng');
		await t.ui.press('c');
		assert.match(await t.ui.waitFor('Conversations'), /10 seg {2}ends TIME-WAIT \/ CLOSED$/m);
	});

	test('a kernel-to-kernel capture: the server closed first and ends in TIME-WAIT', async () => {
		using t = await open('http-close.pcap');
		await t.ui.press('c');
		assert.match(await t.ui.waitFor('Conversations'), /12 seg {2}ends CLOSED \/ TIME-WAIT$/m);
	});
});
