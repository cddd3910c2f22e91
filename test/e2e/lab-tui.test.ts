// The real program in a real terminal: tmux at 80x24 runs `synack lab`, we type as a user would and
// read the screen. Needs root (a lab) and the build (npm test builds first).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import {test} from 'node:test';
import {labDown} from '../../source/lab/index.js';
import {canMakeLabs, labLeftovers, uniqueLabName, uniqueLabSubnet} from '../helpers/lab.js';

const root = new URL('../../', import.meta.url).pathname;
const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8', timeout: 5000});

function screen(target: string): string {
	return tmux('capture-pane', '-p', '-t', target);
}

/** Polls the screen until `match` holds; fails with the screen after `ms`. */
async function waitForScreen(target: string, what: string, match: (text: string) => boolean, ms = 8000): Promise<string> {
	const deadline = Date.now() + ms;
	for (;;) {
		const text = screen(target);
		if (match(text)) return text;
		if (Date.now() > deadline) assert.fail(`${what}: not on screen within ${ms} ms; screen:\n${text}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

const keys = (target: string, ...names: string[]) => tmux('send-keys', '-t', target, ...names);

test('synack lab in a terminal: handshake, GET, response, FIN, quit; terminal restored, lab gone', async t => {
	if (!canMakeLabs(t)) return;
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const name = uniqueLabName();
	const subnet = uniqueLabSubnet();
	const target = `synack-e2e-${process.pid}`;
	t.after(async () => {
		try {
			tmux('kill-session', '-t', target);
		} catch {
			// Already gone.
		}

		await labDown(name);
	});

	// CI=1 makes Ink print only final frames; a user's terminal is not CI.
	tmux('new-session', '-d', '-s', target, '-x', '80', '-y', '24', 'env -u CI -u CONTINUOUS_INTEGRATION PS1="ready$ " bash --norc --noprofile');
	await waitForScreen(target, 'shell prompt', text => text.includes('ready$'));
	keys(target, '-l', `cd ${root} && node bin/synack.js lab --name ${name} --subnet ${subnet}; echo "exit=$?"`);
	keys(target, 'Enter');

	const peer = subnet.replace(/0\/24$/, '2');
	await waitForScreen(target, 'claimed and ready', text => text.includes('phase claimed') && text.includes(`${peer}:80`) && text.includes('CLOSED'), 20_000);
	assert.equal(tmux('display', '-p', '-t', target, '#{alternate_on}').trim(), '1', 'the TUI runs on the alternate screen');
	const first = screen(target);
	for (const pane of ['ARP claim', 'Connection', 'Packet log', 'Payload']) assert.ok(first.includes(pane), `${pane} pane visible at 80x24`);

	keys(target, 's');
	// RFC 9293 §3.10.7.3: the SYN-ACK moves SYN-SENT to ESTABLISHED; the ACK is ours to send.
	await waitForScreen(target, 'SYN-ACK from the kernel', text => /← .*Flags \[S\.\], seq 0, ack 1/.test(text) && text.includes('ESTABLISHED'));
	keys(target, 'a');
	await waitForScreen(target, 'our ACK', text => /→ .*Flags \[\.\], ack 1,/.test(text));

	keys(target, 'e');
	await waitForScreen(target, 'editor focused', text => text.includes('Esc done'));
	// Typed as a user would, escapes and all: HTTP/1.1 keeps the connection open.
	keys(target, '-l', 'GET / HTTP/1.1\\r\\nHost: lab\\r\\n\\r\\n');
	await waitForScreen(target, 'the request in the editor', text => text.includes('Host: lab\\r\\n') && text.includes('29 bytes'));
	keys(target, 'Escape');
	// ESC followed at once by a letter reads as Alt+letter in any terminal: wait for the editor to let go.
	await waitForScreen(target, 'editor left', text => /Payload {2}text {2}29 bytes {2}e edit/.test(text));
	keys(target, 'd');
	const answered = await waitForScreen(target, 'the HTTP response', text => /← .*HTTP: HTTP\/1\.1 200 OK/.test(text) && /received [1-9]\d* B/.test(text));
	assert.match(answered, /ESTABLISHED/);
	assert.match(answered, /→ .*length 29: HTTP: GET \/ HTTP\/1\.1/);

	keys(target, 'f');
	const closed = await waitForScreen(target, 'the close', text => /FIN-WAIT-2|TIME-WAIT|CLOSING/.test(text) && /← .*Flags \[F\.\]/.test(text));
	if (process.env['SYNACK_SCREEN_OUT']) writeFileSync(process.env['SYNACK_SCREEN_OUT'], tmux('capture-pane', '-p', '-e', '-t', target));
	assert.match(closed, /→ .*Flags \[F\.\]/);
	keys(target, 'a');
	keys(target, 'q');

	const after = await waitForScreen(target, 'the shell again', text => /exit=\d+/.test(text), 15_000);
	assert.match(after, /exit=0/);
	assert.doesNotMatch(after, /Packet log/, 'the TUI is gone from the screen');
	assert.equal(tmux('display', '-p', '-t', target, '#{alternate_on}').trim(), '0', 'alternate screen left');
	assert.deepEqual(labLeftovers(name), [], 'the lab is gone');
});
