// Where the lab's download floor goes (issue #19): the bare cap loop (bench/cap-floor.ts) in the
// reference topology (the capture end in a namespace of its own, a server writing 1 MiB buffers,
// the sender's TSO/GSO off, a 4 MiB window, an ACK every 4th segment and at the end of each capture
// batch, checksums not verified), then one change at a time toward the lab, each step beside the
// kernel's own download from the same server with the same offloads, in the same run (a client in a
// namespace of its own on a second veth into the server's). Runs alternate kernel and floor; the
// table gives medians. Names synack-fs<pid>..., addresses in 198.19.250.0/23; all torn down on exit.
// Run (as root): node --import tsx bench/floor-steps.ts [--mib 256] [--runs 3] [--steps 0,1,...] [--json]
import {type ChildProcess, execFileSync, spawn, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {loadavg} from 'node:os';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {listeningPorts} from '../source/lab/lab-links.js';
import {labProcessEnvironment, nodeEntryCommand} from '../source/lab/node-entry.js';
import {bareDownload, type BareTarget} from './cap-floor.js';

type Step = {
	/** What this step changes from the one before. */
	readonly change: string;
	/** `big`: bench/big-buffer-server.py; `lab`: the lab's own servers (source/lab/servers.ts), as bench/bulk.ts starts them. */
	readonly server: 'big' | 'lab' | 'lab-dist';
	/** The capture end in a namespace of its own (true) or in the caller's, as the lab's synack0. */
	readonly ownNamespace: boolean;
	/** `ethtool -K` features turned off on the sending end (the server's veth) and on the receiving end. */
	readonly offloads: {readonly sender: readonly string[]; readonly receiver: readonly string[]};
	readonly every: number;
	readonly window: number;
	readonly verify: boolean;
	/**
	 * The receiver (the loop, or the kernel's client) pinned to CPU 0, and the server's veth handing
	 * what it receives to CPU 1 (RPS): the peer's TCP then handles our ACKs on a CPU of its own, as a
	 * peer on another machine would, instead of inside our send().
	 */
	readonly rps?: boolean;
};

const allOff = ['tx', 'rx', 'tso', 'gso', 'gro'];
const reference: Step = {change: 'reference topology', server: 'big', ownNamespace: true, offloads: {sender: ['tso', 'gso'], receiver: []}, every: 4, window: 4 << 20, verify: false};
const toward = (before: Step, change: string, what: Partial<Step>): Step => ({...before, ...what, change});
const s1 = toward(reference, 'the lab\'s HTTP server (Node, under tsx as the lab starts it from the sources) instead of the big-buffer one', {server: 'lab'});
const s2 = toward(s1, 'capture end in the caller\'s namespace, with the lab\'s sysctls', {ownNamespace: false});
const s3 = toward(s2, 'the lab\'s offloads: tx, rx, tso, gso, gro off at both ends', {offloads: {sender: allOff, receiver: allOff}});
const s4 = toward(s3, 'ACK every 2nd segment (RFC 9293 §3.8.6.3\'s rule; the cap floor in bench/bulk before issue #19)', {every: 2});
const s5 = toward(s4, 'checksums verified, as synack does', {verify: true});
// Single changes from the reference, to tell apart what the cumulative steps mix.
const steps: readonly Step[] = [
	reference, s1, s2, s3, s4, s5,
	toward(reference, 'reference, ACK every segment', {every: 1}),
	toward(reference, 'reference, ACK every 8th', {every: 8}),
	toward(reference, 'reference with the lab\'s offloads only', {offloads: {sender: allOff, receiver: allOff}}),
	toward(reference, 'reference with the capture end in the caller\'s namespace only', {ownNamespace: false}),
	toward(reference, 'reference with the lab\'s servers built (dist/), not under tsx', {server: 'lab-dist'}),
	toward(s5, 'the lab as in s5 with the lab\'s servers built (dist/)', {server: 'lab-dist'}),
	toward(s2, 's2 with GRO off at the receiving end', {offloads: {sender: ['tso', 'gso'], receiver: ['gro']}}),
	toward(s2, 's2 with tx, rx off at the sending end', {offloads: {sender: ['tx', 'rx', 'tso', 'gso'], receiver: []}}),
	toward(s2, 's2 with tx, rx, tso, gso off at the receiving end (GRO on)', {offloads: {sender: ['tso', 'gso'], receiver: ['tx', 'rx', 'tso', 'gso']}}),
	// The lab as bench/bulk measures it (s3 with built servers), then with checksums verified, as synack must.
	toward(s3, 'the lab as bench/bulk measures it: s3 with the lab\'s servers built (dist/)', {server: 'lab-dist'}),
	toward(s3, 's15 with checksums verified, as synack does', {server: 'lab-dist', verify: true}),
	toward(s3, 's15 with the receiver on CPU 0 and the server\'s veth steering to CPU 1 (RPS)', {server: 'lab-dist', rps: true}),
	toward(s3, 's16 with the receiver on CPU 0 and the server\'s veth steering to CPU 1 (RPS)', {server: 'lab-dist', verify: true, rps: true}),
];

const {values} = parseArgs({options: {
	mib: {type: 'string', default: '256'},
	runs: {type: 'string', default: '3'},
	steps: {type: 'string', default: '0,1,2,3,4,5'},
	json: {type: 'boolean', default: false},
	receive: {type: 'string'},
}});

const timeLimitMs = 60_000;

// --- The receiving child: one warm-up download, then the measured one; prints JSON. ----------------
if (values.receive !== undefined) {
	const {target, bytes, every, window, verify} = JSON.parse(values.receive) as {target: BareTarget; bytes: number; every: number; window: number; verify: boolean};
	const options = {every, window, verify, address: target.address, timeLimitMs};
	await bareDownload(target, {...options, bytes: 16 << 20});
	// This process's CPU, user and system: the system part includes what its ACKs' send() runs of the
	// peer's TCP, and less noisy than MB/s on a shared machine.
	const before = process.cpuUsage();
	const result = await bareDownload(target, {...options, bytes});
	const cpu = process.cpuUsage(before);
	console.log(JSON.stringify({...result, user: cpu.user / 1e6, system: cpu.system / 1e6}));
	// cap's poll handle keeps the loop alive (bench/cap-floor.ts keeps closed captures).
	process.exit(0);
}

const root = fileURLToPath(new URL('../', import.meta.url));
const self = fileURLToPath(import.meta.url);
const id = String(process.pid);
const names = {
	server: `synack-fs${id}s`,
	capture: `synack-fs${id}c`,
	kernel: `synack-fs${id}k`,
	// IFNAMSIZ: at most 15 characters.
	captureIf: `synackf${id}c`.slice(0, 15),
	serverIf: `synackf${id}s`.slice(0, 15),
	kernelIf: `synackf${id}k`.slice(0, 15),
	kernelPeerIf: `synackf${id}l`.slice(0, 15),
};
const serverAddress = '198.19.250.2';
const receiverAddress = '198.19.250.10';
const kernelServer = '198.19.251.1';
const kernelClientAddress = '198.19.251.2';
const bytes = Number(values.mib) * (1 << 20);
const runs = Number(values.runs);
// The lab's HTTP server sends at most 1 GiB; every run is bounded in count and time.
if (!(Number.isInteger(Number(values.mib)) && Number(values.mib) >= 17 && Number(values.mib) <= 1024) || !(Number.isInteger(runs) && runs >= 1 && runs <= 20)) {
	console.error('floor-steps: --mib takes 17 to 1024 (the warm-up is 16) and --runs 1 to 20');
	process.exit(2);
}


function ip(...args: string[]): string {
	return execFileSync('ip', args, {encoding: 'utf8', timeout: 10_000});
}

function inNamespace(namespace: string | undefined, command: string, ...args: string[]): string {
	const full = namespace === undefined ? [command, ...args] : ['ip', 'netns', 'exec', namespace, command, ...args];
	return execFileSync(full[0]!, full.slice(1), {encoding: 'utf8', timeout: 10_000});
}

function macOf(namespace: string | undefined, name: string): string {
	const json = JSON.parse(namespace === undefined ? ip('-j', 'link', 'show', 'dev', name) : ip('-n', namespace, '-j', 'link', 'show', 'dev', name)) as Array<{address: string}>;
	return json[0]!.address;
}

let server: ChildProcess | undefined;

/** Removes everything this run made; safe to call at any point and more than once. */
function teardown(): void {
	if (server?.pid !== undefined && server.exitCode === null) server.kill('SIGKILL');
	server = undefined;
	for (const namespace of [names.server, names.capture, names.kernel]) spawnSync('ip', ['netns', 'del', namespace], {stdio: 'ignore', timeout: 10_000});
	// Deleting the server's namespace removed the veth pair; this only matters if that step failed.
	spawnSync('ip', ['link', 'del', names.captureIf], {stdio: 'ignore', timeout: 10_000});
}

async function setup(step: Step): Promise<BareTarget> {
	const captureNamespace = step.ownNamespace ? names.capture : undefined;
	ip('netns', 'add', names.server);
	ip('netns', 'add', names.kernel);
	if (captureNamespace !== undefined) ip('netns', 'add', captureNamespace);
	ip('link', 'add', names.captureIf, ...(captureNamespace === undefined ? [] : ['netns', captureNamespace]), 'type', 'veth', 'peer', 'name', names.serverIf, 'netns', names.server);
	ip('link', 'add', names.kernelIf, 'netns', names.kernel, 'type', 'veth', 'peer', 'name', names.kernelPeerIf, 'netns', names.server);
	if (captureNamespace === undefined) {
		// What source/lab/lab-up.ts sets on synack0 (and what keeps the caller's kernel off the link).
		execFileSync('sysctl', ['-q', '-w', `net.ipv6.conf.${names.captureIf}.disable_ipv6=1`, `net.ipv4.conf.${names.captureIf}.arp_ignore=8`, `net.ipv4.conf.${names.captureIf}.arp_announce=2`, `net.ipv4.conf.${names.captureIf}.forwarding=0`]);
	}

	const off = (features: readonly string[]) => features.flatMap(feature => [feature, 'off']);
	const {sender, receiver} = step.offloads;
	// The kernel's path gets the same: its server end like the server's veth, its client like ours.
	inNamespace(names.server, 'ethtool', '-K', names.serverIf, ...off(sender));
	inNamespace(names.server, 'ethtool', '-K', names.kernelPeerIf, ...off(sender));
	if (receiver.length > 0) {
		inNamespace(captureNamespace, 'ethtool', '-K', names.captureIf, ...off(receiver));
		inNamespace(names.kernel, 'ethtool', '-K', names.kernelIf, ...off(receiver));
	}

	if (step.rps) {
		for (const name of [names.serverIf, names.kernelPeerIf]) inNamespace(names.server, 'sh', '-c', `echo 2 > /sys/class/net/${name}/queues/rx-0/rps_cpus`);
	}

	ip('-n', names.server, 'address', 'add', `${serverAddress}/24`, 'dev', names.serverIf);
	ip('-n', names.server, 'address', 'add', `${kernelServer}/24`, 'dev', names.kernelPeerIf);
	ip('-n', names.kernel, 'address', 'add', `${kernelClientAddress}/24`, 'dev', names.kernelIf);
	for (const [namespace, name] of [[names.server, names.serverIf], [names.server, names.kernelPeerIf], [names.server, 'lo'], [names.kernel, names.kernelIf], [names.kernel, 'lo']] as const) {
		ip('-n', namespace, 'link', 'set', 'dev', name, 'up');
	}

	if (captureNamespace === undefined) {
		ip('link', 'set', 'dev', names.captureIf, 'up');
	} else {
		ip('-n', captureNamespace, 'link', 'set', 'dev', names.captureIf, 'up');
		ip('-n', captureNamespace, 'link', 'set', 'dev', 'lo', 'up');
	}

	const mac = macOf(captureNamespace, names.captureIf);
	ip('-n', names.server, 'neigh', 'replace', receiverAddress, 'lladdr', mac, 'dev', names.serverIf, 'nud', 'permanent');
	const command = step.server === 'big'
		? ['python3', `${root}bench/big-buffer-server.py`, '80', '900']
		: step.server === 'lab' ? [...nodeEntryCommand('servers'), 'synack-lab-server', `fs${id}`] : [process.execPath, `${root}dist/lab/servers.js`, 'synack-lab-server', `fs${id}`];
	server = spawn('ip', ['netns', 'exec', names.server, ...command], {stdio: ['ignore', 'ignore', 'inherit'], env: labProcessEnvironment()});
	const deadline = Date.now() + 15_000;
	while (!(await listeningPorts(names.server)).has(80)) {
		if (Date.now() > deadline || server.exitCode !== null) throw new Error(`floor-steps: the ${step.server} server did not listen on port 80`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	return {interface: names.captureIf, mac, peerMac: macOf(names.server, names.serverIf), peerAddress: serverAddress, address: receiverAddress, port: 80};
}

const kernelClient = `
import socket, sys, time
host, size = sys.argv[1], int(sys.argv[2])
s = socket.create_connection((host, 80))
start = time.perf_counter()
s.sendall(b'GET /bytes/%d HTTP/1.0\\r\\n\\r\\n' % size)
buf = bytearray(1 << 20)
got = 0
while True:
    n = s.recv_into(buf)
    if n == 0: break
    got += n
print(got, time.perf_counter() - start)
`;

/** The server process's CPU seconds so far, user + system (all its threads), from /proc. */
function serverCpu(): number {
	const fields = readFileSync(`/proc/${server!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	// utime and stime, fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `download`, giving its MB/s and the server's CPU milliseconds per MiB sent meanwhile. */
function withServerCpu<T extends {mbps: number}>(download: () => T): T & {serverMsPerMib: number} {
	const before = serverCpu();
	const result = download();
	return {...result, serverMsPerMib: (serverCpu() - before) * 1000 / (bytes / (1 << 20))};
}

function kernelDownload(step: Step): number {
	const pin = step.rps ? ['taskset', '-c', '0'] : [];
	const [command, ...args] = [...pin, 'timeout', '120', 'python3', '-c', kernelClient, kernelServer, String(bytes)];
	const [got, seconds] = inNamespace(names.kernel, command!, ...args).trim().split(' ').map(Number);
	if (!(got! > bytes)) throw new Error(`floor-steps: the kernel client got ${got} octets for a ${bytes}-octet body`);
	return bytes / seconds! / 1e6;
}

function floorDownload(step: Step, target: BareTarget): {mbps: number; acks: number; bad: number; frames: number; largest: number; user: number; system: number} {
	const receive = JSON.stringify({target, bytes, every: step.every, window: step.window, verify: step.verify});
	const command = [...(step.rps ? ['taskset', '-c', '0'] : []), process.execPath, '--import', 'tsx', self, '--receive', receive];
	const full = step.ownNamespace ? ['ip', 'netns', 'exec', names.capture, ...command] : command;
	const child = spawnSync(full[0]!, full.slice(1), {cwd: root, encoding: 'utf8', timeout: 3 * timeLimitMs, env: labProcessEnvironment()});
	if (child.status !== 0) {
		const why = child.signal === null ? (child.stderr || child.stdout || String(child.error)).trim().split('\n').at(-1) : `stopped by ${child.signal}`;
		throw new Error(`floor-steps: the receiver failed: ${why}`);
	}
	const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {bytes: number; seconds: number; acks: number; bad: number; frames: number; largest: number; user: number; system: number};
	return {...result, mbps: bytes / result.seconds / 1e6};
}

const median = (list: readonly number[]) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)]!;

type Row = {step: number; change: string; kernel: number[]; floor: number[]; serverKernel: number[]; serverFloor: number[]; acksPerMib: number; bad: number; framesPerMib: number; largest: number; userMsPerMib: number[]; systemMsPerMib: number[]};

async function main(): Promise<void> {
	const stop = () => {
		teardown();
		process.exit(130);
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const chosen = values.steps.split(',').map(Number);
	if (chosen.some(index => steps[index] === undefined)) throw new Error(`floor-steps: steps are 0 to ${steps.length - 1}`);
	const rows: Row[] = [];
	const loadBefore = loadavg()[0]!;
	for (const index of chosen) {
		const step = steps[index]!;
		try {
			const target = await setup(step);
			const row: Row = {step: index, change: step.change, kernel: [], floor: [], serverKernel: [], serverFloor: [], acksPerMib: 0, bad: 0, framesPerMib: 0, largest: 0, userMsPerMib: [], systemMsPerMib: []};
			for (let run = 0; run < runs; run++) {
				// Alternating which goes first, so neither always follows the other's leftovers.
				const order = run % 2 === 0 ? ['kernel', 'floor'] : ['floor', 'kernel'];
				for (const what of order) {
					if (what === 'kernel') {
						const kernel = withServerCpu(() => ({mbps: kernelDownload(step)}));
						row.kernel.push(kernel.mbps);
						row.serverKernel.push(kernel.serverMsPerMib);
					} else {
						const floor = withServerCpu(() => floorDownload(step, target));
						row.serverFloor.push(floor.serverMsPerMib);
						row.floor.push(floor.mbps);
						row.acksPerMib = floor.acks / (bytes / (1 << 20));
						row.framesPerMib = floor.frames / (bytes / (1 << 20));
						row.largest = Math.max(row.largest, floor.largest);
						row.userMsPerMib.push(floor.user * 1000 / (bytes / (1 << 20)));
						row.systemMsPerMib.push(floor.system * 1000 / (bytes / (1 << 20)));
						row.bad += floor.bad;
					}
				}
			}

			rows.push(row);
			if (!values.json) {
				const kernel = median(row.kernel);
				const floor = median(row.floor);
				console.log(`s${index} ${step.change}: kernel ${kernel.toFixed(0)} (${row.kernel.map(value => value.toFixed(0)).join(' / ')}), floor ${floor.toFixed(0)} (${row.floor.map(value => value.toFixed(0)).join(' / ')}) MB/s: ${(floor / kernel * 100).toFixed(0)} %, ${row.framesPerMib.toFixed(0)} frames and ${row.acksPerMib.toFixed(0)} ACKs per MiB, largest payload ${row.largest}, receiver CPU per MiB ${median(row.userMsPerMib).toFixed(2)} ms user + ${median(row.systemMsPerMib).toFixed(2)} ms system, server CPU per MiB ${median(row.serverKernel).toFixed(2)} ms to the kernel, ${median(row.serverFloor).toFixed(2)} to the loop${row.bad > 0 ? `, ${row.bad} bad checksums` : ''}`);
			}
		} finally {
			teardown();
		}
	}

	if (values.json) {
		console.log(JSON.stringify({mib: Number(values.mib), runs, load: [loadBefore, loadavg()[0]], rows}));
		return;
	}

	console.log(`\n${values.mib} MiB per download, medians of ${runs}; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after\n`);
	console.log('| step | change | kernel MB/s | bare cap loop MB/s | loop/kernel | loop CPU ms/MiB (user + sys) | server CPU ms/MiB (kernel; loop) |');
	console.log('| --- | --- | --- | --- | --- | --- | --- |');
	for (const row of rows) {
		const kernel = median(row.kernel);
		const floor = median(row.floor);
		console.log(`| s${row.step} | ${row.change} | ${kernel.toFixed(0)} (${row.kernel.map(value => value.toFixed(0)).join(', ')}) | ${floor.toFixed(0)} (${row.floor.map(value => value.toFixed(0)).join(', ')}) | ${(floor / kernel * 100).toFixed(0)} % | ${median(row.userMsPerMib).toFixed(2)} + ${median(row.systemMsPerMib).toFixed(2)} | ${median(row.serverKernel).toFixed(2)}; ${median(row.serverFloor).toFixed(2)} |`);
	}
}

try {
	await main();
} catch (error) {
	teardown();
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
}
