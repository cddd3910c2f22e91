import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import {runLab} from '../../source/commands/lab.js';
import {chargenSlice} from '../../source/lab/chargen-pattern.js';
import {labDown, labStatus, type LabInfo} from '../../source/lab/index.js';
import {inLab, labLeftovers, labProcesses, useLab} from '../helpers/lab.js';

function discardCounters(lab: LabInfo): {connections: number; bytesIn: number} {
	return JSON.parse(inLab(lab, 'curl', ['-s', '-m', '5', `http://${lab.peerAddress}/discard`]).toString('utf8')) as {connections: number; bytesIn: number};
}

/** Reads `length` bytes from a TCP service inside the lab, then hangs up. */
async function readFromService(lab: LabInfo, port: number, length: number): Promise<Buffer> {
	const client = spawn('ip', ['netns', 'exec', lab.namespace, 'socat', '-u', `TCP:${lab.peerAddress}:${port}`, '-'], {stdio: ['ignore', 'pipe', 'ignore']});
	const chunks: Buffer[] = [];
	let received = 0;
	try {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`only ${received} bytes from port ${port} in 5 s`)), 5000);
			client.stdout.on('data', (chunk: Buffer) => {
				chunks.push(chunk);
				received += chunk.length;
				if (received >= length) {
					clearTimeout(timer);
					resolve();
				}
			});
			client.on('exit', () => {
				clearTimeout(timer);
				reject(new Error(`port ${port} closed after ${received} bytes`));
			});
		});
	} finally {
		client.kill();
	}

	return Buffer.concat(chunks).subarray(0, length);
}

function collect(): {stream: PassThrough; text: () => string} {
	const stream = new PassThrough();
	const chunks: Buffer[] = [];
	stream.on('data', (chunk: Buffer) => chunks.push(chunk));
	return {stream, text: () => Buffer.concat(chunks).toString('utf8')};
}

