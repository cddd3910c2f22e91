import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import {describe, test} from 'node:test';
import {UsageError} from '../../source/commands/errors.js';
import {describeStatus, runLab, type LabFlags} from '../../source/commands/lab.js';
import {LabError, labUp, type LabStatus} from '../../source/lab/index.js';
import {canMakeLabs, labLeftovers, uniqueLabName, uniqueLabSubnet} from '../helpers/lab.js';

function quiet(): {stdout: PassThrough; stderr: PassThrough} {
	return {stdout: new PassThrough(), stderr: new PassThrough()};
}

describe('runLab refuses bad usage in one line, before touching anything', () => {
	const cases: Array<[string, string[], LabFlags, RegExp]> = [
		['no action', [], {}, /up, .*down.* or .*status/],
		['an unknown action', ['start'], {}, /unknown lab action 'start'/],
		['extra arguments', ['up', 'now'], {}, /takes no arguments/],
		['--subnet on down', ['down'], {subnet: '198.18.1.0/24'}, /does not take --subnet/],
		['--all on up', ['up'], {all: true}, /--all is for down and status/],
		['--all with --name', ['status'], {all: true, name: 'x'}, /--all or --name/],
		['a subnet outside 198.18.0.0/15', ['up'], {subnet: '10.1.2.0/24'}, /198\.18\.0\.0\/15/],
		['a bad name', ['up'], {name: 'No Spaces'}, /bad lab name/],
	];
	for (const [what, args, flags, message] of cases) {
		test(what, async () => {
			await assert.rejects(runLab(args, flags, quiet()), (error: unknown) => error instanceof UsageError && message.test(error.message) && !error.message.includes('\n'));
		});
	}
});

test('status of a lab that is not there: exit 1, says how to start it', async t => {
	if (!canMakeLabs(t)) {
		return;
	}

	const name = uniqueLabName();
	const output = quiet();
	const chunks: Buffer[] = [];
	output.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
	assert.equal(await runLab(['status'], {name}, output), 1);
	assert.equal(Buffer.concat(chunks).toString('utf8'), `no lab "${name}" (start one: synack lab up --name ${name})\n`);
});

test('describeStatus names each unhealthy service and the problem', () => {
	const status: LabStatus = {
		name: 'lab', found: true, up: true, healthy: false, namespace: 'synack-lab', interface: 'synack0', mac: '02:00:00:00:00:01', interfaceUp: true,
		peerInterface: 'eth0', peerAddress: '198.18.0.2', peerMac: '02:00:00:00:00:02', subnet: '198.18.0.0/24', suggestedAddress: '198.18.0.10',
		services: [{name: 'http', port: 80, pid: 10, healthy: true}, {name: 'echo', port: 7, pid: 10, healthy: false, problem: 'nothing listens'}],
		problems: ['echo (7): nothing listens'],
	};
	const text = describeStatus(status);
	assert.match(text, /^lab "lab": up, NOT healthy$/m);
	assert.match(text, /^ {2}echo 7 +FAIL: nothing listens$/m);
	assert.match(text, /^ {2}http 80 +ok \(pid 10\)$/m);
	assert.doesNotMatch(text, /problem/);
});

/** PIDs of processes whose command line names this lab (servers are started with it as an argument). */
function processesNaming(name: string): number[] {
	return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).filter(pid => {
		try {
			return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(name);
		} catch {
			return false;
		}
	}).map(Number);
}

test('an up that fails midway takes down what it made', async t => {
	if (!canMakeLabs(t)) {
		return;
	}

	const name = uniqueLabName();
	// No time at all to wait for the servers: the failure comes after namespace, veth and servers exist.
	await assert.rejects(labUp({name, subnet: uniqueLabSubnet(), held: true, readyTimeoutMs: 0}), (error: unknown) => error instanceof LabError && /not listening/.test(error.message));
	assert.deepEqual(labLeftovers(name), []);
	assert.deepEqual(processesNaming(name), []);
});
