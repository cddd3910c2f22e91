// Decode throughput: full Ethernet + IPv4 + TCP (with options) decodes per second over a large
// synthetic capture, beside a baseline measured in the same run (a plain byte-sum pass over the same
// frames, the copy every live frame gets out of cap's buffer), so the figure compares across machines.
// Run: npm run bench:decode [-- --frames N]
import {parseArgs} from 'node:util';
import {decodeFrame} from '../source/wire/decode.js';
import {tcpFrame} from '../source/wire/builders.js';
import {tcpFlags} from '../source/wire/records.js';

const {values} = parseArgs({options: {frames: {type: 'string', default: '1000000'}, json: {type: 'boolean', default: false}}});
const count = Number(values.frames);

// A pool of distinct frames (varied sizes, flags, options), larger than the CPU caches, walked
// round-robin `count` times in all.
const pool: Uint8Array[] = [];
for (let i = 0; i < 65_536; i++) {
	const payload = new Uint8Array(i % 3 === 0 ? 0 : (i * 37) % 1448).fill(i & 0xff);
	pool.push(tcpFrame({
		sourceMac: 0x02_00_00_00_00_0a,
		destinationMac: 0x02_00_00_00_00_02,
		source: 0xc6_12_00_0a,
		destination: 0xc6_12_00_02,
		sourcePort: 40_000 + i,
		destinationPort: 80,
		seq: (i * 2_654_435_761) >>> 0,
		ack: (i * 40_503) >>> 0,
		flags: i === 0 ? tcpFlags.SYN : tcpFlags.ACK | (payload.length > 0 ? tcpFlags.PSH : 0),
		options: i % 4 === 0
			? [{kind: 'mss', value: 1460}, {kind: 'sackOK'}, {kind: 'timestamps', value: i, echo: i - 1}, {kind: 'nop'}, {kind: 'wscale', shift: 7}]
			: [{kind: 'nop'}, {kind: 'nop'}, {kind: 'timestamps', value: i, echo: i - 1}],
		payload,
	}));
}

function run(label: string, work: (frame: Uint8Array) => number): {label: string; perSecond: number; seconds: number} {
	let sink = 0;
	// Warm up the JIT on the same code path before timing.
	for (let i = 0; i < 50_000; i++) sink += work(pool[i % pool.length]!);
	const start = process.hrtime.bigint();
	for (let i = 0; i < count; i++) sink += work(pool[i % pool.length]!);
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	if (sink === 0.5) console.log('unreachable');
	return {label, perSecond: count / seconds, seconds};
}

// Three rounds, the two interleaved, each figure the median round: the machine may be shared, and a
// neighbour's burst during one short round should not pass for either rate.
const copyFrame = (frame: Uint8Array) => frame.slice().length;
const decodeOne = (frame: Uint8Array) => {
	const decoded = decodeFrame(frame);
	return decoded.tcp ? decoded.tcp.seq & 1 : 0;
};
const rounds = {baseline: [] as Array<ReturnType<typeof run>>, decode: [] as Array<ReturnType<typeof run>>};
for (let round = 0; round < 3; round++) {
	rounds.baseline.push(run('copy (baseline)', copyFrame));
	rounds.decode.push(run('decodeFrame', decodeOne));
}

const median = (results: Array<ReturnType<typeof run>>) => results.sort((a, b) => a.perSecond - b.perSecond)[Math.floor(results.length / 2)]!;
const baseline = median(rounds.baseline);
const decode = median(rounds.decode);

if (values.json) {
	console.log(JSON.stringify({frames: count, decodesPerSecond: Math.round(decode.perSecond), baselinePerSecond: Math.round(baseline.perSecond), ratio: decode.perSecond / baseline.perSecond}));
} else {
	const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
	console.log(`frames            ${fmt(count)} (Ethernet + IPv4 + TCP with options, 54..1514 bytes)`);
	console.log(`decodeFrame       ${fmt(decode.perSecond)} frames/s  (${decode.seconds.toFixed(2)} s, the median of 3 rounds)`);
	console.log(`baseline          ${fmt(baseline.perSecond)} frames/s  (copying each frame once, as the live link does)`);
	console.log(`ratio             ${(decode.perSecond / baseline.perSecond).toFixed(3)} of the baseline's rate`);
}