test('lab up: namespace, veth and servers on the peer kernel', async t => {
	const lab = await useLab(t);
	if (!lab) {
		return;
	}

	await t.test('our end is up with no IPv4 address, IPv6 off, arp_ignore 8, offloads off', () => {
		const [link] = JSON.parse(execFileSync('ip', ['-j', 'addr', 'show', 'dev', lab.interface], {encoding: 'utf8'})) as Array<{flags: string[]; addr_info: unknown[]; address: string}>;
		assert.ok(link!.flags.includes('UP'));
		assert.deepEqual(link!.addr_info, []);
		assert.equal(link!.address, lab.mac);
		assert.equal(readFileSync(`/proc/sys/net/ipv6/conf/${lab.interface}/disable_ipv6`, 'utf8').trim(), '1');
		assert.equal(readFileSync(`/proc/sys/net/ipv4/conf/${lab.interface}/arp_ignore`, 'utf8').trim(), '8');
		const features = execFileSync('ethtool', ['-k', lab.interface], {encoding: 'utf8'});
		for (const feature of ['tx-checksumming', 'rx-checksumming', 'tcp-segmentation-offload', 'generic-segmentation-offload', 'generic-receive-offload']) {
			assert.match(features, new RegExp(`^${feature}: off`, 'm'));
		}
	});

	await t.test('the peer holds its address in the namespace, with the MAC LabInfo reports', () => {
		const [peer] = JSON.parse(inLab(lab, 'ip', ['-j', 'addr', 'show', 'dev', lab.peerInterface]).toString('utf8')) as Array<{address: string; addr_info: Array<{family: string; local: string; prefixlen: number}>}>;
		assert.equal(peer!.address, lab.peerMac);
		assert.deepEqual(peer!.addr_info.filter(({family}) => family === 'inet').map(({local, prefixlen}) => `${local}/${prefixlen}`), [`${lab.peerAddress}/24`]);
		assert.match(lab.suggestedAddress, /^198\.19\.\d+\.10$/);
	});

	await t.test('the peer hands what it receives to every CPU (RPS), not only to the one that sent it', () => {
		const mask = inLab(lab, 'cat', [`/sys/class/net/${lab.peerInterface}/queues/rx-0/rps_cpus`]).toString('utf8').trim();
		const cpus = availableParallelism();
		// The kernel prints the mask padded to its CPU count, in 32-bit groups: compare the bits.
		const bits = BigInt(`0x${mask.replaceAll(',', '')}`);
		assert.equal(bits, cpus > 1 ? (1n << BigInt(cpus)) - 1n : 0n);
	});

	await t.test('HTTP /bytes/1000 is exactly 1000 bytes of the pattern', () => {
		const body = inLab(lab, 'curl', ['-s', '-m', '5', `http://${lab.peerAddress}/bytes/1000`]);
		assert.equal(body.length, 1000);
		assert.deepEqual(body, chargenSlice(0, 1000));
	});

	await t.test('HTTP/1.0 gets Content-Length and the connection closed', () => {
		const response = inLab(lab, 'curl', ['-s', '-m', '5', '--http1.0', '-i', `http://${lab.peerAddress}/bytes/10`]).toString('latin1');
		assert.match(response, /^HTTP\/1\.[01] 200 /);
		assert.match(response, /^Content-Length: 10\r$/im);
		assert.match(response, /^Connection: close\r$/im);
		assert.ok(response.endsWith(`\r\n\r\n${chargenSlice(0, 10).toString('latin1')}`));
	});

	await t.test('HTTP / is a page; unknown paths are 404', () => {
		const page = inLab(lab, 'curl', ['-s', '-m', '5', `http://${lab.peerAddress}/`]).toString('utf8');
		assert.match(page, /<html>[\s\S]*synack lab[\s\S]*<\/html>/);
		const status = inLab(lab, 'curl', ['-s', '-m', '5', '-o', '/dev/null', '-w', '%{http_code}', `http://${lab.peerAddress}/nothing`]).toString('utf8');
		assert.equal(status, '404');
	});

	await t.test('echo sends back what it gets', () => {
		const sent = 'hello, lab\r\n\u0000binary\u00ff\n';
		const echoed = inLab(lab, 'socat', ['-t', '2', '-', `TCP:${lab.peerAddress}:7`], Buffer.from(sent, 'latin1'));
		assert.equal(echoed.toString('latin1'), sent);
	});

	await t.test('discard counts what it reads', () => {
		const before = discardCounters(lab);
		inLab(lab, 'socat', ['-u', '-', `TCP:${lab.peerAddress}:9`], Buffer.alloc(12_345, 0x61));
		// The server counts as it reads; the client may finish first.
		let after = discardCounters(lab);
		for (let attempt = 0; attempt < 50 && after.bytesIn < before.bytesIn + 12_345; attempt++) {
			execFileSync('sleep', ['0.05']);
			after = discardCounters(lab);
		}

		assert.equal(after.bytesIn - before.bytesIn, 12_345);
		assert.equal(after.connections - before.connections, 1);
	});

	await t.test('the bulk source sends the chargen pattern until we hang up', async () => {
		const received = await readFromService(lab, 19, 1_000_000);
		assert.deepEqual(received, chargenSlice(0, 1_000_000));
	});

	await t.test('the slow reader makes the kernel advertise a zero window within 2 s', async () => {
		// A capture on the namespace's loopback: the sender is inside the namespace too, since our end has no address.
		const capture = spawn('ip', ['netns', 'exec', lab.namespace, 'tcpdump', '-n', '-l', '-i', 'lo', '-c', '1', `tcp src port 5001 and tcp[14:2] = 0`], {stdio: ['ignore', 'pipe', 'pipe']});
		const captured: Buffer[] = [];
		capture.stdout.on('data', (chunk: Buffer) => captured.push(chunk));
		const exited = new Promise<void>(resolve => capture.on('exit', () => resolve()));
		try {
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('tcpdump did not start')), 5000);
				capture.stderr.on('data', (chunk: Buffer) => {
					if (chunk.toString('utf8').includes('listening on')) {
						clearTimeout(timer);
						resolve();
					}
				});
			});
			const started = Date.now();
			// Bounded: 4 MB at most, and `timeout` ends the sender once the window stays shut.
			const sender = spawn('ip', ['netns', 'exec', lab.namespace, 'timeout', '3', 'socat', '-u', '-', `TCP:${lab.peerAddress}:5001`], {stdio: ['pipe', 'ignore', 'ignore']});
			sender.stdin.on('error', () => {});
			sender.stdin.end(Buffer.alloc(4 << 20));
			await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 4000))]);
			const elapsed = Date.now() - started;
			sender.kill();
			const line = Buffer.concat(captured).toString('utf8');
			assert.match(line, new RegExp(`${lab.peerAddress.replaceAll('.', '\\.')}\\.5001 > .* win 0,`));
			assert.ok(elapsed < 2000, `zero window after ${elapsed} ms`);
		} finally {
			capture.kill();
		}
	});

	await t.test('status says every service is healthy, and counts discard', async () => {
		const status = await labStatus(lab.name);
		assert.equal(status.healthy, true, status.problems.join('; '));
		assert.deepEqual(status.services.map(({name, healthy}) => [name, healthy]), [['http', true], ['echo', true], ['discard', true], ['chargen', true], ['slow-reader', true]]);
		assert.equal(status.peerMac, lab.peerMac);
		assert.equal(status.mac, lab.mac);
		assert.equal(status.discard?.bytesIn, 12_345);
		assert.equal(status.holder, process.pid);

		const stdout = collect();
		const stderr = collect();
		const code = await runLab(['status'], {name: lab.name, json: true}, {stdout: stdout.stream, stderr: stderr.stream});
		const json = JSON.parse(stdout.text()) as {healthy: boolean; services: Array<{healthy: boolean}>; peerAddress: string};
		assert.equal(code, 0);
		assert.equal(json.healthy, true);
		assert.equal(json.peerAddress, lab.peerAddress);
		assert.ok(json.services.every(({healthy}) => healthy));
		assert.equal(stderr.text(), '');
	});

	await t.test('status notices a dead server', async () => {
		const slowReader = lab.services.find(({name}) => name === 'slow-reader')!.pid;
		process.kill(slowReader, 'SIGKILL');
		let status = await labStatus(lab.name);
		for (let attempt = 0; attempt < 20 && status.healthy; attempt++) {
			await new Promise(resolve => setTimeout(resolve, 50));
			status = await labStatus(lab.name);
		}

		assert.equal(status.up, true);
		assert.equal(status.healthy, false);
		assert.deepEqual(status.services.filter(({healthy}) => !healthy).map(({name}) => name), ['slow-reader']);
	});

	await t.test('down leaves no namespace, interface, state file or server process', async () => {
		const processes = labProcesses(lab);
		assert.ok(processes.length >= 1);
		const result = await labDown(lab.name);
		assert.equal(result.removed, true);
		assert.deepEqual(labLeftovers(lab.name, processes), []);
		assert.deepEqual(await labDown(lab.name), {name: lab.name, removed: false, leftAlone: []});
	});
});
