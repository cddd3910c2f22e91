import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {PcapWriter} from '../../source/link/pcap-file.js';
import {parseIpv4, parseMac} from '../../source/wire/addresses.js';
import {arpFrame} from '../../source/wire/builders.js';
import {arpOperations, type TcpOption, tcpFlags} from '../../source/wire/records.js';
import {binary, ensureBuilt, root, runSynack} from './run-synack.js';
import {segmentBetween} from '../helpers/frames.js';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-read-'));
before(ensureBuilt);
after(() => {
	fs.rmSync(directory, {recursive: true, force: true});
});

const fixtures = path.join(root, 'test/fixtures');

function lines(text: string): string[] {
	return text.split('\n').filter(line => line !== '');
}

// Fixture X.pcap comes with X.tcpdump.txt (`TZ=UTC tcpdump -n -r X.pcap`) and X.tcpdump-S.txt (with -S).
const expectations = fs.existsSync(fixtures)
	? fs.readdirSync(fixtures)
		.filter(name => name.endsWith('.pcap'))
		.flatMap(name => {
			const base = name.slice(0, -'.pcap'.length);
			return [
				{pcap: name, text: `${base}.tcpdump.txt`, args: [] as string[]},
				{pcap: name, text: `${base}.tcpdump-S.txt`, args: ['-S']},
			].filter(({text}) => fs.existsSync(path.join(fixtures, text)));
		})
	: [];

describe('synack read --print on the fixtures', () => {
	test('there are fixtures with tcpdump\'s output to compare with', () => {
		assert.ok(expectations.length > 0, `no *.pcap with *.tcpdump.txt in ${fixtures}`);
	});

	for (const {pcap, text, args} of expectations) {
		test(`${pcap} ${args.join(' ')} prints ${text} line for line`, () => {
			const result = runSynack(['read', path.join(fixtures, pcap), '--print', ...args], {env: {TZ: 'UTC'}});
			assert.equal(result.stderr, '');
			assert.equal(result.status, 0);
			assert.deepEqual(lines(result.stdout), lines(fs.readFileSync(path.join(fixtures, text), 'utf8')));
		});
	}
});

const client = {mac: parseMac('02:00:00:00:00:0a'), ip: parseIpv4('198.18.0.10'), port: 40_000};
const server = {mac: parseMac('02:00:00:00:00:02'), ip: parseIpv4('198.18.0.2'), port: 80};

function segment(fromClient: boolean, fields: {seq: number; ack?: number; flags: number; payload?: string}): Uint8Array {
	const [from, to] = fromClient ? [client, server] : [server, client];
	const options: TcpOption[] = fields.flags & tcpFlags.SYN ? [{kind: 'mss', value: 1460}, {kind: 'sackOK'}, {kind: 'wscale', shift: 7}] : [];
	return segmentBetween(from, to, {...fields, options});
}

