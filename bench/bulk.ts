// Bulk throughput on a lab veth: synack in auto mode downloading and uploading N MiB (64 by default)
// against the lab's kernel-stack servers, and the same transfers between two kernels (a second
// namespace as the client, on its own veth into the lab's namespace, offloads off at both ends as
// on the lab's link). Prints MB/s for each and the ratio synack/kernel. When /usr/bin/python3 has
// scapy (Debian's python3-scapy), also a minimal scapy client's download (bench/scapy-download.py) of
// a smaller body (8 MiB: scapy manages a few MB/s), on the same veth, and the ratio synack/scapy.
// Beside each of synack's transfers, the bare cap loop's (bench/cap-floor.ts): the floor cap allows.
// `--gap-us 0,5,10` runs the upload floor once per gap in each run (bench/cap-floor.ts `gapUs`: that
// many µs between sends, as synack's own work spaces its sends), and `--ring-kib 0,65536` once per
// ring (`ringBytes`: each segment sent from the next slot of a ring that size, as synack sends
// each from fresh slab memory); with both, once per pair. `--synack-sends slab,deferred` runs
// synack's upload once per way of handing its frames to cap (openSession). Upload rows give µs
// per send() in every run, split by the idle time before each send(), the peer's reader's
// wake-ups and CPU per segment (the lab's discard server's main thread), the sender's preemptions
// and the load average. `--only synack-up` or `--only floor-up`: those rows alone (for perf).
// Run: npm run bench:bulk [-- --mib N] [--scapy-mib N] [--runs N] [--only down|up|scapy|synack-down|synack-up|floor-up] [--peer-cpu own|same|any] [--coalesce OCTETS] [--prefault MIB] [--gap-us LIST] [--ring-kib LIST] [--synack-sends LIST] [--json]   (as root)
import {execFileSync, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {availableParallelism, loadavg} from 'node:os';
import {parseArgs} from 'node:util';
import {chargenSlice, isChargenAt} from '../source/lab/chargen-pattern.js';
import type {LabInfo} from '../source/lab/index.js';
import type {Session} from '../source/session/session.js';
import {capFloorDownload, capFloorUpload, SendTimes} from './cap-floor.js';

// synack as users run it: the build in dist/ (`npm run bench:bulk` builds it first), not the sources
// through tsx, which names every closure it makes (Object.defineProperty per received frame, 5 % of a
// download). The lab comes from dist/ too: its servers are the kernel's peers in both figures, and
// run under tsx they cost the kernel's own download a third (bench/floor-steps.ts). Types come from
// the sources.
const built = (module: string) => import(new URL(`../dist/${module}.js`, import.meta.url).href);
const {labDown, labUp} = await built('lab/index') as typeof import('../source/lab/index.js');
const {labTimings} = await built('iface/arp-claim') as typeof import('../source/iface/arp-claim.js');
const {openPcapLink} = await built('link/pcap-link') as typeof import('../source/link/pcap-link.js');
const {autoPolicies} = await built('session/auto-policies') as typeof import('../source/session/auto-policies.js');
const {Session: SessionClass} = await built('session/session') as typeof import('../source/session/session.js');
const {parseIpv4} = await built('wire/addresses') as typeof import('../source/wire/addresses.js');
const {cpuMask, peerSteering, steerPeer} = await built('lab/peer-steering') as typeof import('../source/lab/peer-steering.js');

/** How the bench hands synack's frames to cap (`--synack-sends`): `slab`, as synack does, is the default. */
type SendMode = 'slab' | 'ring' | 'deferred' | 'deferred-ring';
const sendModes: readonly SendMode[] = ['slab', 'ring', 'deferred', 'deferred-ring'];

const {values} = parseArgs({options: {'peer-cpu': {type: 'string', default: 'any'}, mib: {type: 'string', default: '64'}, 'scapy-mib': {type: 'string', default: '8'}, json: {type: 'boolean', default: false}, only: {type: 'string'}, runs: {type: 'string', default: '3'}, coalesce: {type: 'string'}, prefault: {type: 'string'}, 'gap-us': {type: 'string', default: '0'}, 'ring-kib': {type: 'string', default: '0'}, 'synack-sends': {type: 'string', default: 'slab'}}});
// Each figure is the median of this many runs, taken in turn (synack, kernel, synack, ...): on a
// shared VM one run swings by a third.
const runs = Math.max(1, Number(values.runs));
// The upload floor's gaps between sends, µs, and rings, KiB (bench/cap-floor.ts `gapUs`, `ringBytes`): one floor row per pair.
const gaps = values['gap-us'].split(',').map(Number);
if (gaps.some(gap => !(gap >= 0 && gap <= 1000))) throw new Error(`--gap-us: µs from 0 to 1000, comma-separated (${values['gap-us']})`);
const rings = values['ring-kib'].split(',').map(Number);
if (rings.some(ring => !(ring >= 0 && ring <= (1 << 20)))) throw new Error(`--ring-kib: KiB from 0 to 1048576, comma-separated (${values['ring-kib']})`);
const floorUps = rings.flatMap(ringKib => gaps.map(gapUs => ({gapUs, ringKib})));
// How synack's upload frames reach cap, one synack upload row each (openSession says what each does).
const synackSends = values['synack-sends'].split(',') as SendMode[];
if (synackSends.some(mode => !sendModes.includes(mode))) throw new Error(`--synack-sends: ${sendModes.join(', ')}, comma-separated (${values['synack-sends']})`);
const total = Number(values.mib) * (1 << 20);
const timeLimitMs = 120_000;
const lab = `b${process.pid}`;
// The kernel client's namespace and link: names synack-b..., addresses in 198.18.200.0/22.
const clientNamespace = `synack-bk${process.pid}`;
const clientInterface = `sbk${process.pid}`.slice(0, 15);
const labSubnet = '198.18.200.0/24';
const serverSide = '198.18.201.1';
const clientSide = '198.18.201.2';
const offloads = ['tx', 'off', 'rx', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off'];

type Result = {
	readonly name: string; readonly bytes: number; readonly seconds: number; readonly runs?: readonly number[];
	readonly framesSent?: number; readonly framesReceived?: number; readonly busy?: number; readonly sendUs?: number; readonly cpuMsPerMib?: number;
	/** Uploads: µs per send() in every run, and the one-minute load average when each ended. */
	readonly sendUsRuns?: readonly number[]; readonly loads?: readonly number[]; readonly load?: number;
	/** Uploads: the send() calls by the idle time before each (SendTimes.describe). */
	readonly byIdle?: string;
	/**
	 * Uploads, per segment sent: the peer's reader's (the discard server's main thread) wake-ups
	 * and CPU µs, and the times this process's main thread was preempted.
	 */
	readonly readerWakeups?: number; readonly readerUs?: number; readonly preempted?: number;
	/** Uploads: send()s refused with EAGAIN (sent again). */
	readonly refused?: number;
	/** Downloads: segments header prediction took. */
	readonly predicted?: number;
};
const mbps = (result: Result) => result.bytes / result.seconds / 1e6;

function run(command: string, args: readonly string[]): string {
	return execFileSync(command, args, {encoding: 'utf8', timeout: timeLimitMs});
}

function tryRun(command: string, args: readonly string[]): void {
	spawnSync(command, args, {stdio: 'ignore', timeout: 10_000});
}

function clientUp(info: LabInfo): void {
	run('ip', ['netns', 'add', clientNamespace]);
	run('ip', ['link', 'add', clientInterface, 'netns', clientNamespace, 'type', 'veth', 'peer', 'name', 'kclient', 'netns', info.namespace]);
	run('ip', ['netns', 'exec', clientNamespace, 'ethtool', '-K', clientInterface, ...offloads]);
	run('ip', ['netns', 'exec', info.namespace, 'ethtool', '-K', 'kclient', ...offloads]);
	run('ip', ['-n', clientNamespace, 'address', 'add', `${clientSide}/24`, 'dev', clientInterface]);
	run('ip', ['-n', info.namespace, 'address', 'add', `${serverSide}/24`, 'dev', 'kclient']);
	run('ip', ['-n', clientNamespace, 'link', 'set', 'dev', clientInterface, 'up']);
	run('ip', ['-n', clientNamespace, 'link', 'set', 'dev', 'lo', 'up']);
	run('ip', ['-n', info.namespace, 'link', 'set', 'dev', 'kclient', 'up']);
}

function clientDown(): void {
	tryRun('ip', ['netns', 'del', clientNamespace]);
}

// The kernel's client: Python in the client namespace times a GET or an upload to discard (until
// the server's FIN, so that every byte was received), and prints bytes and seconds.
const kernelClient = `
import socket, sys, time
mode, host, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.create_connection((host, 80 if mode == 'down' else 9))
start = time.perf_counter()
got = 0
if mode == 'down':
    s.sendall(b'GET /bytes/%d HTTP/1.0\\r\\n\\r\\n' % size)
    buf = bytearray(1 << 20)
    while True:
        n = s.recv_into(buf)
        if n == 0: break
        got += n
else:
    chunk = bytes(1 << 20)
    left = size
    while left > 0:
        got += s.send(chunk[:min(left, len(chunk))])
        left = size - got
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536): pass
print(got, time.perf_counter() - start)
`;

function kernel(mode: 'down' | 'up'): Result {
	const pin = steered ? ['taskset', '-c', '0'] : [];
	const [bytes, seconds] = run('ip', ['netns', 'exec', clientNamespace, ...pin, 'python3', '-c', kernelClient, mode, serverSide, String(total)]).trim().split(' ').map(Number);
	return {name: `kernel ${mode === 'down' ? 'download' : 'upload'}`, bytes: bytes!, seconds: seconds!};
}

// The open session, closed before the lab goes down: cap aborts the process when the interface of
// an open capture vanishes.
let openNow: Session | undefined;

/** Time spent inside the link's send() (cap's send: the peer's whole receive path runs in it). */
let sendTimes = new SendTimes();

type SchedCounters = {wakeups: number; runNs: number; preempted: number};

/**
 * The lab's discard server's main thread, which reads the uploads: its voluntary context switches
 * (each one a sleep a later segment had to wake it from) and its CPU time (schedstat, ns); and how
 * often this process's main thread, the sender, was preempted.
 */
function schedCounters(info: LabInfo): SchedCounters {
	const pid = info.services.find(service => service.name === 'discard')!.pid;
	const task = `/proc/${pid}/task/${pid}`;
	const wakeups = Number(/^voluntary_ctxt_switches:\s*(\d+)/m.exec(readFileSync(`${task}/status`, 'utf8'))?.[1]);
	const runNs = Number(readFileSync(`${task}/schedstat`, 'utf8').split(' ')[0]);
	const preempted = Number(/^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8'))?.[1]);
	return {wakeups, runNs, preempted};
}

function schedPerSegment(info: LabInfo, before: SchedCounters, segments: number): Pick<Result, 'readerWakeups' | 'readerUs' | 'preempted'> {
	const after = schedCounters(info);
	return {
		readerWakeups: (after.wakeups - before.wakeups) / segments,
		readerUs: (after.runNs - before.runNs) / 1000 / segments,
		preempted: (after.preempted - before.preempted) / segments,
	};
}

// Where the lab kernel's work runs (source/lab/peer-steering.ts), the same on the kernel client's
// veth as on the lab's: `any` (the default), the lab as `synack lab` sets it up, RPS handing what the
// peer receives to any CPU; `same`, as before issue #19, RPS off: the peer's TCP runs inside each
// send() into the veth; `own`, the receiving end (synack, the bare loop, the kernel's client) pinned
// to CPU 0 and RPS on the other CPUs (the floor gains most; synack lost to whatever else the
// scheduler put on CPU 0, docs/performance.md).
const peerCpu = values['peer-cpu'];
if (!['own', 'same', 'any'].includes(peerCpu)) throw new Error(`bulk: --peer-cpu takes own, same or any, not ${peerCpu}`);
const steered = peerCpu === 'own' && availableParallelism() > 1;

async function steerLab(info: LabInfo): Promise<string> {
	// `any`: the lab as `synack lab` sets it up (RPS on every CPU), nothing pinned.
	const cpus = availableParallelism();
	const mask = steered ? cpuMask(cpus, 1) : peerCpu === 'any' ? cpuMask(cpus) : '0';
	for (const name of [info.peerInterface, 'kclient']) {
		if (!await steerPeer(info.namespace, name, mask)) throw new Error(`bulk: cannot set RPS on ${name} (a kernel without CONFIG_RPS?); run with --peer-cpu same`);
	}

	const shown = await peerSteering(info.namespace, info.peerInterface);
	return steered ? `the receiving end on CPU 0, the lab kernel's RPS mask ${shown}` : `the lab kernel's RPS mask ${shown}, nothing pinned (--peer-cpu ${peerCpu})`;
}

/** Only this process's main thread (TID = PID): threads started before, as the link's prefault worker, keep every CPU. */
function pinMainThread(on: boolean): void {
	if (steered) execFileSync('taskset', ['-p', '-c', on ? '0' : `0-${availableParallelism() - 1}`, String(process.pid)], {stdio: 'ignore'});
}

async function pinned<T>(work: () => Promise<T>): Promise<T> {
	pinMainThread(true);
	try {
		return await work();
	} finally {
		pinMainThread(false);
	}
}

async function openSession(info: LabInfo, sends: SendMode = 'slab'): Promise<{session: Session; peer: number}> {
	const ip = parseIpv4(info.suggestedAddress);
	// `--prefault MIB`, an experiment's knob: how much of the link's memory a worker maps ahead (no limit by default).
	const link = await openPcapLink({iface: info.interface, ip, ...(values.prefault === undefined ? {} : {prefaultBytes: Number(values.prefault) * (1 << 20)})});
	// After the link started its worker, which keeps every CPU; undone when the session closes.
	pinMainThread(true);
	const send = link.send.bind(link);
	// The link queues what the socket refuses (EAGAIN) rather than throwing: this times the call.
	const timedSend = (frame: Uint8Array) => {
		const start = performance.now();
		send(frame);
		sendTimes.record(start, performance.now());
	};

	// Experiments (issue #19), synack's own frames sent as the floor sends them (`--synack-sends`):
	// `ring` copies each into the next slot of a 1 MiB ring first (the floor's `ringBytes`) instead of
	// sending it from the slab memory it was built in; `deferred` holds them until the end of the
	// loop's turn (setImmediate) and sends them back to back, with none of synack's work between.
	const copyRing = new Uint8Array(sends === 'ring' || sends === 'deferred-ring' ? 1 << 20 : 0);
	copyRing.fill(0x5a);
	let copyAt = 0;
	const copied = (frame: Uint8Array) => {
		if (copyRing.length < frame.length) return frame;
		if (copyAt + frame.length > copyRing.length) copyAt = 0;
		const slot = copyRing.subarray(copyAt, copyAt + frame.length);
		slot.set(frame);
		copyAt += frame.length;
		return slot;
	};

	const held: Uint8Array[] = [];
	const flush = () => {
		// Bounded by what was held; sending adds nothing to it. Whatever the session closed before
		// this turn ended (its last ACK) is dropped.
		for (const frame of held.splice(0)) {
			try {
				timedSend(copied(frame));
			} catch (error) {
				if (!/is closed/.test(String(error))) throw error;
			}
		}
	};

	// synack's own way (`slab`) is left alone: the link corks auto mode's bursts and queues what the
	// socket refuses, so its send() is timed inside the link (LinkStats.sendMs).
	if (sends !== 'slab') link.send = sends === 'deferred' || sends === 'deferred-ring' ? frame => {
		if (held.push(frame) === 1) setImmediate(flush);
	} : frame => {
		timedSend(copied(frame));
	};
	const session = new SessionClass({
		link,
		ip,
		network: parseIpv4(info.subnet.split('/')[0]!),
		prefixLength: info.prefixLength,
		timings: labTimings,
		connection: {receiveBuffer: 4 << 20},
		// An experiment's knob (`--coalesce N`): the most in-order data one receive batch holds unACKed.
		...(values.coalesce === undefined ? {} : {autopilot: {coalesceLimit: Number(values.coalesce)}}),
	});
	openNow = session;
	await session.host.claimed();
	session.setAuto(autoPolicies);
	return {session, peer: parseIpv4(info.peerAddress)};
}

function waitFor(session: Session, condition: () => boolean, what: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			off();
			reject(new Error(`${what}: not done within ${timeLimitMs} ms`));
		}, timeLimitMs);
		// Checked every few milliseconds, not on every frame: the check must not weigh on the measurement.
		const poll = setInterval(() => {
			if (!condition()) return;
			off();
			resolve();
		}, 2);
		const off = () => {
			clearTimeout(timer);
			clearInterval(poll);
		};
	});
}

