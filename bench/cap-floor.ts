// The floor under synack's download: a bare receive loop over cap, no engine, no log. It claims
// nothing (the lab's kernel gets a permanent neighbour entry for our address), sends SYN, the GET,
// and one ACK per N in-order data segments, and counts bytes to the server's FIN. What synack's
// download loses against it is synack's own cost; what this loop loses against the kernel is cap's.
// Run: node --import tsx bench/cap-floor.ts [--mib N] [--every N]   (as root)
import {execFileSync} from 'node:child_process';
import {parseArgs} from 'node:util';
import {labDown, labUp} from '../source/lab/index.js';

const {values} = parseArgs({options: {mib: {type: 'string', default: '64'}, every: {type: 'string', default: '1'}, ring: {type: 'string', default: '64'}, cc: {type: 'string'}}});
const total = Number(values.mib) * (1 << 20);
const every = Number(values.every);
const lab = `f${process.pid}`;

function mac(text: string): number[] {
	return text.split(':').map(part => Number.parseInt(part, 16));
}

function ip(text: string): number[] {
	return text.split('.').map(Number);
}

function checksum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
	let sum = initial;
	for (let i = start; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
	if ((end - start) % 2 === 1) sum += bytes[end - 1]! << 8;
	while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
	return ~sum & 0xffff;
}

async function main(): Promise<void> {
	const info = await labUp({name: lab, subnet: '198.18.210.0/24', held: true});
	if (values.cc) execFileSync('ip', ['netns', 'exec', info.namespace, 'sysctl', '-q', `net.ipv4.tcp_congestion_control=${values.cc}`]);
	const ours = info.subnet.replace(/\.0\/\d+$/, '.10');
	execFileSync('ip', ['-n', info.namespace, 'neigh', 'replace', ours, 'lladdr', info.mac, 'dev', info.peerInterface, 'nud', 'permanent']);
	const capModule = (await import('cap')) as unknown as {default: {Cap: new () => any}};
	const cap = new capModule.default.Cap();
	const buffer = Buffer.alloc(65_536);
	cap.open(info.interface, `tcp and src host ${info.peerAddress}`, Number(values.ring) << 20, buffer);
	const frame = Buffer.alloc(54 + 64);
	Buffer.from([...mac(info.peerMac), ...mac(info.mac), 8, 0]).copy(frame, 0);
	const sport = 40_000 + (process.pid % 20_000);
	let snd = 1000;
	let rcv = 0;
	function send(flags: number, payload: Uint8Array = new Uint8Array(0), options: readonly number[] = []): void {
		const header = 20 + options.length;
		const length = 20 + header + payload.length;
		frame.set([0x45, 0, length >> 8, length & 0xff, 0, 0, 0x40, 0, 64, 6, 0, 0, ...ip(ours), ...ip(info.peerAddress)], 14);
		frame.writeUInt16BE(checksum(frame, 14, 34), 24);
		frame.writeUInt16BE(sport, 34);
		frame.writeUInt16BE(80, 36);
		frame.writeUInt32BE(snd >>> 0, 38);
		frame.writeUInt32BE(rcv >>> 0, 42);
		frame[46] = (header / 4) << 4;
		frame[47] = flags;
		frame.writeUInt16BE(flags & 2 ? 65535 : 65535, 48);
		frame.writeUInt16BE(0, 50);
		frame.writeUInt16BE(0, 52);
		frame.set(options, 54);
		frame.set(payload, 34 + header);
		let pseudo = 6 + header + payload.length;
		for (const part of [...ip(ours), ...ip(info.peerAddress)].reduce<number[]>((words, byte, i) => (i % 2 ? (words[words.length - 1]! |= byte, words) : [...words, byte << 8]), [])) pseudo += part;
		frame.writeUInt16BE(checksum(frame, 34, 34 + header + payload.length, pseudo), 50);
		cap.send(frame, 34 + header + payload.length);
	}

	let received = 0;
	let unacked = 0;
	let start = 0;
	let usage = process.resourceUsage();
	let done!: () => void;
	const finished = new Promise<void>(resolve => {
		done = resolve;
	});
	cap.on('packet', (nbytes: number) => {
		const ihl = (buffer[14]! & 15) * 4;
		const tcp = 14 + ihl;
		const flags = buffer[tcp + 13]!;
		const seq = buffer.readUInt32BE(tcp + 4);
		const dataStart = tcp + (buffer[tcp + 12]! >> 4) * 4;
		const totalLength = buffer.readUInt16BE(16);
		const data = 14 + totalLength - dataStart;
		if ((flags & 0x12) === 0x12) {
			rcv = (seq + 1) >>> 0;
			snd = (snd + 1) >>> 0;
			send(0x10);
			const request = Buffer.from(`GET /bytes/${total} HTTP/1.0\r\n\r\n`);
			send(0x18, request);
			snd = (snd + request.length) >>> 0;
			start = performance.now();
			usage = process.resourceUsage();
			return;
		}

		if (seq === rcv && data > 0) {
			rcv = (rcv + data) >>> 0;
			received += data;
			if (++unacked >= every) {
				unacked = 0;
				send(0x10);
			}
		}

		if (flags & 1) {
			rcv = (rcv + 1) >>> 0;
			send(0x11);
			const seconds = (performance.now() - start) / 1000;
			console.log(`cap floor, ACK every ${every}: ${(received / seconds / 1e6).toFixed(0)} MB/s (${received} bytes, ${seconds.toFixed(2)} s)`);
			const after = process.resourceUsage();
			const segments = received / 1448;
			console.log(`  per segment: ${((after.userCPUTime - usage.userCPUTime) / segments).toFixed(1)} µs user, ${((after.systemCPUTime - usage.systemCPUTime) / segments).toFixed(1)} µs system, ${after.minorPageFault - usage.minorPageFault} faults, ${after.voluntaryContextSwitches - usage.voluntaryContextSwitches} waits`);
			done();
		}
	});
	try {
		send(0x02, undefined, [2, 4, 0x05, 0xb4, 1, 3, 3, 7]);
		await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error('time limit')), 60_000))]);
	} finally {
		cap.close();
		await labDown(lab);
	}
}

console.error(`pid ${process.pid}`);
await main();