// A short conversation: ARP, handshake, a request and its answer, a close, a reset.
function conversation(): Uint8Array[] {
	const {ACK, FIN, PSH, RST, SYN} = tcpFlags;
	const iss = 0xff_ff_ff_00; // wraps during the conversation
	const irs = 1_000_000;
	return [
		arpFrame({senderMac: client.mac, senderIp: client.ip, targetIp: server.ip}),
		arpFrame({operation: arpOperations.reply, senderMac: server.mac, senderIp: server.ip, targetMac: client.mac, targetIp: client.ip}),
		segment(true, {seq: iss, flags: SYN}),
		segment(false, {seq: irs, ack: iss + 1, flags: SYN | ACK}),
		segment(true, {seq: iss + 1, ack: irs + 1, flags: ACK}),
		segment(true, {seq: iss + 1, ack: irs + 1, flags: PSH | ACK, payload: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'}),
		segment(false, {seq: irs + 1, ack: (iss + 28) >>> 0, flags: PSH | ACK, payload: 'HTTP/1.1 200 OK\r\n\r\n'}),
		segment(true, {seq: (iss + 28) >>> 0, ack: irs + 20, flags: FIN | ACK}),
		segment(false, {seq: irs + 20, ack: (iss + 29) >>> 0, flags: RST}),
	];
}

function writeCapture(name: string, frames: readonly Uint8Array[], options: {nanosecond?: boolean; start?: number} = {}): string {
	const file = path.join(directory, name);
	const writer = PcapWriter.open(file, {nanosecond: options.nanosecond});
	for (const [index, frame] of frames.entries()) {
		// Steps of 0.3 s and some nanoseconds, so that seconds roll over between frames.
		const total = BigInt(options.start ?? 1_700_000_000) * 1_000_000_000n + BigInt(index) * 300_000_123n;
		writer.write(frame, {seconds: Number(total / 1_000_000_000n), nanoseconds: Number(total % 1_000_000_000n)});
	}

	writer.close();
	return file;
}

function tcpdump(args: readonly string[], env: Record<string, string>): {stdout: string; stderr: string; status: number | null} {
	return spawnSync('tcpdump', ['-n', ...args], {encoding: 'utf8', env: {...process.env, ...env}});
}

const tcpdumpMissing = spawnSync('tcpdump', ['--version']).error === undefined ? false : 'tcpdump is not installed';

describe('synack read --print against tcpdump -n -r on captures made here', {skip: tcpdumpMissing}, () => {
	for (const tz of ['UTC', 'Asia/Kolkata', 'America/St_Johns']) {
		for (const nanosecond of [false, true]) {
			for (const absolute of [false, true]) {
				test(`TZ=${tz}, ${nanosecond ? 'nanosecond' : 'microsecond'} file${absolute ? ', -S' : ''}`, () => {
					const file = writeCapture(`conversation-${nanosecond}.pcap`, conversation(), {nanosecond});
					const flags = absolute ? ['-S'] : [];
					const expected = tcpdump([...flags, '-r', file], {TZ: tz});
					assert.equal(expected.status, 0, expected.stderr);
					const result = runSynack(['read', file, '--print', ...flags], {env: {TZ: tz}});
					assert.equal(result.stderr, '');
					assert.equal(result.status, 0);
					assert.deepEqual(lines(result.stdout), lines(expected.stdout));
				});
			}
		}
	}

	test('a capture cut inside its last record: the frames before, then one line on stderr, exit 1', () => {
		const file = writeCapture('cut.pcap', conversation());
		const size = fs.statSync(file).size;
		fs.truncateSync(file, size - 5);
		const expected = tcpdump(['-r', file], {TZ: 'UTC'});
		const result = runSynack(['read', file, '--print'], {env: {TZ: 'UTC'}});
		assert.equal(result.status, 1);
		assert.deepEqual(lines(result.stdout), lines(expected.stdout));
		assert.equal(lines(result.stdout).length, conversation().length - 1);
		assert.match(result.stderr, /^synack: .*cut\.pcap: the file ends inside record 9 \(\d+ of \d+ captured bytes\), at byte \d+\n$/);
	});
});

describe('synack read --print on a large capture', () => {
	let big = '';
	const frameCount = 120_000;
	before(() => {
		const payload = 'x'.repeat(1448);
		const {ACK, PSH} = tcpFlags;
		const file = path.join(directory, 'big.pcap');
		const writer = PcapWriter.open(file);
		const frame = segment(false, {seq: 1, ack: 1, flags: PSH | ACK, payload});
		for (let index = 0; index < frameCount; index++) {
			writer.write(frame, {seconds: 1_700_000_000 + Math.floor(index / 1000), nanoseconds: (index % 1000) * 1_000_000});
		}

		writer.close();
		big = file;
	});

	test('exits quietly when the reader of its output goes away (| head)', () => {
		const result = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" read "$2" --print | head -n 3', process.execPath, binary, big], {encoding: 'utf8'});
		assert.equal(result.stderr, '');
		assert.equal(result.status, 0);
		assert.equal(lines(result.stdout).length, 3);
	});

	test('reads in constant memory: a large capture costs little more than a tiny one', () => {
		const size = fs.statSync(big).size;
		assert.ok(size > 150_000_000, `the capture is ${size} bytes`);
		const tiny = writeCapture('tiny.pcap', conversation());
		// Python reports the child's peak resident set size (ru_maxrss, KiB on Linux).
		const measure = 'import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
		const peak = (file: string): number => {
			const result = spawnSync('python3', ['-c', measure, process.execPath, binary, 'read', file, '--print'], {encoding: 'utf8'});
			assert.equal(result.status, 0, result.stderr);
			const [status, maxRssKib] = result.stdout.trim().split(' ').map(Number);
			assert.equal(status, 0);
			return maxRssKib! * 1024;
		};

		const growth = peak(big) - peak(tiny);
		assert.ok(growth < 48 << 20, `peak RSS grew by ${growth} bytes for a ${size}-byte capture`);
	});
});
