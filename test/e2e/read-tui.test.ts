// `synack read FILE` in a real terminal: tmux at 80x24 opens tcpdump's capture of a lab session; we
// pick its conversation, open the ladder, quit, and the shell's screen is back.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {openTerminal, root} from './terminal.js';

test('synack read in a terminal: the conversation list, a pick, the ladder, q restores the terminal', async t => {
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const term = await openTerminal('synack-read');
	t.after(() => term.kill());
	term.keys('-l', `cd ${root} && clear && node bin/synack.js read test/fixtures/lab-session.pcap; echo "exit=$?"`);
	term.keys('Enter');
	const first = await term.waitFor('the viewer', text => text.includes('Packet log  16 frames') && text.includes('c conversations'));
	assert.equal(term.alternateScreen(), true, 'the viewer runs on the alternate screen');
	assert.doesNotMatch(first.split('\n').at(-2) ?? '', /SYN|FIN|RST/, 'no send key offered');

	term.keys('c');
	const list = await term.waitFor('the conversation list', text => text.includes('Conversations'));
	assert.match(list, /198\.18\.231\.10:\d+ → 198\.18\.231\.2:80 {2}10 seg {2}ends TIME-WAIT \/ CLOSED/);
	term.keys('j');
	term.keys('Enter');
	await term.waitFor('the picked conversation', text => text.includes('Packet log  10 frames') && text.includes('segment 1/10'));
	term.keys('G');
	const end = await term.waitFor('its last segment', text => text.includes('segment 10/10'));
	assert.match(end, /after it: client TIME-WAIT {2}server CLOSED/);

	term.keys('l');
	const ladder = await term.waitFor('the ladder', text => text.includes('Ladder') && /│─+ F\. seq 39 ack 270 ─+>│/.test(text));
	assert.match(ladder, /^ {10}198\.18\.231\.10:\d+ +198\.18\.231\.2:80$/m);
	assert.match(ladder, /│─+ S seq 0 ─+>│/);
	for (const line of ladder.split('\n')) assert.ok(line.length <= 80, `over 80 columns: ${line}`);

	term.keys('q');
	const after = await term.waitFor('the shell again', text => /exit=\d+/.test(text));
	assert.match(after, /exit=0/);
	assert.doesNotMatch(after, /Ladder|Conversation/, 'the viewer is gone from the screen');
	assert.equal(term.alternateScreen(), false, 'alternate screen left');
});
