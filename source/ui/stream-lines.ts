// The stream view's rows, built only for the window on screen: a 2 MiB body is ~30,000 rows of
// text, and building (escaping, slicing) each of them on every key press would lag. The layout keeps
// only where each row starts (one number per row, found in one pass as data arrives); the text of a
// row is made when the row is shown.
import type {StreamRun, StreamSide} from '../session/stream-reassembly.js';

export type StreamMode = 'text' | 'hex';

export type StreamRow =
	| {readonly kind: 'data'; readonly side: StreamSide; readonly text: string; readonly offset: number}
	| {readonly kind: 'gap'; readonly side: StreamSide; readonly text: string; readonly offset: number}
	| {readonly kind: 'marker'; readonly side: 'in'; readonly text: string; readonly offset: number};

export type StreamData = {
	readonly runs: readonly StreamRun[];
	readonly bytesOf: (run: StreamRun) => Uint8Array;
};

/** Columns of the `→ ` margin before each row. */
export const marginWidth = 2;

/** Columns a byte takes in text mode; a line feed (and a CR before one) ends the row and shows nothing. */
function byteWidth(byte: number): number {
	if (byte >= 0x20 && byte < 0x7f) return byte === 0x5c ? 2 : 1;
	if (byte === 0x0d || byte === 0x09 || byte === 0x00) return 2;
	return 4;
}

const escapes: Record<number, string> = {0x0d: '\\r', 0x09: '\\t', 0x00: '\\0', 0x5c: '\\\\'};

/** A row's octets as text: printable ASCII as is, `\r \t \0 \\`, the rest `\xNN`. */
export function escapeText(bytes: Uint8Array, start = 0, end = bytes.length): string {
	let out = '';
	for (let i = start; i < end; i++) {
		const byte = bytes[i]!;
		if (byte === 0x0a || (byte === 0x0d && bytes[i + 1] === 0x0a)) continue;
		if (byte >= 0x20 && byte < 0x7f && byte !== 0x5c) out += String.fromCharCode(byte);
		else out += escapes[byte] ?? `\\x${byte.toString(16).padStart(2, '0')}`;
	}

	return out;
}

/** Octets per hex row: 16 when `OFFSET  hh x16  |ascii|` fits, else 8, else 4. */
export function hexPerRow(width: number): number {
	const text = width - marginWidth;
	if (text >= 10 + 16 * 3 + 18) return 16;
	if (text >= 10 + 8 * 3 + 10) return 8;
	return 4;
}

function hexRow(bytes: Uint8Array, offset: number, perRow: number): string {
	let hex = '';
	let ascii = '';
	for (let i = 0; i < perRow; i++) {
		const byte = bytes[i];
		hex += byte === undefined ? '   ' : `${byte.toString(16).padStart(2, '0')} `;
		if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
	}

	return `${offset.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`;
}

/** Where each run's rows start (offsets in its side's stream), laid out once per width and mode. */
type RunRows = {
	run: StreamRun;
	/** Text mode: the offset each row starts at. Hex and gaps need none (arithmetic). */
	starts: number[] | undefined;
	count: number;
};

export class StreamLayout {
	readonly width: number;
	readonly mode: StreamMode;
	/** Rows whose text has been made, over the layout's life: the window's, not the whole stream's. */
	built = 0;
	#runs: RunRows[] = [];
	/** First row of each run. */
	#firstRow: number[] = [];
	#rowCount = 0;

	constructor(width: number, mode: StreamMode) {
		this.width = Math.max(marginWidth + 8, width);
		this.mode = mode;
	}

	get rowCount(): number {
		return this.#rowCount;
	}

