// Key to wire: `synack lab` in a pseudo-terminal (bench/tui-pty.py), the time from writing `s` to the
// terminal to the SYN arriving on the peer's side of the lab's veth (an AF_PACKET socket in the lab's
// namespace, kernel receive timestamps; the keypress stamped with the same clock, CLOCK_REALTIME).
// `r` (RST) after each SYN-ACK puts the connection back in CLOSED, so every `s` sends a fresh SYN.
// Run: node --import tsx bench/key-to-wire.ts [--presses N] [--json]   (as root; needs npm run build)
import {parseArgs} from 'node:util';
import {benchSubnet, fixed, runPtyBench} from './pty-bench.js';

const {values} = parseArgs({options: {presses: {type: 'string', default: '200'}, json: {type: 'boolean', default: false}}});
const lab = `kw${process.pid}`;
const result = await runPtyBench(lab, ['keys', lab, benchSubnet(210), values.presses], 180_000);
if (values.json) {
	console.log(JSON.stringify(result));
} else {
	console.log(`key to wire, ${String(result['seen'])} of ${String(result['presses'])} presses (after ${String(result['warmup'])} not counted)`);
	console.log(`median ${fixed(result['medianMs'], 2)} ms   p99 ${fixed(result['p99Ms'], 2)} ms   max ${fixed(result['maxMs'], 2)} ms   (targets: median < 5 ms, p99 < 20 ms)`);
}