/**
 * Checks the body as it comes, against the chargen pattern the lab's server sends, compared in place
 * (`isChargenAt`): hashing it (as the tests do) took 8 % of the download's time, and copying out the
 * expected octets to compare with (`chargenSlice`) 9 %, which the kernel's client does not spend.
 */
class BodyCheck {
	#head = Buffer.alloc(0);
	#inBody = false;
	body = 0;
	wrong = 0;

	take(chunk: Uint8Array): void {
		if (this.#inBody) {
			this.#check(chunk);
			return;
		}

		this.#head = Buffer.concat([this.#head, chunk]);
		const end = this.#head.indexOf('\r\n\r\n');
		if (end < 0) return;
		this.#inBody = true;
		this.#check(this.#head.subarray(end + 4));
	}

	#check(data: Uint8Array): void {
		if (!isChargenAt(this.body, data)) this.wrong++;
		this.body += data.length;
	}
}

async function synackDownload(info: LabInfo): Promise<Result> {
	const {session, peer} = await openSession(info);
	try {
		const check = new BodyCheck();
		let ended = false;
		const id = await session.connect({ip: peer, port: 80});
		session.serve(id, () => ({
			name: 'bench',
			data(chunk) {
				check.take(chunk);
			},
			end(io) {
				ended = true;
				io.close();
			},
		}));
		const start = performance.now();
		const loop = performance.eventLoopUtilization();
		const cpu = process.cpuUsage();
		session.syn(id);
		session.write(id, new TextEncoder().encode(`GET /bytes/${total} HTTP/1.0\r\n\r\n`));
		await waitFor(session, () => ended, 'synack download');
		const seconds = (performance.now() - start) / 1000;
		// How much of the download synack's thread worked: the rest it waited for frames.
		const busy = performance.eventLoopUtilization(loop).utilization;
		const {user, system} = process.cpuUsage(cpu);
		if (check.body !== total || check.wrong > 0) throw new Error(`synack download: ${check.body} body bytes for a ${total}-byte body, ${check.wrong} chunks not as sent`);
		// Frames each way: what the ACK policy sent per segment received.
		const {sent, received} = session.link.stats();
		return {name: 'synack download', bytes: total, seconds, framesSent: sent, framesReceived: received, busy, cpuMsPerMib: (user + system) / 1000 / (total / (1 << 20)), predicted: session.predictedSegments};
	} finally {
		session.close();
		pinMainThread(false);
	}
}