	/**
	 * Takes the stream as it is now. Runs already laid out are kept; only a run that grew (the last one
	 * while data arrives) is laid out again, from its last row on. Held data after an open hole (never
	 * final) is laid out afresh each time, and is small.
	 */
	update({runs, bytesOf}: StreamData): void {
		const laid = this.#runs;
		let keep = 0;
		while (keep < runs.length && keep < laid.length && sameRun(laid[keep]!.run, runs[keep]!)) keep++;
		const previous = keep < runs.length && keep < laid.length && grewFrom(laid[keep]!.run, runs[keep]!) ? laid[keep] : undefined;
		laid.length = keep;
		for (let index = keep; index < runs.length; index++) {
			const run = runs[index]!;
			laid.push(this.#layOut(run, bytesOf(run), index === keep ? previous : undefined));
		}

		this.#firstRow = [];
		let row = 0;
		for (const laid of this.#runs) {
			this.#firstRow.push(row);
			row += laid.count;
		}

		this.#rowCount = row;
	}

	/** Rows [start, start + count) with their text, the read marker (octets read `in`) put in its place. */
	rows(data: StreamData, start: number, count: number, marker?: number): StreamRow[] {
		const markerRow = marker === undefined ? undefined : this.markerRow(marker);
		const total = this.#rowCount + (markerRow === undefined ? 0 : 1);
		const out: StreamRow[] = [];
		for (let shown = Math.max(0, start); shown < total && out.length < count; shown++) {
			if (markerRow !== undefined && shown === markerRow) {
				out.push({kind: 'marker', side: 'in', text: `read up to here: ${marker} B read by the application`, offset: marker!});
				continue;
			}

			out.push(this.#row(data, markerRow !== undefined && shown > markerRow ? shown - 1 : shown));
		}

		return out;
	}

	/** Rows on screen: the layout's, and the marker's when there is one. */
	displayRows(marker?: number): number {
		return this.#rowCount + (marker !== undefined && this.markerRow(marker) !== undefined ? 1 : 0);
	}

	/**
	 * Where the marker goes: after the row holding the last octet read (`in` side), or before the
	 * first `in` row when nothing is read. Undefined when the stream has no `in` octets.
	 */
	markerRow(marker: number): number | undefined {
		let firstIn: number | undefined;
		for (const [index, laid] of this.#runs.entries()) {
			const {run} = laid;
			if (run.side !== 'in') continue;
			firstIn ??= this.#firstRow[index]!;
			if (marker === 0) return firstIn;
			if (run.start < marker && marker <= run.end) return this.#firstRow[index]! + this.#rowWithin(laid, marker - 1) + 1;
		}

		return undefined;
	}

	#rowWithin(laid: RunRows, offset: number): number {
		const {run, starts} = laid;
		if (run.gap) return 0;
		if (!starts) return Math.floor((offset - run.start) / hexPerRow(this.width));
		let low = 0;
		let high = starts.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >> 1;
			if (starts[middle]! <= offset) low = middle;
			else high = middle - 1;
		}

		return low;
	}

	#row(data: StreamData, row: number): StreamRow {
		let low = 0;
		let high = this.#firstRow.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >> 1;
			if (this.#firstRow[middle]! <= row) low = middle;
			else high = middle - 1;
		}

		const laid = this.#runs[low]!;
		const {run} = laid;
		const within = row - this.#firstRow[low]!;
		this.built++;
		if (run.gap) return {kind: 'gap', side: run.side, text: `[gap of ${run.end - run.start} bytes]`, offset: run.start};
		const bytes = data.bytesOf(run);
		if (!laid.starts) {
			const perRow = hexPerRow(this.width);
			const from = within * perRow;
			return {kind: 'data', side: run.side, text: hexRow(bytes.subarray(from, from + perRow), run.start + from, perRow), offset: run.start + from};
		}

		const from = laid.starts[within]!;
		const to = laid.starts[within + 1] ?? run.end;
		return {kind: 'data', side: run.side, text: escapeText(bytes, from - run.start, to - run.start), offset: from};
	}

	#layOut(run: StreamRun, bytes: Uint8Array, previous: RunRows | undefined): RunRows {
		if (run.gap) return {run, starts: undefined, count: 1};
		const length = run.end - run.start;
		if (this.mode === 'hex') return {run, starts: undefined, count: Math.max(1, Math.ceil(length / hexPerRow(this.width)))};
		const textWidth = this.width - marginWidth;
		// A run that grew keeps its rows but the last, which may not have been full.
		const starts = previous?.starts ? previous.starts.slice(0, -1) : [];
		let at = (previous?.starts?.at(-1) ?? run.start) - run.start;
		while (at < length) {
			starts.push(run.start + at);
			let columns = 0;
			while (at < length) {
				const byte = bytes[at]!;
				if (byte === 0x0a) {
					at++;
					break;
				}

				if (byte === 0x0d && bytes[at + 1] === 0x0a) {
					at++;
					continue;
				}

				const width = byteWidth(byte);
				if (columns + width > textWidth) break;
				columns += width;
				at++;
			}
		}

		if (starts.length === 0) starts.push(run.start);
		return {run, starts, count: starts.length};
	}
}

/** b is a longer a: data arrived at its end. */
function grewFrom(a: StreamRun, b: StreamRun): boolean {
	return a.side === b.side && a.start === b.start && !a.gap && !b.gap && b.end > a.end;
}

function sameRun(a: StreamRun, b: StreamRun): boolean {
	return a.side === b.side && a.start === b.start && a.end === b.end && a.gap === b.gap;
}
