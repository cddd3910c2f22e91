// RFC 864: lines of 72 printable ASCII characters (codes 32 to 126), each line starting one character
// further along, ended by CR LF. After 95 lines the pattern repeats.
const printable = Array.from({length: 95}, (_, index) => String.fromCodePoint(32 + index)).join('');
const lineLength = 72;

function chargenCycle(): Buffer {
	const lines: string[] = [];
	for (let start = 0; start < printable.length; start++) {
		const twice = printable + printable;
		lines.push(`${twice.slice(start, start + lineLength)}\r\n`);
	}

	return Buffer.from(lines.join(''), 'latin1');
}

/** One full cycle of the pattern (95 lines of 74 bytes). */
export const chargenCycleBytes = chargenCycle();

/** Whole cycles, about 64 KiB: a chunk to write again and again, the stream staying one pattern. */
export const chargenChunk = Buffer.concat(Array.from({length: Math.floor(65_536 / chargenCycleBytes.length)}, () => chargenCycleBytes));

/**
 * Whole cycles, about 1 MiB: what the lab's HTTP server writes from, a slice at a time, with no copy.
 * A bulk body written 64 KiB at a time, each a fresh copy, cost the server's kernel peer half its
 * throughput on a 2-CPU machine (bench/floor-steps.ts, s1).
 */
export const chargenBlock = Buffer.concat(Array.from({length: Math.floor((1 << 20) / chargenCycleBytes.length)}, () => chargenCycleBytes));

/** Bytes `offset` to `offset + length` of the endless pattern. */
export function chargenSlice(offset: number, length: number): Buffer {
	const out = Buffer.allocUnsafe(length);
	let written = 0;
	let position = offset % chargenCycleBytes.length;
	while (written < length) {
		const copied = chargenCycleBytes.copy(out, written, position, Math.min(chargenCycleBytes.length, position + length - written));
		written += copied;
		position = 0;
	}

	return out;
}

/**
 * Whether `bytes` are the pattern's octets from `offset` on. Compared in place against whole cycles,
 * with no copy: a bulk download's check (bench/bulk.ts) must cost next to nothing, since the
 * kernel's client it is measured against checks nothing.
 */
export function isChargenAt(offset: number, bytes: Uint8Array): boolean {
	let checked = 0;
	let position = offset % chargenCycleBytes.length;
	while (checked < bytes.length) {
		const length = Math.min(bytes.length - checked, chargenChunk.length - position);
		if (chargenChunk.compare(bytes, checked, checked + length, position, position + length) !== 0) return false;
		checked += length;
		position = (position + length) % chargenCycleBytes.length;
	}

	return true;
}
