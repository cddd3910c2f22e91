/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseFault} from '../../source/syntax/fault-text.js';
import {Recorder} from '../../source/session/recorder.js';
import {App} from '../../source/ui/app.js';
import {faultItems, promptReducer} from '../../source/ui/fault-items.js';
import {makeTheme} from '../../source/ui/theme.js';
import {tcpFlags} from '../../source/wire/records.js';
import {keys, renderInk} from '../helpers/ink.js';
import {memorySession, peerIp} from './peer.js';
import {eventually} from '../helpers/eventually.js';

const {ACK, PSH} = tcpFlags;
const plain = makeTheme({color: false, ascii: false});

async function setup(options: {onSaveScript?: (script: string) => string; recorder?: boolean} = {}) {
	const {session, peer} = await memorySession();
	const recorder = options.recorder ? new Recorder(session, {peerVariable: 'peer', now: () => 0}) : undefined;
	await session.connect({ip: peerIp, port: 80}, {localPort: 40_000, iss: 1000});
	const ui = await renderInk(<App session={session} theme={plain} recorder={recorder} onSaveScript={options.onSaveScript} />);
	return {session, peer, ui, recorder, [Symbol.dispose]: () => {
		ui.unmount();
		recorder?.close();
		session.close();
	}};
}


describe('fault items', () => {
	test('one key each; every prefilled text parses; both directions\' kinds are all offered', () => {
		const keysUsed = faultItems.map(item => item.key);
		assert.equal(new Set(keysUsed).size, keysUsed.length);
		const kinds = {out: new Set<string>(), in: new Set<string>()};
		for (const item of faultItems) {
			if (item.kind !== 'fault') continue;
			const parsed = parseFault(item.text);
			assert.ok(parsed.ok, item.text);
			kinds[parsed.plan.direction].add(parsed.plan.fault.kind);
		}

		assert.equal(kinds.out.size, 14, 'every outgoing kind (bad-checksum and bad-tcp-checksum are one)');
		assert.deepEqual([...kinds.in].sort(), ['delay', 'drop', 'duplicate', 'reorder']);
	});

	test('the prompt edits at its cursor', () => {
		let state = promptReducer({text: '', cursor: 0}, {type: 'insert', text: 'out window 0'});
		state = promptReducer(state, {type: 'move', by: -2});
		state = promptReducer(state, {type: 'backspace'});
		state = promptReducer(state, {type: 'insert', text: 'w 9'});
		assert.deepEqual(state, {text: 'out window 9 0', cursor: 12});
		assert.deepEqual(promptReducer(state, {type: 'home'}).cursor, 0);
		assert.deepEqual(promptReducer(state, {type: 'clear'}), {text: '', cursor: 0});
	});
});