async function synackUpload(info: LabInfo, sends: SendMode = 'slab'): Promise<Result> {
	const {session, peer} = await openSession(info, sends);
	try {
		const id = await session.connect({ip: peer, port: 9});
		let ended = false;
		session.serve(id, () => ({
			name: 'bench',
			end() {
				ended = true;
			},
		}));
		const payload = chargenSlice(0, total);
		sendTimes = new SendTimes();
		const linkBefore = session.link.stats();
		const sched = schedCounters(info);
		const start = performance.now();
		session.syn(id);
		session.write(id, payload);
		session.shutdown(id);
		// The discard server closes after reading everything: its FIN means all arrived.
		await waitFor(session, () => ended, 'synack upload');
		const seconds = (performance.now() - start) / 1000;
		const linkAfter = session.link.stats();
		const own = sends === 'slab';
		const calls = own ? linkAfter.sent - linkBefore.sent : sendTimes.calls;
		const ms = own ? (linkAfter.sendMs ?? 0) - (linkBefore.sendMs ?? 0) : sendTimes.ms;
		const refused = (linkAfter.sendWaits ?? 0) - (linkBefore.sendWaits ?? 0);
		// What one cap send() costs, and how much of the upload those calls took.
		return {name: own ? 'synack upload' : `synack upload, ${sends}`, bytes: total, seconds, framesSent: calls, framesReceived: linkAfter.received, busy: ms / 1000 / seconds, sendUs: ms * 1000 / calls, ...(own ? {} : {byIdle: sendTimes.describe()}), ...schedPerSegment(info, sched, calls), load: loadavg()[0], refused};
	} finally {
		session.close();
		pinMainThread(false);
	}
}

