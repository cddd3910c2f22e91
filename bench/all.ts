// `npm run bench`: every benchmark, one after the other, each in its own process (and each lab bench
// on its own lab), then one table. Figures are ratios against baselines measured in the same run
// where there is one, and each target says whether it was met. `--json` prints the table and each
// bench's own figures as JSON (`npm run -s bench -- --json`: -s keeps npm's banner out of it).
// Lab benchmarks (bulk, key to wire, flood) need root; key to wire and flood run the built program
// (`npm run bench` builds first).
// Run: npm run bench [-- --json] [--only NAME,NAME]   NAME: bulk decode log-scale key-to-wire flood
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {availableParallelism, loadavg} from 'node:os';
import {parseArgs} from 'node:util';
import {labPrivilegeProblem} from '../source/lab/index.js';

const {values} = parseArgs({options: {json: {type: 'boolean', default: false}, only: {type: 'string'}}});
const root = new URL('../', import.meta.url).pathname;

type Row = {
	readonly bench: string;
	readonly measure: string;
	readonly value: string;
	/** The baseline measured in the same run, or the ratio to it. */
	readonly beside: string;
	readonly target: string;
	/** undefined: no target. */
	readonly met: boolean | undefined;
};

type Bench = {
	readonly name: string;
	readonly script: string;
	readonly nodeFlags?: readonly string[];
	readonly env?: Readonly<Record<string, string>>;
	readonly lab: boolean;
	readonly needsBuild?: boolean;
	readonly timeLimitMs: number;
	readonly rows: (result: any) => Row[];
};

const mb = (value: number) => `${value.toFixed(0)} MB/s`;
const ms = (value: unknown) => (typeof value === 'number' ? `${value.toFixed(2)} ms` : '-');
const count = (value: unknown) => (typeof value === 'number' ? Math.round(value).toLocaleString('en-US') : '-');

