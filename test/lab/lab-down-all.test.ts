import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {runLab} from '../../source/commands/lab.js';
import {labDown, labDownAll, labNames, labStatePath, type LabInfo} from '../../source/lab/index.js';
import {canMakeLabs, labLeftovers, labProcesses, uniqueLabName, uniqueLabSubnet, useLab} from '../helpers/lab.js';

const labIndex = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../source/lab/index.ts')).href;

/** A process that makes a held lab, reports it, and then waits to be killed. */
async function labInOtherProcess(name: string, subnet: string): Promise<{info: LabInfo; kill: () => void}> {
	const script = `const {labUp} = await import(${JSON.stringify(labIndex)});
		const info = await labUp({name: ${JSON.stringify(name)}, subnet: ${JSON.stringify(subnet)}, held: true});
		process.stdout.write(JSON.stringify(info) + '\\n');
		setInterval(() => {}, 1000);`;
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	let errors = '';
	child.stderr.on('data', (chunk: Buffer) => {
		errors += chunk.toString('utf8');
	});
	const info = await new Promise<LabInfo>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no lab from the child in 20 s: ${errors}`)), 20_000);
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString('utf8');
			if (output.includes('\n')) {
				clearTimeout(timer);
				resolve(JSON.parse(output) as LabInfo);
			}
		});
		child.on('exit', code => {
			clearTimeout(timer);
			reject(new Error(`child exited ${code}: ${errors}`));
		});
	});
	return {info, kill: () => child.kill('SIGKILL')};
}

function collect(): {stream: PassThrough; text: () => string} {
	const stream = new PassThrough();
	const chunks: Buffer[] = [];
	stream.on('data', (chunk: Buffer) => chunks.push(chunk));
	return {stream, text: () => Buffer.concat(chunks).toString('utf8')};
}

test('down --all removes a lab whose holder was killed, and keeps one whose holder lives', async t => {
	const ours = await useLab(t);
	if (!ours) {
		return;
	}

	const name = uniqueLabName();
	t.after(async () => labDown(name));
	const other = await labInOtherProcess(name, uniqueLabSubnet());
	const processes = labProcesses(other.info);

	const whileAlive = await labDownAll();
	assert.ok(whileAlive.kept.some(kept => kept.name === name), 'the other process still holds its lab');
	assert.ok(existsSync(labStatePath(name)));

	other.kill();
	await new Promise(resolve => setTimeout(resolve, 200));
	const result = await labDownAll();
	assert.ok(result.removed.includes(name), JSON.stringify(result));
	assert.deepEqual(labLeftovers(name, processes), []);
	assert.deepEqual(result.kept.find(kept => kept.name === ours.name), {name: ours.name, holder: process.pid});
	assert.ok(existsSync(labStatePath(ours.name)), 'our own lab is still there');
	assert.deepEqual(result.failed, []);
});

test('down --all removes labs made by `synack lab up` (nobody holds them)', async t => {
	if (!canMakeLabs(t)) {
		return;
	}

	const name = uniqueLabName();
	t.after(async () => labDown(name));
	const stdout = collect();
	assert.equal(await runLab(['up'], {name, subnet: uniqueLabSubnet(), json: true}, {stdout: stdout.stream, stderr: collect().stream}), 0);
	const info = JSON.parse(stdout.text()) as LabInfo;
	assert.equal(info.name, name);
	const processes = labProcesses(info);

	const output = collect();
	assert.equal(await runLab(['down'], {all: true}, {stdout: output.stream, stderr: collect().stream}), 0);
	assert.match(output.text(), new RegExp(`^removed labs? .*\\b${name}\\b`, 'm'));
	assert.deepEqual(labLeftovers(name, processes), []);

	const again = collect();
	assert.equal(await runLab(['down'], {name}, {stdout: again.stream, stderr: collect().stream}), 0);
	assert.equal(again.text(), `no lab "${name}" to remove\n`);
});

test('down and down --all leave alone what is named synack- but is not a lab', async t => {
	if (!canMakeLabs(t)) {
		return;
	}

	const name = `t${process.pid}-foreign`;
	const {namespace} = labNames(name);
	const link = `synack-f${process.pid % 10_000_000}`;
	const cleanup = () => {
		for (const args of [['link', 'del', link], ['netns', 'del', namespace]]) {
			try {
				execFileSync('ip', args, {stdio: 'ignore'});
			} catch {}
		}
	};

	t.after(cleanup);
	execFileSync('ip', ['netns', 'add', namespace]);
	execFileSync('ip', ['link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace]);

	const all = await labDownAll();
	assert.ok(!all.removed.includes(name));
	const one = await labDown(name);
	assert.deepEqual(one.leftAlone, [`namespace ${namespace}`]);
	assert.ok(existsSync(`/run/netns/${namespace}`));
	assert.ok(existsSync(`/sys/class/net/${link}`));
});
