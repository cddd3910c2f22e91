// Recording in a real terminal: `synack lab --record FILE --pcap FILE` in tmux at 80x24, a session
// driven by hand (a fault and auto mode included), then `synack run FILE --lab` replays the script on
// a lab of its own. Both captures must hold the same sequence of segments: flags, relative seq/ack,
// lengths.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {labDown} from '../../source/lab/index.js';
import {flagNames} from '../../source/syntax/tcp-flags.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {parseScenario} from '../../source/session/scenario-parse.js';
import {canMakeLabs, labLeftovers, uniqueLabName, uniqueLabSubnet} from '../helpers/lab.js';
import {readPcap} from '../helpers/read-pcap.js';
import {openTerminal, root, typeRequest} from './terminal.js';

/**
 * One line per TCP segment in a capture of synack's connect: direction, flags, seq and ack relative
 * to each side's ISN, length. Ours is the side that sent the first SYN.
 */
function segments(pcap: string): string[] {
	let ourIp: number | undefined;
	let ours: number | undefined;
	let theirs: number | undefined;
	const lines: string[] = [];
	for (const {bytes} of readPcap(pcap)) {
		const {ipv4, tcp} = decodeFrame(bytes);
		if (!ipv4 || !tcp) continue;
		if (ourIp === undefined && tcp.flags === 0x02) ourIp = ipv4.source;
		const out = ipv4.source === ourIp;
		if (tcp.flags & 0x02) {
			if (out) ours ??= tcp.seq;
			else theirs ??= tcp.seq;
		}

		const relative = (value: number, base: number | undefined) => (base === undefined ? `@${value}` : String((value - base) >>> 0));
		const seq = relative(tcp.seq, out ? ours : theirs);
		const ack = tcp.flags & 0x10 ? relative(tcp.ack, out ? theirs : ours) : '-';
		lines.push(`${out ? '>' : '<'} ${flagNames(tcp.flags)} seq ${seq} ack ${ack} len ${tcp.payload.length}`);
	}

	return lines;
}

test('a TUI session recorded with --record replays with synack run --lab to the same segments', async t => {
	if (!canMakeLabs(t)) return;
	assert.ok(existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
	const name = uniqueLabName();
	const subnet = uniqueLabSubnet();
	const replayName = uniqueLabName();
	const directory = mkdtempSync(path.join(tmpdir(), 'synack-record-'));
	const script = path.join(directory, 'session.syn');
	const tuiPcap = path.join(directory, 'tui.pcap');
	const replayPcap = path.join(directory, 'replay.pcap');
	const term = await openTerminal('synack-record');
	t.after(async () => {
		term.kill();
		await labDown(name);
		await labDown(replayName);
		rmSync(directory, {recursive: true, force: true});
	});

	// From the temporary directory: `W` saves there.
	term.keys('-l', `cd ${directory} && node ${root}bin/synack.js lab --name ${name} --subnet ${subnet} --record ${script} --pcap ${tuiPcap}; echo "exit=$?"`);
	term.keys('Enter');
	await term.waitFor('claimed and ready', text => text.includes('phase claimed') && text.includes('CLOSED') && text.includes('REC session.syn'), 20_000);
	term.keys('s');
	await term.waitFor('SYN-ACK', text => /← .*Flags \[S\.\], seq 0, ack 1/.test(text));
	term.keys('a');
	await term.waitFor('our ACK', text => /→ .*Flags \[\.\], ack 1,/.test(text));
	term.keys('x');
	await term.waitFor('the fault menu', text => text.includes('Outgoing (our segments)'));
	term.keys('c');
	await term.waitFor('the prompt', text => text.includes('fault> out bad-checksum count 1'));
	term.keys('-l', ' on data');
	await term.waitFor('the scope typed', text => text.includes('fault> out bad-checksum count 1 on data'));
	term.keys('Enter');
	await term.waitFor('the fault added', text => text.includes('fault added'));
	await typeRequest(term);
	term.keys('d');
	await term.waitFor('the broken segment', text => text.includes('[✗ bad TCP checksum]'));
	// Past the first RTO (1 s): auto mode retransmits at once when switched on.
	await new Promise(resolve => setTimeout(resolve, 1500));
	term.keys('A');
	await term.waitFor('the answer, acknowledged by auto mode', text => /HTTP: HTTP\/1\.1 200 OK/.test(text) && /→ .*Flags \[\.\], ack 785/.test(text));
	// A pause a user makes, recorded as a sleep: the replay's delayed ACK then goes out before its
	// `auto off`, as here (without it the replay raced its own ACK timer and lost it now and then).
	await new Promise(resolve => setTimeout(resolve, 400));
	term.keys('A');
	await term.waitFor('manual again', text => text.includes('manual mode'));
	term.keys('W');
	const saved = await term.waitFor('the script saved by W', text => /saved \d+ steps to synack-\d{8}-\d{6}\.syn/.test(text));
	const savedFile = path.join(directory, /synack-\d{8}-\d{6}\.syn/.exec(saved)![0]);
	const savedText = readFileSync(savedFile, 'utf8');
	term.keys('q');
	await term.waitFor('the quit question', text => text.includes('r send RST and quit'));
	term.keys('r');
	const after = await term.waitFor('the shell again', text => /exit=\d+/.test(text), 15_000);
	assert.match(after, /exit=0/);

	const text = readFileSync(script, 'utf8');
	const steps = text.split('\n').filter(line => line !== '' && !line.startsWith('#') && !line.startsWith('sleep'));
	assert.deepEqual(steps, [
		'connect $peer:80',
		'send SYN',
		'expect SYN,ACK exactly',
		'send ACK',
		'fault out bad-checksum on data',
		'send PSH,ACK data="GET / HTTP/1.1\\r\\nHost: lab\\r\\n\\r\\n"',
		'auto on',
		'expect ACK exactly',
		'expect PSH,ACK exactly len=784',
		'auto off',
		'send RST,ACK',
	], text);
	assert.ok(parseScenario(text).ok, 'the recorded script parses');
	assert.ok(text.startsWith(savedText) && text.length > savedText.length, 'W saved the script so far: the --record file then went on with the RST');

	// A lab of its own, with its own name and /24: the replay must not depend on the first one.
	const replaySubnet = uniqueLabSubnet();
	const replay = spawnSync('node', ['bin/synack.js', 'run', script, '--lab', '--name', replayName, '--subnet', replaySubnet, '--json', '--pcap', replayPcap], {cwd: root, encoding: 'utf8', timeout: 60_000});
	assert.equal(replay.status, 0, `${replay.stdout}\n${replay.stderr}`);
	const report = JSON.parse(replay.stdout) as {passed: number; failed: number};
	assert.equal(report.failed, 0);
	assert.deepEqual(labLeftovers(replayName), [], 'the replay\'s lab is gone');

	const recorded = segments(tuiPcap);
	const replayed = segments(replayPcap);
	if (process.env['SYNACK_SHOW_RECORDING']) console.log(`${text}\n${recorded.join('\n')}`);
	assert.ok(recorded.length >= 8, recorded.join('\n'));
	assert.deepEqual(replayed, recorded);
});