/** The bare cap loop (bench/cap-floor.ts) on the same veth, from network + 12: what cap allows at all. */
async function capFloor(info: LabInfo): Promise<Result> {
	const address = info.subnet.replace(/\.0\/\d+$/, '.12');
	// ACKs as the reference harness of issue #19 does (every 4th and when the capture runs dry), with
	// synack's 4 MiB window: at every 2nd, the loop paid 2.5 ms per MiB more for its ACKs than synack,
	// which ACKs once per capture batch (bench/floor-steps.ts).
	const cpu = process.cpuUsage();
	const {bytes, seconds} = await pinned(async () => capFloorDownload(info, {bytes: total, every: 4, window: 4 << 20, address, timeLimitMs: 30_000}));
	if (!(bytes > total)) throw new Error(`cap floor download: ${bytes} octets for a ${total}-byte body`);
	const {user, system} = process.cpuUsage(cpu);
	return {name: 'cap floor download', bytes: total, seconds, cpuMsPerMib: (user + system) / 1000 / (total / (1 << 20))};
}

/**
 * The bare cap send loop (bench/cap-floor.ts) uploading to the same discard server, from network + 13:
 * full-sized segments as fast as the peer's window allows, no engine, no log, no congestion control.
 */
async function capFloorUp(info: LabInfo, {gapUs, ringKib}: {gapUs: number; ringKib: number}): Promise<Result> {
	const address = info.subnet.replace(/\.0\/\d+$/, '.13');
	const sched = schedCounters(info);
	const cpu = process.cpuUsage();
	const {bytes, seconds, sends, sendUs, frames, times, blocked} = await pinned(async () => capFloorUpload(info, {bytes: total, address, gapUs, ringBytes: ringKib * 1024, timeLimitMs: 30_000}));
	const {user, system} = process.cpuUsage(cpu);
	const name = gapUs > 0 || ringKib > 0 ? `cap floor up, ${[gapUs > 0 ? `${gapUs} µs gap` : '', ringKib > 0 ? `${ringKib} KiB ring` : ''].filter(Boolean).join(', ')}` : 'cap floor upload';
	return {name, bytes, seconds, framesSent: sends, framesReceived: frames, busy: sends * sendUs / 1e6 / seconds, sendUs, cpuMsPerMib: (user + system) / 1000 / (total / (1 << 20)), byIdle: times.describe(), ...schedPerSegment(info, sched, sends), load: loadavg()[0], refused: blocked};
}

