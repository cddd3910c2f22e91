// Several live connections in a real terminal at 80x24 (issue 22): `listen` takes two curls from the
// lab's kernel, the list shows both, the first is reset while the second still gets its response;
// in `synack lab`, after a RST, N opens a second connection to the same server and a GET on it works.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {useLab} from '../helpers/lab.js';
import {openTerminal, quitWithRst, root, startLabTui, typeRequest} from './terminal.js';

/** curl in the lab's namespace from port `from`; resolves with its exit code and what it printed. */
function curl(namespace: string, from: number, url: string): Promise<{code: number | null; body: string}> {
	return new Promise(resolve => {
		const child = spawn('ip', ['netns', 'exec', namespace, 'curl', '-s', '--max-time', '20', '--local-port', String(from), url], {stdio: ['ignore', 'pipe', 'ignore']});
		let body = '';
		child.stdout.on('data', (chunk: Buffer) => {
			body += chunk.toString();
		});
		child.on('close', code => resolve({code, body}));
	});
}

const row = (screen: string, id: number) => screen.split('\n').find(line => new RegExp(`^[* ] +#${id} :8080 `).test(line)) ?? '';

test('listen in a terminal: two curls each get a connection; the first, selected, is reset while the second gets its response', async t => {
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const lab = await useLab(t);
	if (!lab) return;
	const term = await openTerminal('synack-listen-two');
	t.after(() => term.kill());
	term.keys('-l', `cd ${root} && node bin/synack.js listen 8080 --iface ${lab.interface} --ip ${lab.suggestedAddress}; echo "exit=$?"`);
	term.keys('Enter');
	await term.waitFor('listening, address claimed', text => text.includes('phase claimed') && text.includes('LISTEN'), 20_000);
	term.keys('A');
	await term.waitFor('auto mode', text => text.includes('LISTEN  AUTO'));
	const url = `http://${lab.suggestedAddress}:8080/`;
	const first = curl(lab.namespace, 41_001, url);
	await term.waitFor('the first connection ESTABLISHED', text => /^.*│ESTABLISHED {2}AUTO/m.test(text) && text.includes('→ 198.') && text.includes(':41001'));
	const second = curl(lab.namespace, 41_002, url);
	const announced = await term.waitFor('the second announced, the first still on show', text => /new #2 from :41002, c lists/.test(text));
	assert.match(announced, /│[\d.]+:8080 → [\d.]+:41001/, 'the new connection did not take the panes');
	assert.match(announced, /#N connection, IP addresses: not #1's/);
	assert.match(announced, /^ +\d+ [←→] [\d.]+ #2 IP /m, 'the second\'s lines are tagged #2 and keep their addresses');
	term.keys('c');
	const list = await term.waitFor('both in the list, ESTABLISHED', text => /ESTABLISHED/.test(row(text, 1)) && /ESTABLISHED/.test(row(text, 2)));
	assert.match(row(list, 1), /^\* +#1 :8080 +→ [\d.]+:41001 +ESTABLISHED/, 'the first is the selected one');
	assert.match(row(list, 2), /^ +#2 :8080 +→ [\d.]+:41002 +ESTABLISHED/);
	term.keys('Enter');
	await term.waitFor('#1 selected', text => text.includes('#1 selected'));
	term.keys('r');
	assert.equal((await first).code, 56, 'curl 1: connection reset by peer');
	await term.waitFor('#1 CLOSED', text => /│CLOSED/.test(text));
	// The second still completes: pick it, answer its GET.
	term.keys('c');
	await term.waitFor('the list', text => text.includes('Connections  2'));
	term.keys('j');
	term.keys('Enter');
	await term.waitFor('#2 selected', text => text.includes('#2 selected') && text.includes(':41002'));
	term.keys('e');
	await term.waitFor('editing', text => text.includes('Esc done'));
	term.keys('-l', 'HTTP/1.0 200 OK\\r\\nContent-Length: 6\\r\\n\\r\\nsecond');
	await term.waitFor('the response typed', text => text.includes('44 bytes'));
	term.keys('Escape');
	await term.waitFor('editor left', text => text.includes('e edit'));
	term.keys('d');
	const answer = await second;
	assert.equal(answer.code, 0);
	assert.equal(answer.body, 'second');
	term.keys('q');
	// The last ACK of #2's close may still be on its way: then quitting asks, until it arrives.
	const question = await term.waitFor('quit or its question', text => /exit=\d+/.test(text) || /r send RST and quit|nothing is open any more/.test(text), 20_000);
	if (question.includes('nothing is open any more')) term.keys('q');
	else if (!/exit=\d+/.test(question)) term.keys('r');
	assert.match(await term.waitFor('the shell again', text => /exit=\d+/.test(text), 15_000), /exit=0/);
});

test('synack lab in a terminal: after a RST, N opens a second connection to the same server; a GET on it is answered', async t => {
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const {term, name} = await startLabTui(t, 'synack-open-another');
	term.keys('s');
	await term.waitFor('ESTABLISHED', text => text.includes('ESTABLISHED'));
	term.keys('r');
	const reset = await term.waitFor('reset, N offered', text => /│CLOSED/.test(text) && text.includes('N new'));
	const firstPort = /│[\d.]+:(\d+) → [\d.]+:80/.exec(reset)![1];
	term.keys('N');
	await term.waitFor('the prompt with the last server', text => /open a connection to HOST:PORT [\d.]+:80/.test(text));
	term.keys('Enter');
	const opened = await term.waitFor('#2 in CLOSED', text => /#2 to [\d.]+:80 in CLOSED/.test(text) || /#2 [\d.]+:\d+ → :80 CLOSED/.test(text));
	assert.doesNotMatch(opened, new RegExp(`│[\\d.]+:${firstPort} →`), 'the panes show the new connection');
	term.keys('s');
	await term.waitFor('#2 ESTABLISHED', text => /#2 [\d.]+:\d+ → :80 ESTABLISHED/.test(text));
	term.keys('a');
	await typeRequest(term);
	term.keys('d');
	const answered = await term.waitFor('the response on #2', text => /^ +\d+ ← [\d.]+ #2 Flags \[P\.\], seq 1:\d+, ack 30, .*HTTP\/1\.1 200 OK/m.test(text));
	assert.match(answered, /#N connection, IP addresses: not #2's/);
	await quitWithRst(term, name);
});