describe('the fault menu (x)', () => {
	test('x opens it; a key picks a fault and prefills the prompt; Enter gives the session the plan and the connection pane lists it', async () => {
		using t = await setup();
		await t.ui.press('x');
		const menu = await t.ui.waitFor('Outgoing (our segments)');
		for (const text of ['bad TCP checksum', 'Incoming (before the engine)', 'advertise a zero window now', 'hold back ACKs', 'clear all faults', 'In force (0)']) assert.ok(menu.includes(text), text);
		await t.ui.press('w');
		await t.ui.waitFor('fault> out window 0 count 1');
		await t.ui.press(keys.enter);
		await t.ui.waitFor('fault added: out window 0');
		assert.deepEqual(t.session.getSnapshot().faults.map(fault => fault.text), ['out window 0']);
		const screen = t.ui.screen();
		assert.doesNotMatch(screen, /Outgoing \(our segments\)/, 'the menu closed');
		assert.match(screen, /✗ out window 0 {2}pending, 1 left/);
	});

	test('the prompt takes edits: a scope typed after the prefilled text', async () => {
		using t = await setup();
		await t.ui.press('x');
		await t.ui.press('D');
		await t.ui.waitFor('fault> in drop count 1');
		for (let index = 0; index < 'count 1'.length; index++) await t.ui.press(keys.backspace);
		await t.ui.type('for 5s on data');
		await t.ui.press(keys.enter);
		await eventually(() => t.session.getSnapshot().faults.length === 1, 'the fault');
		assert.equal(t.session.getSnapshot().faults[0]!.text, 'in drop for 5s on data');
		await t.ui.waitFor(screen => /✗ in drop for 5s on data {2}pending, [45]s left/.test(screen));
	});

	test('keys that arrive together: x then a never sends an ACK; : then text goes to the prompt; Enter takes what was typed with it', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('Flags [S.]');
		const sent = t.peer.segments.length;
		t.ui.stdin.write('x');
		t.ui.stdin.write('a');
		await t.ui.waitFor('Outgoing (our segments)');
		await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(t.peer.segments.length, sent, 'nothing sent');
		t.ui.stdin.write(':');
		t.ui.stdin.write('window 7');
		await t.ui.waitFor('fault> out window 7');
		t.ui.stdin.write(' count 2');
		t.ui.stdin.write(keys.enter);
		await eventually(() => t.session.getSnapshot().faults.length === 1, 'the fault');
		assert.equal(t.session.getSnapshot().faults[0]!.text, 'out window 7 count 2', 'Enter took the text typed just before it');
	});

	test('invalid text shows parseFault\'s error under the word at fault, and adds nothing; Esc goes back, Esc again closes', async () => {
		using t = await setup();
		await t.ui.press('x');
		await t.ui.press(':');
		await t.ui.waitFor('fault> out');
		await t.ui.type('window lots');
		await t.ui.press(keys.enter);
		const screen = await t.ui.waitFor('window needs a whole number from 0 to 65535');
		const lines = screen.split('\n');
		const prompt = lines.find(line => line.startsWith('fault> '))!;
		const caret = lines.find(line => line.includes('^ window needs'))!;
		assert.equal(caret.indexOf('^'), prompt.indexOf('lots'), 'the caret points at the bad argument');
		assert.equal(t.session.getSnapshot().faults.length, 0);
		await t.ui.press(keys.escape);
		await t.ui.waitFor(screen => !screen.includes('fault> ') && screen.includes('Outgoing'));
		await t.ui.press(keys.escape);
		await t.ui.waitFor(screen => !screen.includes('Outgoing') && screen.includes('Packet log'));
	});

	test('a bad checksum on the next data segment: the peer gets it broken, the log line is marked, the detail says why', async () => {
		using t = await setup();
		await t.ui.press('s');
		await t.ui.waitFor('Flags [S.]');
		await t.ui.press('a');
		await t.ui.press('x');
		await t.ui.press('c');
		await t.ui.type(' on data');
		await t.ui.press(keys.enter);
		await t.ui.waitFor('fault added: out bad-checksum on data');
		await t.ui.press('e');
		await t.ui.type('hi');
		await t.ui.press(keys.escape);
		await t.ui.press('d');
		await eventually(() => t.peer.segments.length === 3, 'the data segment');
		assert.equal(t.peer.frames.filter(frame => frame.tcp).at(-1)!.tcpChecksumOk, false, 'the checksum is wrong on the wire');
		assert.equal(t.peer.segments[2]!.flags, PSH | ACK);
		const screen = await t.ui.waitFor('[✗ bad TCP checksum]');
		assert.match(screen, /\[✗ bad TCP checksum\] .*Flags \[P\.\], seq 1:3/);
		assert.doesNotMatch(screen, /✗ out bad-checksum/, 'applied once, the fault is gone from the connection pane');
		// The frame's detail: the note in full, labelled as a fault.
		let marked = 0;
		for (let index = 0; index < t.session.log.size; index++) {
			const entry = t.session.log.at(index)!;
			if (entry.annotations.some(note => note.code === 'fault')) marked = entry.number;
		}

		await t.ui.press('g');
		for (let frame = 1; frame < marked; frame++) await t.ui.press('j');
		await t.ui.press(keys.enter);
		await t.ui.waitFor(screen => /fault: bad TCP checksum \(fault\): the peer drops it silently/.test(screen));
	});

	test('C clears all faults; z advertises a zero window at once; h holds ACKs back in auto mode and releases them', async () => {
		using t = await setup();
		for (const key of ['t', 'u']) {
			await t.ui.press('x');
			await t.ui.press(key);
			await t.ui.press(keys.enter);
		}

		await eventually(() => t.session.getSnapshot().faults.length === 2, 'two faults');
		await t.ui.waitFor('out duplicate');
		await t.ui.press('x');
		await t.ui.press('C');
		await eventually(() => t.session.getSnapshot().faults.length === 0, 'cleared');
		await t.ui.waitFor(screen => screen.includes('all faults cleared') && !screen.includes('✗ out ttl'));

		await t.ui.press('x');
		await t.ui.press('z');
		await eventually(() => t.session.getSnapshot().faults.length === 1, 'zero window');
		assert.equal(t.session.getSnapshot().faults[0]!.text, 'out window 0 always');
		await t.ui.waitFor('every segment now advertises window 0');

		await t.ui.press('A');
		await t.ui.press('x');
		await t.ui.press('h');
		await eventually(() => t.session.getSnapshot().auto.ack === 'off', 'ACKs held');
		await t.ui.waitFor('AUTO ACKs held');
		await t.ui.press('x');
		await t.ui.waitFor('h release the held ACKs');
		await t.ui.press('h');
		await eventually(() => t.session.getSnapshot().auto.ack === 'delayed', 'ACKs released');
		await t.ui.waitFor(screen => !screen.includes('ACKs held'));
	});

	test('W saves what was done as a script, faults and auto switches included, and shows where', async () => {
		let saved = '';
		using t = await setup({recorder: true, onSaveScript: script => {
			saved = script;
			return 'saved 9 lines to x.syn';
		}});
		await t.ui.press('s');
		await t.ui.waitFor('Flags [S.]');
		await t.ui.press('a');
		await t.ui.press('x');
		await t.ui.press('z');
		await t.ui.press('e');
		await t.ui.type('a"b\\r\\n');
		await t.ui.press(keys.escape);
		await t.ui.press('d');
		await t.ui.waitFor('HTTP: HTTP/1.1 200 OK');
		await t.ui.press('x');
		await t.ui.press('C');
		await t.ui.press('A');
		await t.ui.press('W');
		await t.ui.waitFor('saved 9 lines to x.syn');
		assert.equal(saved, [
			'connect $peer:80',
			'send SYN',
			'expect SYN,ACK exactly',
			'send ACK',
			'fault out window 0 always',
			'send PSH,ACK data="a\\"b\\r\\n"',
			'expect ACK exactly',
			'expect PSH,ACK exactly len=24',
			'fault clear',
			'auto on',
			'',
		].join('\n'));
	});
});