const scapyPython = '/usr/bin/python3';

/** Why the scapy column is left out, or undefined when scapy imports. */
function scapyMissing(): string | undefined {
	const check = spawnSync(scapyPython, ['-c', 'import scapy.all'], {stdio: 'ignore', timeout: 30_000});
	return check.status === 0 ? undefined : `scapy is not importable by ${scapyPython} (apt-get install python3-scapy)`;
}

// Scapy speaks from network + 11 on the lab's veth, beside synack's claimed address: the interface
// has no address in our namespace, so our kernel never answers the server with a RST. The lab's
// kernel gets a permanent neighbour entry for it, so that nobody has to answer its ARP.
function scapyDownload(info: LabInfo): Result {
	const size = Number(values['scapy-mib']) * (1 << 20);
	const address = info.subnet.replace(/\.0\/\d+$/, '.11');
	run('ip', ['-n', info.namespace, 'neigh', 'replace', address, 'lladdr', info.mac, 'dev', info.peerInterface, 'nud', 'permanent']);
	const script = new URL('scapy-download.py', import.meta.url).pathname;
	const [bytes, seconds] = run(scapyPython, [script, info.interface, address, info.mac, info.peerAddress, info.peerMac, String(size), String(timeLimitMs / 1000)]).trim().split(' ').map(Number);
	if (!(bytes! > size)) throw new Error(`scapy download: ${bytes} bytes for a ${size}-byte body`);
	return {name: 'scapy download', bytes: bytes!, seconds: seconds!};
}

