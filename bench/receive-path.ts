// synack's own receive path, without the network: a session in auto mode takes N in-order data
// segments (1460 octets each) from a scripted peer over an in-memory link, as fast as it can, and
// ACKs them. What it measures is decode + packet log + engine + auto mode per frame, free of the
// kernel, libpcap and whatever else the machine is doing to the lab. The baseline, measured in the
// same run, is the bare cost of the in-memory link (a listener that only counts the frames).
// Run: node --import tsx bench/receive-path.ts [--frames N] [--log-size N] [--json]
import {parseArgs} from 'node:util';
import {labTimings} from '../source/iface/arp-claim.js';
import {createMemoryLinkPair} from '../source/link/memory-link.js';
import {autoPolicies} from '../source/session/auto-policies.js';
import {PacketLog} from '../source/session/packet-log.js';
import {Session} from '../source/session/session.js';
import {arpFrame, tcpFrame} from '../source/wire/builders.js';
import {decodeFrame} from '../source/wire/decode.js';
import {arpOperations, tcpFlags} from '../source/wire/records.js';

const {values} = parseArgs({options: {frames: {type: 'string', default: '200000'}, 'log-size': {type: 'string'}, json: {type: 'boolean', default: false}}});
const frames = Number(values.frames);
const logSize = values['log-size'] === undefined ? undefined : Number(values['log-size']);
const segment = 1460;
const batch = 64;
const ours = {ip: 0xc6_12_00_02, mac: 0x02_00_00_00_00_02};
const peer = {ip: 0xc6_12_00_01, mac: 0x02_00_00_00_00_01, port: 80};
const payload = new Uint8Array(segment).fill(0x61);

type Result = {readonly frames: number; readonly seconds: number; readonly cpuSeconds: number; readonly faults: number};

/** Sends the peer's frames in batches of `batch`, a macrotask apart, so that auto mode's ACKs of a batch go out between them as they would between two reads of a capture. */
async function pump(send: (index: number) => void, count: number, done: () => boolean): Promise<Result> {
	const usage = process.resourceUsage();
	const start = performance.now();
	let sent = 0;
	await new Promise<void>((resolve, reject) => {
		const limit = setTimeout(() => reject(new Error('not done within 120 s')), 120_000);
		const step = () => {
			for (let i = 0; i < batch && sent < count; i++) send(sent++);
			if (sent < count || !done()) {
				setImmediate(step);
				return;
			}

			clearTimeout(limit);
			resolve();
		};

		step();
	});
	const seconds = (performance.now() - start) / 1000;
	const after = process.resourceUsage();
	return {frames: count, seconds, cpuSeconds: (after.userCPUTime + after.systemCPUTime - usage.userCPUTime - usage.systemCPUTime) / 1e6, faults: after.minorPageFault - usage.minorPageFault};
}

/** The bare link: the same frames through a pair of in-memory links to a listener that counts them. */
async function baseline(): Promise<Result> {
	const [a, b] = createMemoryLinkPair({name: 'a', mac: ours.mac}, {name: 'b', mac: peer.mac});
	let received = 0;
	a.onFrame(() => {
		received++;
	});
	const frame = dataFrame(0, 0, 0);
	try {
		return await pump(() => b.send(frame), frames, () => received === frames);
	} finally {
		a.close();
		b.close();
	}
}

function dataFrame(port: number, seq: number, ack: number): Uint8Array {
	return tcpFrame({sourceMac: peer.mac, destinationMac: ours.mac, source: peer.ip, destination: ours.ip, sourcePort: peer.port, destinationPort: port, seq, ack, flags: tcpFlags.ACK, window: 65_535, payload});
}

async function session(): Promise<Result> {
	const [a, b] = createMemoryLinkPair({name: 'a', mac: ours.mac}, {name: 'b', mac: peer.mac});
	const synack = new Session({
		link: a,
		ip: ours.ip,
		network: 0xc6_12_00_00,
		prefixLength: 24,
		timings: labTimings,
		probe: false,
		connection: {receiveBuffer: 1 << 30},
		...(logSize === undefined ? {} : {log: new PacketLog(logSize)}),
	});
	// The scripted peer: answers ARP for its address, and the SYN with a SYN-ACK (window scale 7).
	let ourPort = 0;
	let ourIss = 0;
	const isn = 1_000_000;
	b.onFrame(({bytes}) => {
		const frame = decodeFrame(bytes);
		if (frame.arp?.operation === arpOperations.request && frame.arp.targetIp === peer.ip) {
			b.send(arpFrame({operation: arpOperations.reply, senderMac: peer.mac, senderIp: peer.ip, targetMac: ours.mac, targetIp: ours.ip}));
		} else if (frame.tcp && (frame.tcp.flags & tcpFlags.SYN) !== 0) {
			ourPort = frame.tcp.sourcePort;
			ourIss = frame.tcp.seq;
			b.send(tcpFrame({
				sourceMac: peer.mac, destinationMac: ours.mac, source: peer.ip, destination: ours.ip, sourcePort: peer.port, destinationPort: ourPort,
				seq: isn, ack: (ourIss + 1) >>> 0, flags: tcpFlags.SYN | tcpFlags.ACK, window: 65_535,
				options: [{kind: 'mss', value: segment}, {kind: 'wscale', shift: 7}],
			}));
		}
	});
	try {
		await synack.host.claimed();
		synack.setAuto(autoPolicies);
		const id = await synack.connect({ip: peer.ip, port: peer.port});
		let read = 0;
		synack.serve(id, () => ({
			name: 'bench',
			data(chunk) {
				read += chunk.length;
			},
		}));
		synack.syn(id);
		await new Promise<void>((resolve, reject) => {
			const limit = setTimeout(() => reject(new Error('no handshake within 5 s')), 5000);
			const off = synack.subscribe(() => {
				if (synack.tcb(id).state !== 'ESTABLISHED') return;
				clearTimeout(limit);
				off();
				resolve();
			});
		});
		// Frames are built before the clock starts: building them is the peer's work, not ours.
		const built = Array.from({length: frames}, (_, index) => dataFrame(ourPort, (isn + 1 + (index * segment)) >>> 0, (ourIss + 1) >>> 0));
		return await pump(index => b.send(built[index]!), frames, () => read === frames * segment);
	} finally {
		synack.close();
		a.close();
		b.close();
	}
}

const bare = await baseline();
const full = await session();
const perFrame = (result: Result) => result.cpuSeconds / result.frames * 1e6;
const rate = (result: Result) => result.frames / result.seconds;
if (values.json) {
	console.log(JSON.stringify({frames, logSize: logSize ?? 100_000, baseline: bare, session: full}));
} else {
	console.log(`${frames} in-order segments of ${segment} octets over an in-memory link, log size ${logSize ?? 100_000}`);
	console.log(`bare link            ${rate(bare).toFixed(0).padStart(8)} frames/s  ${perFrame(bare).toFixed(2).padStart(6)} µs CPU/frame  ${bare.faults} page faults`);
	console.log(`session, auto mode   ${rate(full).toFixed(0).padStart(8)} frames/s  ${perFrame(full).toFixed(2).padStart(6)} µs CPU/frame  ${full.faults} page faults`);
	console.log(`session / bare link  ${(rate(full) / rate(bare) * 100).toFixed(0).padStart(8)} %  (${(rate(full) * segment / 1e6).toFixed(0)} MB/s of payload)`);
}
