// What native code prints on fd 2 (cap's libpcap warning) is caught while a link opens; the process's
// own stderr works as before afterwards. Each case runs in a child, whose fd 2 we choose.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, test} from 'node:test';
import {libpcapWarnings} from '../../source/link/pcap-link.js';
import {useLab} from '../helpers/lab.js';

const root = new URL('../../', import.meta.url).pathname;

/** Runs `script` (an ES module body, with `fs` in scope) in Node with tsx; stderr goes to `stderr`. */
function child(script: string, stderr: 'pipe' | number) {
	return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import fs from 'node:fs';\n${script}`], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', stderr], timeout: 30_000});
}

const catchScript = `
import {catchNativeStderr} from './source/link/native-stderr.ts';
process.stderr.write('before\\n');
const caught = catchNativeStderr(() => {
	fs.writeSync(2, 'Warning: printed by native code\\n');
	return 7;
});
process.stderr.write('after\\n');
fs.writeSync(2, 'fd 2 again\\n');
console.log(JSON.stringify(caught));
`;

function withFile<T>(work: (file: string, fd: number) => T): T {
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-stderr-test-'));
	const file = path.join(directory, 'stderr');
	const fd = fs.openSync(file, 'w');
	try {
		return work(file, fd);
	} finally {
		fs.closeSync(fd);
		fs.rmSync(directory, {recursive: true, force: true});
	}
}

describe('catchNativeStderr', () => {
	test('what is written to fd 2 meanwhile is returned, not printed; stderr is whole again after', () => {
		withFile((file, fd) => {
			const result = child(catchScript, fd);
			assert.equal(result.status, 0, fs.readFileSync(file, 'utf8'));
			assert.deepEqual(JSON.parse(result.stdout), {value: 7, written: 'Warning: printed by native code\n'});
			assert.equal(fs.readFileSync(file, 'utf8'), 'before\nafter\nfd 2 again\n');
		});
	});

	test('a stderr that cannot be reopened (a socket): the work runs and its output goes where it always did', () => {
		const result = child(catchScript, 'pipe');
		assert.equal(result.status, 0, result.stderr);
		assert.deepEqual(JSON.parse(result.stdout), {value: 7, written: ''});
		assert.equal(result.stderr, 'before\nWarning: printed by native code\nafter\nfd 2 again\n');
	});
});

describe('libpcapWarnings', () => {
	test('the expected no-address warning is dropped; anything else is kept, without its boilerplate', () => {
		assert.deepEqual(libpcapWarnings('Warning: synack0: no IPv4 address assigned - This may not actually work\n'), []);
		assert.deepEqual(libpcapWarnings(''), []);
		assert.deepEqual(libpcapWarnings('Warning: eth9: SIOCGIFNETMASK: Cannot assign requested address - This may not actually work\n'), ['eth9: SIOCGIFNETMASK: Cannot assign requested address']);
	});
});

describe('opening a live link on a lab interface (it has no IPv4 address by design)', () => {
	test('prints nothing on stderr', async t => {
		const lab = await useLab(t);
		if (!lab) return;
		withFile((file, fd) => {
			const result = child(`
import {openPcapLink} from './source/link/pcap-link.ts';
const link = await openPcapLink({iface: ${JSON.stringify(lab.interface)}, ip: 0xc612000a});
console.log(link.name);
link.close();
`, fd);
			assert.equal(result.status, 0, fs.readFileSync(file, 'utf8'));
			assert.equal(result.stdout.trim(), lab.interface);
			assert.equal(fs.readFileSync(file, 'utf8'), '');
		});
	});
});
