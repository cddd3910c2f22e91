// What one cap send() of a full-sized frame costs on the lab's veth when the peer's kernel does
// (almost) nothing with it: addressed to a MAC nobody has, the frame crosses the veth and is dropped
// as PACKET_OTHERHOST before IP. Against synack's upload, where each send() also runs the peer's
// TCP receive path (bench/bulk prints µs per send()), it splits the cost between cap + libpcap +
// the system call + veth, which batching in synack could touch, and the peer, which it cannot.
// Run (as root): node --import tsx bench/send-cost.ts [--frames N] [--json]
import {parseArgs} from 'node:util';
import type {Cap} from 'cap';
import {labDown, labUp} from '../source/lab/index.js';
import {parseMac} from '../source/wire/addresses.js';

const {values} = parseArgs({options: {frames: {type: 'string', default: '50000'}, json: {type: 'boolean', default: false}}});
const frames = Math.min(1_000_000, Math.max(1, Number(values.frames)));
const name = `sc${process.pid}`;

// Closed captures are kept (bench/cap-floor.ts says why).
const retired: Cap[] = [];

async function main(): Promise<void> {
	const stop = () => {
		void labDown(name).finally(() => process.exit(130));
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const info = await labUp({name, subnet: '198.18.212.0/24', held: true});
	try {
		const {Cap: CapClass} = (await import('cap')).default;
		const cap = new CapClass();
		// A filter nothing matches: this capture only sends.
		cap.open(info.interface, 'ether proto 0x88b5', 1 << 20, Buffer.alloc(65_536));
		const frame = Buffer.alloc(1514, 0x61);
		// Locally administered, unicast, and used by nobody: the peer drops it at once.
		frame.writeUIntBE(0x02_00_5e_00_53_01, 0, 6);
		frame.writeUIntBE(parseMac(info.mac), 6, 6);
		frame.writeUInt16BE(0x08_00, 12);
		try {
			for (let i = 0; i < 1000; i++) cap.send(frame, frame.length);
			const cpu = process.cpuUsage();
			const start = performance.now();
			for (let i = 0; i < frames; i++) cap.send(frame, frame.length);
			const seconds = (performance.now() - start) / 1000;
			const used = process.cpuUsage(cpu);
			const result = {frames, usPerSend: seconds * 1e6 / frames, userUs: used.user / frames, systemUs: used.system / frames};
			if (values.json) console.log(JSON.stringify(result));
			else console.log(`${frames} sends of a 1514-octet frame the peer drops before IP: ${result.usPerSend.toFixed(2)} µs each (${result.userUs.toFixed(2)} µs user + ${result.systemUs.toFixed(2)} µs system CPU)`);
		} finally {
			cap.close();
			retired.push(cap);
		}
	} finally {
		await labDown(name);
	}
}

await main();
