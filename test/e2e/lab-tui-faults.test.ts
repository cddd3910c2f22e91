// The fault menu in a real terminal: `synack lab` in tmux at 80x24; a bad TCP checksum on the next
// data segment, chosen with `x c`, is not acknowledged by the kernel; retransmitted intact (A), it is.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {canMakeLabs} from '../helpers/lab.js';
import {quitWithRst, root, startLabTui, typeRequest} from './terminal.js';

test('synack lab in a terminal: x c adds a bad checksum on data; the kernel ignores that segment and ACKs it retransmitted intact', async t => {
	if (!canMakeLabs(t)) return;
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const {term, name} = await startLabTui(t, 'synack-faults');
	term.keys('s');
	await term.waitFor('SYN-ACK', text => /← .*Flags \[S\.\], seq 0, ack 1/.test(text) && text.includes('ESTABLISHED'));
	term.keys('a');
	await term.waitFor('our ACK', text => /→ .*Flags \[\.\], ack 1,/.test(text));

	term.keys('x');
	const menu = await term.waitFor('the fault menu', text => text.includes('Outgoing (our segments)'));
	for (const item of ['c bad TCP checksum', 'D drop', 'z advertise a zero window now', 'h hold back ACKs', 'C clear all faults']) assert.ok(menu.includes(item), `${item} at 80x24`);
	term.keys('c');
	await term.waitFor('the prompt, prefilled', text => text.includes('fault> out bad-checksum count 1'));
	term.keys('-l', ' on data');
	await term.waitFor('the scope typed', text => text.includes('fault> out bad-checksum count 1 on data'));
	term.keys('Enter');
	await term.waitFor('the fault pending in the connection pane', text => /✗ out bad-checksum on data {2}pending/.test(text) && text.includes('fault added'));

	await typeRequest(term);
	term.keys('d');
	const broken = await term.waitFor('the broken segment, marked', text => /→ .*\[✗ bad TCP checksum\] .*seq 1:30/.test(text));
	assert.doesNotMatch(broken, /✗ out bad-checksum/, 'applied once, the fault has left the connection pane');
	// RFC 9293 §3.1: a segment with a bad checksum is dropped, unanswered.
	await term.never('the kernel acknowledged a segment with a bad checksum', text => /← .*ack 30/.test(text), 1500);

	// The TCB counts the broken segment as sent: auto mode's retransmission sends it again, intact.
	term.keys('A');
	const answered = await term.waitFor('the same data, intact, acknowledged and answered', text => /← .*ack 30/.test(text) && /HTTP: HTTP\/1\.1 200 OK/.test(text));
	assert.match(answered, /→ \d+\.\d+ Flags \[P\.\], seq 1:30, ack 1, length 29: HTTP: GET/, 'sent again without the fault');

	await quitWithRst(term, name);
});
