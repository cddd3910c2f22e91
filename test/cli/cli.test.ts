import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {ensureBuilt, root, runSynack} from './run-synack.js';
import {subcommands} from '../../source/commands/subcommands.js';

// The command line is a contract (README, "Commands"): these names stay.
const expectedSubcommands = ['lab', 'run', 'read', 'connect', 'listen'] as const;

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-cli-'));
before(ensureBuilt);
after(() => {
	fs.rmSync(directory, {recursive: true, force: true});
});

function file(name: string, bytes: Uint8Array | string): string {
	const target = path.join(directory, name);
	fs.writeFileSync(target, bytes);
	return target;
}

// One line on stderr, nothing on stdout, exit code 2: how every anticipated failure looks.
function assertUsageFailure(result: ReturnType<typeof runSynack>, message: RegExp): void {
	assert.equal(result.status, 2, `exit code; stderr: ${result.stderr}`);
	assert.equal(result.stdout, '');
	const lines = result.stderr.split('\n');
	assert.equal(lines.length, 2, `one line, got: ${result.stderr}`);
	assert.equal(lines[1], '');
	assert.match(lines[0]!, /^synack: /);
	assert.match(lines[0]!, message);
}

describe('synack --help and --version', () => {
	test('--help lists the subcommands that exist and their flags, and exits 0', () => {
		const result = runSynack(['--help']);
		assert.equal(result.status, 0);
		assert.match(result.stdout, /\$ synack read FILE\.pcap \[--print \[-S\|--absolute\]/);
		assert.match(result.stdout, /\$ synack lab up\|down\|status/);
		assert.match(result.stdout, /-S, --absolute/);
		assert.match(result.stdout, /--print/);
		for (const name of expectedSubcommands) assert.match(result.stdout, new RegExp(`\\$ synack ${name}\\b`));
		const advertised = [...result.stdout.matchAll(/\$ synack (\w+)/g)].map(match => match[1]!);
		assert.deepEqual([...new Set(advertised)].sort(), [...expectedSubcommands].sort());
	});

	test('the subcommand table holds exactly the README\'s commands', () => {
		assert.deepEqual(subcommands.map(subcommand => subcommand.name).sort(), [...expectedSubcommands].sort());
	});

	test('--help after a subcommand shows the same help', () => {
		assert.equal(runSynack(['read', '--help']).stdout, runSynack(['--help']).stdout);
	});

	test('--version prints the version from package.json', () => {
		const {version} = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};
		const result = runSynack(['--version']);
		assert.equal(result.status, 0);
		assert.equal(result.stdout, `${version}\n`);
	});

	test('no subcommand prints the help and exits 2', () => {
		const result = runSynack([]);
		assert.equal(result.status, 2);
		assert.match(result.stdout, /Usage/);
	});
});

describe('synack usage errors', () => {
	test('an unknown subcommand', () => {
		assertUsageFailure(runSynack(['frobnicate']), /unknown command 'frobnicate'; commands: (\w+, )*lab, (\w+, )*read\b/);
	});

	test('a flag the subcommand does not take', () => {
		assertUsageFailure(runSynack(['read', 'x.pcap', '--print', '--iface', 'eth0']), /read does not take --iface/);
		assertUsageFailure(runSynack(['read', 'x.pcap', '-pX']), /read does not take -p/);
	});

	test('a flag without a subcommand', () => {
		assertUsageFailure(runSynack(['--frobnicate']), /synack does not take --frobnicate/);
	});

	test('read without a file', () => {
		assertUsageFailure(runSynack(['read', '--print']), /read needs a capture file/);
	});

	test('read with two files', () => {
		assertUsageFailure(runSynack(['read', 'a.pcap', 'b.pcap', '--print']), /read takes one file/);
	});

	test('read without --print is the viewer: without a terminal it says so and suggests --print', () => {
		assertUsageFailure(runSynack(['read', path.join(root, 'test', 'fixtures', 'http-close.pcap')]), /synack read FILE without --print is interactive \(the TUI\) and needs a terminal; add --print/);
	});

	test('read without --print: a file that is not there is said first', () => {
		assertUsageFailure(runSynack(['read', 'x.pcap']), /x\.pcap: no such file or directory$/);
	});
});

describe('synack read: files it cannot read', () => {
	test('a missing file', () => {
		assertUsageFailure(runSynack(['read', path.join(directory, 'missing.pcap'), '--print']), /missing\.pcap: no such file or directory$/);
	});

	test('a directory', () => {
		assertUsageFailure(runSynack(['read', directory, '--print']), /is a directory$/);
	});

	test('a file that is not a capture', () => {
		assertUsageFailure(runSynack(['read', file('notapcap', 'just some text\n'), '--print']), /notapcap: not a pcap file/);
	});

	test('a pcapng file cut inside its section header', () => {
		const pcapng = file('x.pcapng', Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a]));
		assertUsageFailure(runSynack(['read', pcapng, '--print']), /x\.pcapng: truncated pcapng section header \(12 of 28 bytes\)$/);
	});

	test('a capture of another link type', () => {
		const header = new Uint8Array(24);
		const view = new DataView(header.buffer);
		view.setUint32(0, 0xa1_b2_c3_d4, true);
		view.setUint16(4, 2, true);
		view.setUint16(6, 4, true);
		view.setUint32(16, 65_535, true);
		view.setUint32(20, 276, true);
		assertUsageFailure(runSynack(['read', file('any.pcap', header), '--print']), /link type 276 \(Linux cooked capture v2\) is not supported/);
	});

	test('DEBUG=synack adds the stack to a failure', () => {
		const result = runSynack(['read', path.join(directory, 'missing.pcap'), '--print'], {env: {DEBUG: 'synack'}});
		assert.equal(result.status, 2);
		assert.match(result.stderr, /^synack: .*no such file or directory\n/);
		assert.match(result.stderr, /\n\s+at /);
	});
});