const benches: readonly Bench[] = [
	{
		name: 'bulk',
		script: 'bench/bulk.ts',
		lab: true,
		timeLimitMs: 300_000,
		rows(results: Array<{name: string; bytes: number; mbps: number; runs?: number[]}>) {
			const find = (name: string) => results.find(result => result.name === name);
			const rows: Row[] = [];
			for (const direction of ['download', 'upload']) {
				const ours = find(`synack ${direction}`);
				const kernel = find(`kernel ${direction}`);
				if (!ours || !kernel) continue;
				rows.push({bench: 'bulk', measure: `${direction} 64 MiB, auto mode, median of ${ours.runs?.length ?? 1}`, value: mb(ours.mbps), beside: `kernel ${mb(kernel.mbps)}: ${(ours.mbps / kernel.mbps * 100).toFixed(0)} %; synack's runs ${(ours.runs ?? [ours.mbps]).map(value => value.toFixed(0)).join(' / ')}`, target: '', met: undefined});
			}

			const ours = find('synack download');
			const floor = find('cap floor download');
			if (ours && floor) rows.push({bench: 'bulk', measure: 'download beside a bare cap loop', value: mb(ours.mbps), beside: `cap floor ${mb(floor.mbps)} (no engine, no log, ACK every 4th): synack ${(ours.mbps / floor.mbps * 100).toFixed(0)} %`, target: '', met: undefined});
			const upload = find('synack upload');
			const upFloor = find('cap floor upload');
			const kernelUp = find('kernel upload');
			if (upload && upFloor) rows.push({bench: 'bulk', measure: 'upload beside a bare cap loop', value: mb(upload.mbps), beside: `cap floor ${mb(upFloor.mbps)} (no engine, no log, as the window allows${kernelUp ? `; ${(upFloor.mbps / kernelUp.mbps * 100).toFixed(0)} % of the kernel` : ''}): synack ${(upload.mbps / upFloor.mbps * 100).toFixed(0)} %`, target: '', met: undefined});
			const scapy = find('scapy download');
			rows.push(scapy && ours
				? {bench: 'bulk', measure: `download beside scapy (${(scapy.bytes / (1 << 20)).toFixed(0)} MiB)`, value: mb(ours.mbps), beside: `scapy ${(scapy.mbps).toFixed(1)} MB/s: synack ${(ours.mbps / scapy.mbps).toFixed(1)} x`, target: '', met: undefined}
				: {bench: 'bulk', measure: 'download beside scapy', value: '-', beside: 'skipped: scapy is not importable by /usr/bin/python3 (apt-get install python3-scapy)', target: '', met: undefined});
			return rows;
		},
	},
	{
		name: 'decode',
		script: 'bench/decode.ts',
		lab: false,
		timeLimitMs: 120_000,
		rows: result => [{bench: 'decode', measure: 'full decodes (Ethernet+IPv4+TCP)', value: `${count(result.decodesPerSecond)}/s`, beside: `copy ${count(result.baselinePerSecond)}/s: ${(result.ratio * 100).toFixed(1)} %`, target: '', met: undefined}],
	},
	{
		name: 'log-scale',
		script: 'bench/log-scale.ts',
		nodeFlags: ['--expose-gc'],
		needsBuild: true,
		// React's production build, as bin/synack.js runs it.
		env: {NODE_ENV: process.env['NODE_ENV'] ?? 'production'},
		lab: false,
		timeLimitMs: 240_000,
		rows(result) {
			const rows: Row[] = [
				{bench: 'log scale', measure: `${count(result.frames)} frames through a session`, value: `${(result.fillSeconds as number).toFixed(1)} s`, beside: `${count(result.framesPerSecond)} frames/s${result.inOrder ? '' : ', NOT all in order'}`, target: '', met: undefined},
				{bench: 'log scale', measure: `RSS with ${count(result.frames)} frames seen (${count(result.held)} held), as bin/synack.js runs`, value: `${(result.productionRssMiB as number).toFixed(0)} MiB`, beside: `${(result.rssMiB as number).toFixed(0)} MiB under tsx, which adds ${(result.tsxMiB as number).toFixed(0)}; ${(result.baselineRssMiB as number).toFixed(0)} MiB before${result.gc ? '' : ' (no GC: --expose-gc missing)'}`, target: '< 300 MB', met: result.productionRssMiB * 1.048_576 < 300},
			];
			for (const [size, renders] of Object.entries(result.renderMs as Record<string, Record<string, number>>)) {
				const times = Object.values(renders);
				const paging = (result.pagingMs as Record<string, number> | undefined)?.[size];
				rows.push({bench: 'log scale', measure: `log pane render ${size} in colour, 100/100k/${count(result.frames)} (React ${String(result.react)} build)`, value: ms(Math.max(...times)), beside: times.map(time => time.toFixed(1)).join(' / ') + ' ms' + (paging === undefined ? '' : `; paging, every row new, ${paging.toFixed(1)}`), target: '< 16 ms', met: Math.max(...times) < 16});
			}

			return rows;
		},
	},
	{
		name: 'key-to-wire',
		script: 'bench/key-to-wire.ts',
		lab: true,
		needsBuild: true,
		timeLimitMs: 200_000,
		rows: result => [
			{bench: 'key to wire', measure: `s to SYN on the peer's veth, median (${String(result.seen)} presses)`, value: ms(result.medianMs), beside: '', target: '< 5 ms', met: result.medianMs < 5},
			{bench: 'key to wire', measure: 'p99', value: ms(result.p99Ms), beside: `max ${ms(result.maxMs)}`, target: '< 20 ms', met: result.p99Ms < 20},
		],
	},
	{
		name: 'flood',
		script: 'bench/flood.ts',
		lab: true,
		needsBuild: true,
		timeLimitMs: 240_000,
		rows: result => [
			{bench: 'flood', measure: `peer sends for ${String(result.seconds)} s`, value: `${count(result.sentPerSecond)}/s`, beside: `${count(result.sent)} sent, ${count(result.interfaceRx)} at the interface`, target: '', met: undefined},
			{bench: 'flood', measure: 'in synack\'s pcap file', value: `${count(result.pcapFlood)} (${count(result.takenPerSecond)}/s)`, beside: `not in it: ${count(result.droppedEstimate)} (estimate from interface counters${result.drained ? '' : '; the TUI had not drained its capture buffer'})`, target: '', met: undefined},
			{bench: 'flood', measure: 'delivered but missing from the pcap file', value: result.lostFromFile === undefined ? 'unknown' : count(result.lostFromFile), beside: result.lostFromFile === undefined ? `the TUI was still working through its backlog after ${String(result.drainLimit)} s` : `log ${count(result.logFrames)} + ${count(result.notLogged ?? 0)} not logged, file ${count(result.pcapRecords)}`, target: '0', met: result.lostFromFile === undefined ? false : result.lostFromFile === 0},
			{bench: 'flood', measure: 'key (n) to screen during the flood, worst', value: result.keyUnanswered > 0 ? 'no answer' : ms(result.keyWorstMs), beside: `median ${ms(result.keyMedianMs)} over ${String(result.presses)} presses; ${String(result.keySlow)} over 2 s, ${String(result.keyUnanswered)} never answered`, target: '', met: undefined},
		],
	},
];

