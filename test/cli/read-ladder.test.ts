import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {ladderLines} from '../../source/ui/ladder-lines.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {tcpFlags} from '../../source/wire/records.js';
import {ensureBuilt, root, runSynack} from './run-synack.js';

const fixture = (name: string) => path.join(root, 'test', 'fixtures', name);

describe('synack read --ladder', () => {
	before(() => {
		ensureBuilt();
	});

	test('the ladder of a handshake, GET and close matches the reviewed text', () => {
		const result = runSynack(['read', fixture('http-close.pcap'), '--ladder']);
		assert.equal(result.status, 0, result.stderr);
		assert.equal(result.stdout, readFileSync(fixture('http-close.ladder.txt'), 'utf8'));
		for (const line of result.stdout.split('\n')) assert.ok(line.length <= 80, `over 80 columns: ${line}`);
	});

	test('a pcapng capture (editcap\'s of tcpdump\'s lab session) prints and draws as the pcap does', () => {
		for (const flags of [['--print'], ['--ladder'], ['--states']]) {
			const pcapng = runSynack(['read', fixture('lab-session.pcapng'), ...flags]);
			const pcap = runSynack(['read', fixture('lab-session.pcap'), ...flags]);
			assert.equal(pcapng.status, 0, pcapng.stderr);
			assert.equal(pcapng.stdout, pcap.stdout);
			assert.ok(pcapng.stdout.length > 100);
		}
	});

	test('-S draws absolute numbers', () => {
		const result = runSynack(['read', fixture('http-close.pcap'), '--ladder', '-S']);
		assert.match(result.stdout, /S seq 1842071301 /);
		assert.match(result.stdout, /S\. seq 4117515602 ack 1842071302/);
	});

	test('a capture without TCP, and a flow that is not there, are one-line errors', () => {
		const none = runSynack(['read', fixture('arp.pcap'), '--ladder']);
		assert.equal(none.status, 2);
		assert.match(none.stderr, /^synack: .*arp\.pcap has no TCP conversation to draw\n$/);
		const missing = runSynack(['read', fixture('http-close.pcap'), '--ladder', '--flow', '3']);
		assert.equal(missing.status, 2);
		assert.match(missing.stderr, /has 1 TCP conversation; --flow 3 is not one of them\n$/);
	});

	test('--states replays a conversation through two engines: both sides end where the real ones did', () => {
		const close = runSynack(['read', fixture('http-close.pcap'), '--states']);
		assert.equal(close.status, 0, close.stderr);
		const lines = close.stdout.trim().split('\n');
		assert.equal(lines.length, 13);
		assert.equal(lines[1], '   1 -> client SYN-SENT     server SYN-RECEIVED');
		assert.equal(lines[3], '   3 -> client ESTABLISHED  server ESTABLISHED');
		// The server sent the first FIN: it ends in TIME-WAIT, the client CLOSED after LAST-ACK.
		assert.equal(lines[12], '  12 <- client CLOSED       server TIME-WAIT');
		const refused = runSynack(['read', fixture('closed-port.pcap'), '--states']);
		assert.equal(refused.stdout.trim().split('\n').at(-1), '   2 <- client CLOSED       server CLOSED       reset');
	});

	test('retransmissions, duplicate ACKs and SACK are noted on a capture with loss', () => {
		const result = runSynack(['read', fixture('sack.pcap'), '--ladder']);
		assert.equal(result.status, 0);
		assert.match(result.stdout, /\| dup ack #3, SACK\n/);
		assert.match(result.stdout, /<-+ \. 7431:8879 ack 88 -+\| retransmission\n/, 'lengths come from the IP header, not the 128-byte snapshot');
	});
});

describe('ladder lines', () => {
	const left = {ip: 0xc6_12_00_0a, port: 40_000};
	const right = {ip: 0xc6_12_00_02, port: 80};
	const frame = (from: 'left' | 'right', flags: number, seq: number, ack = 0, payload = 0) => decodeFrame(tcpFrame({
		sourceMac: 1, destinationMac: 2,
		source: from === 'left' ? left.ip : right.ip, destination: from === 'left' ? right.ip : left.ip,
		sourcePort: from === 'left' ? left.port : right.port, destinationPort: from === 'left' ? right.port : left.port,
		seq, ack, flags, payload: new Uint8Array(payload),
	}));
	const at = (ms: number) => ({seconds: 100, nanoseconds: ms * 1e6});

	test('a lost segment\'s arrow ends in x before the far lifeline, and notes are shown', () => {
		const lines = ladderLines([
			{timestamp: at(0), frame: frame('left', tcpFlags.SYN, 5000)},
			{timestamp: at(1), frame: frame('left', tcpFlags.SYN, 5000), lost: true, notes: ['dropped']},
			{timestamp: at(2), frame: frame('right', tcpFlags.SYN | tcpFlags.ACK, 9000, 5001)},
		], {left, right});
		assert.equal(lines.length, 4);
		assert.match(lines[1]!, /^ 0\.000000 \|-+ S seq 0 -+>\|$/);
		assert.match(lines[2]!, /^ 0\.001000 \|-+ S seq 0 -+x {3}\| dropped, retransmission$/);
		assert.match(lines[3]!, /^ 0\.002000 \|<-+ S\. seq 0 ack 1 -+\|$/);
		assert.equal(lines[1]!.indexOf('|', 12), lines[2]!.lastIndexOf('|'), 'both lifelines stay in their columns');
	});

	test('wraps numbers past 2^32 relative to the first seen', () => {
		const lines = ladderLines([
			{timestamp: at(0), frame: frame('left', tcpFlags.ACK, 2 ** 32 - 10, 1, 20)},
			{timestamp: at(1), frame: frame('left', tcpFlags.ACK, 10, 1, 20)},
		], {left, right});
		assert.match(lines[1]!, / \. 0:20 ack /);
		assert.match(lines[2]!, / \. 20:40 ack /);
	});
});
