// What a newcomer meets in the first minutes (issue 18), in a real terminal: `synack lab` in tmux,
// keys typed as a user would, the screen read back. Focus never falls into the editor, no pane draws
// outside its box at 80x24, 120x40 or 200x60, nothing but synack's frames reaches the terminal, and
// `q` leaves the shell's screen as it was with the summary after it.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {canMakeLabs, labLeftovers, uniqueLabName, uniqueLabSubnet} from '../helpers/lab.js';
import {labDown} from '../../source/lab/index.js';
import {openTerminal, root, startLabTui, type Terminal} from './terminal.js';

const resize = (term: Terminal, columns: number, rows: number) => {
	execFileSync('tmux', ['resize-window', '-t', term.target, '-x', String(columns), '-y', String(rows)], {timeout: 5000});
};

/**
 * Every pane's title on its own row, where the layout puts it, each once: the rows of a pane that
 * holds more than fits never paint over a title. The status line is the last row.
 */
function assertLayout(screen: string, rows: number, what: string): void {
	const lines = screen.split('\n').slice(0, rows);
	const editorHeight = rows >= 32 ? 6 : 4;
	const at = (title: RegExp) => lines.flatMap((line, index) => (title.test(line) ? [index] : []));
	assert.deepEqual(at(/^── ARP claim ─/), [0], `${what}: ARP claim title on row 1\n${screen}`);
	assert.deepEqual(at(/│── Connection /), [0], `${what}: Connection title on row 1\n${screen}`);
	assert.equal(at(/^── Packet log /).length, 1, `${what}: one Packet log title\n${screen}`);
	assert.deepEqual(at(/^── Payload /), [rows - 1 - editorHeight], `${what}: the Payload title right above its rows\n${screen}`);
	assert.match(lines[rows - 1]!, /^ (log|payload|payload: typing|connection|ARP) /, `${what}: the status line names the focused pane\n${screen}`);
}

const noStrayText = (text: string) => !/Warning|no IPv4 address|This may not actually work/.test(text);

test('synack lab in a terminal: Tab never types into the payload, no pane overflows at 80x24, 120x40, 200x60; q restores the shell', async t => {
	if (!canMakeLabs(t)) return;
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const name = uniqueLabName();
	const term = await openTerminal('synack-newcomer');
	t.after(async () => {
		term.kill();
		await labDown(name);
	});

	term.keys('-l', `echo shell-before-synack && cd ${root} && node bin/synack.js lab --name ${name} --subnet ${uniqueLabSubnet()}; echo "exit=$?"`);
	term.keys('Enter');
	const ready = await term.waitFor('claimed and ready', text => text.includes('phase claimed') && text.includes('ready for'), 30_000);
	assert.ok(noStrayText(ready), `a library warning on screen:\n${ready}`);
	assertLayout(ready, 24, 'at start');
	assert.match(ready.split('\n')[23]!, /^ log /);

	// The keys: e, C-t, Esc, Tab, k k Enter.
	term.keys('e');
	await term.waitFor('typing into the payload', text => /^ payload: typing {2}Esc done/m.test(text));
	term.keys('C-t');
	const template = await term.waitFor('the GET template', text => text.includes('Connection: close'));
	const bytes = Number(/Payload {2}text {2}(\d+) bytes/.exec(template)![1]) + 4;
	// Two more lines: more than the pane's three rows.
	term.keys('-l', 'X');
	term.keys('Enter');
	term.keys('-l', 'Y');
	term.keys('Enter');
	const long = await term.waitFor('two more lines', text => text.includes(`${bytes} bytes`));
	assertLayout(long, 24, 'typing a payload longer than its pane');
	assert.match(long, new RegExp(`^── Payload {2}text {2}${bytes} bytes {2}C-t template {2}C-x hex {2}Esc done {2}rows 5-7/7 `, 'm'));
	term.keys('Escape');
	const left = await term.waitFor('the editor left', text => text.includes(`Payload  text  ${bytes} bytes  e edit  rows 1-3/7`));
	assertLayout(left, 24, 'after Esc');
	term.keys('Tab');
	const focused = await term.waitFor('the payload pane focused, not editing', text => /^ payload {2}/m.test(text) && text.includes('Enter edit'));
	assertLayout(focused, 24, 'payload focused');
	term.keys('k');
	term.keys('k');
	term.keys('Enter');
	const detail = await term.waitFor('a frame opened from the log', text => text.includes('j/k scroll  Esc back'));
	assert.match(detail, /^── Frame \d+ [→←]/m);
	term.keys('Escape');
	const back = await term.waitFor('the panes again', text => text.includes('── Payload'));
	assert.ok(back.includes(`Payload  text  ${bytes} bytes`), 'k k Enter typed nothing into the payload');

	for (const [columns, rows] of [[120, 40], [200, 60]] as const) {
		resize(term, columns, rows);
		const big = await term.waitFor(`redrawn at ${columns}x${rows}`, text => text.split('\n').length >= rows && /^── Payload /m.test(text.split('\n')[rows - 7] ?? ''), 10_000);
		assertLayout(big, rows, `${columns}x${rows}`);
		term.keys('e');
		const typing = await term.waitFor(`typing at ${columns}x${rows}`, text => /^ payload: typing /m.test(text));
		assertLayout(typing, rows, `typing at ${columns}x${rows}`);
		term.keys('Escape');
		await term.waitFor('the editor left', text => text.includes('e edit'));
	}

	resize(term, 80, 24);
	await term.waitFor('back at 80x24', text => /^── Payload /m.test(text.split('\n')[19] ?? ''));
	term.keys('q');
	const after = await term.waitFor('the shell again', text => /exit=\d+/.test(text), 15_000);
	assert.equal(term.alternateScreen(), false, 'alternate screen left');
	const shell = after.split('\n').filter(line => line.trim() !== '');
	const start = shell.findIndex(line => line === 'shell-before-synack');
	assert.ok(start > 0, `the shell's screen as it was:\n${after}`);
	// The command line (it may wrap), then the summary, then the exit code: nothing of the TUI.
	const rest = shell.slice(start + 1);
	assert.match(rest.at(-1)!, /^ready\$/);
	assert.equal(rest.at(-2), 'exit=0');
	assert.match(rest.at(-3)!, /^synack: \d+ frames \(\d+ in, \d+ out\)/);
	assert.ok(noStrayText(after), `a library warning left on the terminal:\n${after}`);
	assert.doesNotMatch(after, /Packet log|Payload|ARP claim/, 'the TUI is gone from the screen');
	assert.deepEqual(labLeftovers(name), [], 'the lab is gone');
});