let current: ReturnType<typeof spawn> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	// The running bench tears its lab down on a signal: wait for it, then go. Ctrl-C reaches it
	// already (one process group); a second SIGINT would cut its teardown short. SIGTERM is ours alone.
	process.on(signal, () => {
		const code = signal === 'SIGINT' ? 130 : 143;
		if (!current) process.exit(code);
		if (signal === 'SIGTERM') current.kill('SIGTERM');
		current.once('exit', () => process.exit(code));
	});
}

function runBench(bench: Bench): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [...(bench.nodeFlags ?? []), '--import', 'tsx', bench.script, '--json'], {cwd: root, env: {...process.env, ...bench.env}, stdio: ['ignore', 'pipe', 'pipe']});
		current = child;
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => {
			stdout += text;
		});
		child.stderr.setEncoding('utf8').on('data', (text: string) => {
			stderr += text;
		});
		const timer = setTimeout(() => child.kill('SIGTERM'), bench.timeLimitMs);
		child.once('exit', code => {
			clearTimeout(timer);
			current = undefined;
			const last = stdout.trim().split('\n').at(-1) ?? '';
			try {
				if (code !== 0) throw new Error('exit');
				resolve(JSON.parse(last));
			} catch {
				const why = (stderr.trim().split('\n').filter(line => line.trim() !== '').at(-1) ?? last) || `exit ${code ?? 'on a signal'}`;
				reject(new Error(why.slice(0, 200)));
			}
		});
	});
}

const only = values.only?.split(',');
const labProblem = labPrivilegeProblem();
const rows: Row[] = [];
/** Each bench's own JSON, for --json: the figures as numbers. */
const results: Record<string, unknown> = {};
const started = performance.now();
for (const bench of benches) {
	if (only && !only.includes(bench.name)) continue;
	const skip = bench.lab && labProblem !== undefined
		? `skipped: needs a lab (${labProblem})`
		: bench.needsBuild && !existsSync(`${root}dist/cli.js`) ? 'skipped: build first (npm run build)' : undefined;
	if (skip) {
		rows.push({bench: bench.name, measure: '', value: '-', beside: skip, target: '', met: undefined});
		continue;
	}

	if (!values.json) process.stderr.write(`${bench.name}...\n`);
	const benchStart = performance.now();
	try {
		const result = await runBench(bench);
		results[bench.name] = result;
		rows.push(...bench.rows(result));
	} catch (error) {
		rows.push({bench: bench.name, measure: '', value: 'failed', beside: error instanceof Error ? error.message : String(error), target: '', met: false});
	}

	if (!values.json) process.stderr.write(`${bench.name}: ${((performance.now() - benchStart) / 1000).toFixed(0)} s\n`);
}

const seconds = (performance.now() - started) / 1000;
// Latencies move with what else runs on the machine: the load while the benchmarks ran says how much.
const load = loadavg()[1]!;
if (values.json) {
	console.log(JSON.stringify({seconds, load5: load, cpus: availableParallelism(), rows: rows.map(row => ({...row, met: row.met ?? null})), results}));
} else {
	const headings = ['bench', 'measure', 'value', 'beside (same run)', 'target', 'met'];
	const table = rows.map(row => [row.bench, row.measure, row.value, row.beside, row.target, row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
	// A Markdown table: paste it into README.md's Performance section as it is.
	const widths = headings.map((heading, column) => Math.max(heading.length, ...table.map(cells => cells[column]!.length)));
	const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
	console.log(line(headings));
	console.log(`| ${widths.map(width => '-'.repeat(width)).join(' | ')} |`);
	for (const cells of table) console.log(line(cells));
	console.log(`\n${new Date().toISOString().slice(0, 10)}, ${seconds.toFixed(0)} s, node ${process.version}, ${availableParallelism()} CPUs, load average ${load.toFixed(1)} over the last 5 minutes`);
}