/** Runs each measure `runs` times in turn and gives each one's median run, with every run's MB/s. */
async function medians(measures: ReadonlyArray<() => Promise<Result>>): Promise<Result[]> {
	const all: Result[][] = measures.map(() => []);
	for (let run = 0; run < runs; run++) {
		for (const [index, measure] of measures.entries()) all[index]!.push(await measure());
	}

	return all.map(results => {
		const sorted = [...results].sort((a, b) => a.seconds - b.seconds);
		const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
		return {
			...median,
			runs: results.map(mbps),
			...(median.sendUs === undefined ? {} : {sendUsRuns: results.map(result => result.sendUs!), loads: results.map(result => result.load!)}),
		};
	});
}

async function main(): Promise<void> {
	let info: LabInfo | undefined;
	// Once, whoever asks first: two at a time leave pieces behind.
	let down: Promise<void> | undefined;
	const takeDown = async () => {
		down ??= (async () => {
			openNow?.close();
			clientDown();
			await labDown(lab);
		})();
		return down;
	};

	const stop = () => {
		void takeDown().finally(() => process.exit(130));
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	// An error thrown in a frame's callback never reaches the finally below (synack's send() failing
	// with EAGAIN when the peer's softirqs fall behind, at load 2 and more): take the lab and the
	// client namespace down all the same.
	process.once('uncaughtException', error => {
		console.error(error);
		void takeDown().finally(() => process.exit(1));
	});
	try {
		const up = await labUp({name: lab, subnet: labSubnet, held: true});
		info = up;
		clientUp(up);
		const steering = await steerLab(up);
		const results: Result[] = [];
		const only = values.only;
		if (only === undefined || only === 'down') {
			results.push(...await medians([() => synackDownload(up), async () => kernel('down'), () => capFloor(up)]));
		}

		// synack's download alone, for a profile (`node --cpu-prof`): no ratio.
		if (only === 'synack-down') results.push(...await medians([() => synackDownload(up)]));
		// Either upload alone, for a profile (`perf record`): no kernel row, no ratio.
		if (only === 'synack-up') results.push(...await medians(synackSends.map(mode => () => synackUpload(up, mode))));
		if (only === 'floor-up') results.push(...await medians(floorUps.map(floor => () => capFloorUp(up, floor))));

		const noScapy = only === undefined || only === 'down' || only === 'scapy' ? scapyMissing() : 'not asked for';
		if (noScapy === undefined) results.push(scapyDownload(info));
		else if (!values.json && only !== 'up') console.log(`no scapy column: ${noScapy}`);

		if (only === undefined || only === 'up') {
			results.push(...await medians([...synackSends.map(mode => () => synackUpload(up, mode)), async () => kernel('up'), ...floorUps.map(floor => () => capFloorUp(up, floor))]));
		}

		if (values.json) {
			console.log(JSON.stringify(results.map(result => ({...result, mbps: mbps(result)}))));
		} else {
			console.log(`${(total / (1 << 20)).toFixed(0)} MiB each way, lab veth, offloads off; ${steering}`);
			if (runs > 1) console.log(`medians of ${runs} runs each`);
			for (const result of results) {
				const spread = result.runs && result.runs.length > 1 ? `, runs ${result.runs.map(value => value.toFixed(0)).join(' / ')} MB/s` : '';
				const busy = result.sendUs === undefined ? `thread busy ${((result.busy ?? 0) * 100).toFixed(0)} %` : `${result.sendUs.toFixed(1)} µs per send(), ${((result.busy ?? 0) * 100).toFixed(0)} % of the time in send()`;
				const predicted = result.predicted === undefined ? '' : ` (${result.predicted} by header prediction)`;
				const frames = result.framesSent === undefined ? '' : `; ${result.framesReceived} frames in${predicted}, ${result.framesSent} out, ${busy}`;
				// CPU per MiB (this process, user + system: the ACKs' send() included) moves less with the load than MB/s.
				const cpu = result.cpuMsPerMib === undefined ? '' : `; ${result.cpuMsPerMib.toFixed(1)} ms CPU per MiB`;
				console.log(`${result.name.padEnd(18)} ${mbps(result).toFixed(0).padStart(6)} MB/s  (${result.seconds.toFixed(2)} s${spread}${frames}${cpu})`);
				if (result.sendUs !== undefined) {
					const perRun = result.sendUsRuns && result.sendUsRuns.length > 1 ? `runs ${result.sendUsRuns.map(value => value.toFixed(1)).join(' / ')} µs per send() at load ${result.loads!.map(value => value.toFixed(1)).join(' / ')}; ` : '';
					console.log(`${''.padEnd(26)}${perRun}${result.byIdle === undefined ? '' : `median run: ${result.byIdle}; `}per segment, the reader woke ${result.readerWakeups!.toFixed(2)} times and ran ${result.readerUs!.toFixed(1)} µs, and the sender was preempted ${result.preempted!.toFixed(2)} times${result.refused ? `; ${result.refused} send()s refused (EAGAIN), sent later` : ''}`);
				}
			}
			for (const direction of ['download', 'upload']) {
				const ours = results.find(result => result.name === `synack ${direction}`);
				const theirs = results.find(result => result.name === `kernel ${direction}`);
				if (ours && theirs) console.log(`ratio ${direction.padEnd(12)} ${(mbps(ours) / mbps(theirs) * 100).toFixed(0).padStart(6)} %`);
			}

			const ours = results.find(result => result.name === 'synack download');
			const floor = results.find(result => result.name === 'cap floor download');
			if (ours && floor) console.log(`synack/cap floor download ${(mbps(ours) / mbps(floor) * 100).toFixed(0).padStart(3)} %  (bare cap loop, ACK every 4th segment)`);
			const upload = results.find(result => result.name === 'synack upload');
			const upFloor = results.find(result => result.name === 'cap floor upload');
			const kernelUp = results.find(result => result.name === 'kernel upload');
			const ofKernel = kernelUp && upFloor ? `; the floor is ${(mbps(upFloor) / mbps(kernelUp) * 100).toFixed(0)} % of the kernel` : '';
			if (upload && upFloor) console.log(`synack/cap floor upload   ${(mbps(upload) / mbps(upFloor) * 100).toFixed(0).padStart(3)} %  (bare cap loop, as the peer's window allows${ofKernel})`);
			const scapy = results.find(result => result.name === 'scapy download');
			if (ours && scapy) console.log(`synack/scapy download ${(mbps(ours) / mbps(scapy)).toFixed(1).padStart(5)} x  (scapy: ${(scapy.bytes / (1 << 20)).toFixed(0)} MiB)`);
		}
	} finally {
		await takeDown();
	}
}

await main();