test('synack lab in a terminal: zero-window probes read like every other line; a retransmission\'s verdict wraps in the frame detail at 80x24', async t => {
	if (!canMakeLabs(t)) return;
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const {term, name} = await startLabTui(t, 'synack-verdicts');
	term.keys('s');
	await term.waitFor('SYN-ACK', text => /← .*Flags \[S\.\], seq 0, ack 1/.test(text) && text.includes('ESTABLISHED'));
	term.keys('a');
	await term.waitFor('our ACK', text => /→ .*Flags \[\.\], ack 1,/.test(text));
	// Every segment of ours advertises window 0: the kernel cannot send its response and probes.
	term.keys('x');
	await term.waitFor('the fault menu', text => text.includes('Outgoing (our segments)'));
	term.keys('z');
	await term.waitFor('the zero window in force', text => text.includes('window 0 always'));
	term.keys('e');
	await term.waitFor('typing', text => text.includes('Esc done'));
	term.keys('C-t');
	await term.waitFor('the GET template', text => text.includes('Connection: close'));
	term.keys('Escape');
	await term.waitFor('the editor left', text => text.includes('e edit'));
	term.keys('d');
	const incomingAcks = (text: string) => text.split('\n').filter(row => /^ *\d+ ← [\d.]+ (\[[^\]]*\] )*(IP \S+ > \S+: )?Flags \[\.\], ack \d+, win \d+/.test(row));
	// The ACK of our request, then at least two probes (RFC 9293 §3.8.6.1).
	const probes = await term.waitFor('zero-window probes', text => incomingAcks(text).length >= 3, 30_000);
	const rows = probes.split('\n').filter(row => /^ *\d+ [→←] [\d.]+ /.test(row) && !/ARP/.test(row));
	assert.ok(rows.length >= 5, probes);
	for (const row of rows) assert.doesNotMatch(row, /[→←] [\d.]+ (\[[^\]]*\] )*IP /, `a line of the connection on show with its addresses:\n${probes}`);
	assert.match(probes, /Packet log .*IP addresses: other connections only/);

	// Window open again: the response comes; manual mode does not ACK it, so the kernel sends it again.
	term.keys('x');
	await term.waitFor('the fault menu', text => text.includes('Outgoing (our segments)'));
	term.keys('C');
	await term.waitFor('faults cleared', text => text.includes('all faults cleared'));
	term.keys('a');
	// The peer's data segments: the first copy, then the same bytes again (the verdict says so only in the detail).
	const data = (text: string) => text.split('\n').filter(row => /^ *\d+ ← .*seq 1:\d+, ack/.test(row));
	const again = await term.waitFor('the response retransmitted', text => data(text).length >= 2, 30_000);
	const number = Number(/^\s*(\d+) /.exec(data(again).at(-1)!)![1]);
	// Select that frame: k from the newest until it is.
	const newest = Number(/Packet log {2}(\d+) frames/.exec(again)![1]);
	for (let index = newest; index > number; index--) term.keys('k');
	if (newest > number) await term.waitFor(`frame ${number} selected`, text => text.includes(`#${number} `));
	term.keys('Enter');
	const detail = await term.waitFor('the frame detail', text => text.includes(`── Frame ${number} ← in`));
	const lines = detail.split('\n');
	const note = lines.findIndex(row => /^ {2}info: retransmission: /.test(row));
	assert.ok(note > 0, `the verdict in the detail:\n${detail}`);
	const continued = lines.slice(note + 1);
	const verdict = [lines[note]!, ...continued.slice(0, Math.max(0, continued.findIndex(row => !/^ {8}\S/.test(row))))].map(row => row.trim()).join(' ');
	assert.match(verdict, /already received \(RCV\.NXT \d+\).*\(RFC [^)]*\)$/, `the verdict whole, ending with its RFC:\n${detail}`);
	for (const row of lines) assert.ok(row.length <= 80, row);
	term.keys('Escape');
	await term.waitFor('the panes again', text => text.includes('── Payload'));
	term.keys('q');
	await term.waitFor('the quit question', text => text.includes('r send RST and quit'));
	term.keys('r');
	const after = await term.waitFor('the shell again', text => /exit=\d+/.test(text), 15_000);
	assert.match(after, /exit=0/);
	assert.deepEqual(labLeftovers(name), [], 'the lab is gone');
});
