// What copying one full-sized frame costs by the memory it goes into (issue #19): a small ring used
// again and again (the baseline, hot in cache), fresh 64 KiB blocks that are kept (as the packet log
// keeps frames, allocating as it goes), a 96 MiB ring on its first lap (fresh pages) and on its next
// (memory used before), and 4 MiB buffers whose pages were touched first. Prints µs per copy and the
// ratio to the baseline, measured in the same run.
// Run: node --import tsx bench/copy-memory.ts [--frames N]
import {parseArgs} from 'node:util';

const {values} = parseArgs({options: {frames: {type: 'string', default: '150000'}}});
const frames = Number(values.frames);
if (!(Number.isInteger(frames) && frames >= 1000 && frames <= 1_000_000)) {
	console.error('copy-memory: --frames takes 1000 to 1000000');
	process.exit(2);
}

const frameLength = 1514;
const stride = 1520;
const source = new Uint8Array(frameLength).fill(7);

/** µs per copy of `source` into the views `next` hands out, `frames` times. */
function measure(next: () => Uint8Array<ArrayBufferLike>): number {
	const start = performance.now();
	for (let index = 0; index < frames; index++) next().set(source);
	return (performance.now() - start) * 1000 / frames;
}

function ring(size: number): () => Uint8Array {
	const memory = new Uint8Array(size);
	let at = 0;
	return () => {
		if (at + frameLength > memory.length) at = 0;
		const view = memory.subarray(at, at + frameLength);
		at += stride;
		return view;
	};
}

function freshBlocks(size: number, touch: boolean, kept: Array<Uint8Array<ArrayBufferLike>>): () => Uint8Array<ArrayBufferLike> {
	let block: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
	let at = size;
	return () => {
		if (at + frameLength > size) {
			block = touch ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size);
			if (touch) for (let page = 0; page < size; page += 4096) block[page] = 0;
			kept.push(block);
			at = 0;
		}

		const view = block.subarray(at, at + frameLength);
		at += stride;
		return view;
	};
}

const baseline = measure(ring(4 << 20));
const rows: Array<[string, number]> = [['a 4 MiB ring used again (baseline)', baseline]];
const kept: Array<Uint8Array<ArrayBufferLike>> = [];
rows.push(['fresh 64 KiB blocks, kept', measure(freshBlocks(64 << 10, false, kept))]);
kept.length = 0;
const big = ring(96 << 20);
rows.push(['a 96 MiB ring, first lap', measure(big)], ['a 96 MiB ring, later laps', measure(big)]);
rows.push(['4 MiB buffers, pages touched first (in the timing), kept', measure(freshBlocks(4 << 20, true, kept))]);
console.log(`${frames} copies of ${frameLength} octets`);
for (const [name, us] of rows) console.log(`${name.padEnd(58)} ${us.toFixed(2).padStart(6)} µs  ${(us / baseline).toFixed(1).padStart(5)} x`);
