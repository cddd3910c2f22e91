// The ladder pane in a real terminal: `synack lab` in tmux at 80x24, auto mode opens the connection,
// `l` draws it: both lifelines with their addresses, the handshake's arrows; `l` again, the log.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {canMakeLabs} from '../helpers/lab.js';
import {quitWithRst, root, startLabTui} from './terminal.js';

test('synack lab in a terminal: l shows the connection as a ladder at 80x24, then quits cleanly', async t => {
	if (!canMakeLabs(t)) return;
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const {term, name, subnet} = await startLabTui(t, 'synack-ladder');
	const ours = subnet.replace(/0\/24$/, '10');
	const peer = subnet.replace(/0\/24$/, '2');
	const escaped = (address: string) => address.replaceAll('.', '\\.');
	// Auto mode completes the handshake after our SYN.
	term.keys('A');
	await term.waitFor('auto mode', text => text.includes('auto mode:'));
	term.keys('s');
	await term.waitFor('the handshake', text => /← .*Flags \[S\.\], seq 0, ack 1/.test(text) && /→ .*Flags \[\.\], ack 1,/.test(text) && text.includes('ESTABLISHED'));

	term.keys('l');
	const ladder = await term.waitFor('the ladder', text => text.includes('Ladder') && /│<─+ S\. seq 0 ack 1 ─+│/.test(text));
	assert.doesNotMatch(ladder, /Packet log/, 'the ladder takes the log\'s place');
	assert.match(ladder, new RegExp(`^ {10}${escaped(ours)}:\\d+ +${escaped(peer)}:80$`, 'm'), 'a lifeline header with both addresses');
	assert.match(ladder, /^ +\d+\.\d{6} │─+ S seq 0 ─+>│$/m, 'our SYN');
	assert.match(ladder, /^ +\d+\.\d{6} │─+ \. seq 1 ack 1 ─+>│$/m, 'our ACK');
	for (const line of ladder.split('\n')) assert.ok(line.length <= 80, `over 80 columns: ${line}`);

	term.keys('l');
	await term.waitFor('the log again', text => text.includes('Packet log'));
	await quitWithRst(term, name);
});
