// Flood: the lab's peer sends pre-built TCP segments (ACKs to port 1, where nothing listens; manual
// mode answers nothing) to synack's address and MAC as fast as one AF_PACKET socket in the lab's
// namespace can, for 10 s, while `synack lab --pcap FILE` runs in a pseudo-terminal (bench/tui-pty.py).
// Reports frames sent, frames the interface received, records in synack's pcap file (what it
// captured), the capture's drops estimated from the interface counters (cap has no pcap_stats), and
// how long `n` (relative/absolute, named in the log pane's title) takes to show during the flood.
// Target: no frame pcap delivered is missing from the pcap file (the log's count = the file's records).
// Run: node --import tsx bench/flood.ts [--seconds N] [--drain N] [--json]   (as root; needs npm run build)
import {rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {benchSubnet, fixed, runPtyBench} from './pty-bench.js';

const {values} = parseArgs({options: {seconds: {type: 'string', default: '10'}, drain: {type: 'string', default: '20'}, json: {type: 'boolean', default: false}}});
const lab = `fl${process.pid}`;
const pcap = join(tmpdir(), `synack-bench-flood-${process.pid}.pcap`);
// Also on the way out after a signal (runPtyBench exits from its handler).
process.once('exit', () => rmSync(pcap, {force: true}));
try {
	const result = await runPtyBench(lab, ['flood', lab, benchSubnet(220), pcap, values.seconds, values.drain], 240_000);
	const sent = Number(result['sent']);
	const received = Number(result['interfaceRx']);
	const captured = Number(result['pcapFlood']);
	const summary = {
		...result,
		sentPerSecond: sent / Number(result['seconds']),
		drainLimit: Number(values.drain),
		// Flood frames the interface took in that never reached the pcap file: dropped by the capture,
		// or still in its buffer when the TUI was stopped (it had not drained). An estimate from the
		// interface's counters (cap exposes no pcap_stats).
		droppedEstimate: Math.max(0, received - captured),
		// Every frame the capture delivered was logged or (a flood's overload) counted as not logged;
		// each must be in the pcap file, which is written as frames arrive.
		lostFromFile: typeof result['logFrames'] === 'number' ? Math.max(0, Number(result['logFrames']) + Number(result['notLogged'] ?? 0) - Number(result['pcapRecords'])) : undefined,
	};
	if (values.json) {
		console.log(JSON.stringify(summary));
	} else {
		const n = (value: number) => Math.round(value).toLocaleString('en-US');
		console.log(`flood ${values.seconds} s: sent ${n(sent)} (${n(summary.sentPerSecond)}/s), interface received ${n(received)}, in synack's pcap file ${n(captured)} (${n(Number(result['takenPerSecond']))}/s from the first flood frame to the TUI's end)`);
		console.log(`not in the pcap file (estimate from interface counters: dropped by the capture${result['drained'] ? '' : ', or still in its buffer when the TUI was stopped'}) ${n(summary.droppedEstimate)}`);
		console.log(summary.lostFromFile === undefined
			? `log's frame count unknown: the TUI had not worked through its backlog within ${values.drain} s`
			: `log ${n(Number(result['logFrames']))} frames + ${n(Number(result['notLogged'] ?? 0))} not logged (overloaded), pcap file ${n(Number(result['pcapRecords']))} records: ${summary.lostFromFile} missing from the file`);
		console.log(`n during the flood: median ${fixed(result['keyMedianMs'])} ms, worst ${fixed(result['keyWorstMs'])} ms over ${String(result['presses'])} presses (${String(result['keySlow'])} over 2 s, ${String(result['keyUnanswered'])} never answered)`);
	}
} finally {
	rmSync(pcap, {force: true});
}
