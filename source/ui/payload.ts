// The payload editor's text model: what the user typed (with escapes) <-> the bytes `d` sends.
import {parseEscapes, printEscapes} from '../syntax/escapes.js';

export type PayloadMode = 'text' | 'hex';

export type Encoded = {readonly ok: true; readonly bytes: Uint8Array} | {readonly ok: false; readonly error: string};

/** Text with escapes (`\r \n \t \0 \\ \" \xNN`, syntax/escapes.ts) to bytes; anything else is UTF-8. */
export function encodeText(text: string): Encoded {
	const result = parseEscapes(text);
	if (result.ok) return result;
	switch (result.problem) {
		case 'lone-backslash': {
			return {ok: false, error: 'a lone \\ at the end (type \\\\ for a backslash)'};
		}

		case 'bad-hex': {
			return {ok: false, error: `\\x needs two hex digits at column ${result.offset + 1}`};
		}

		case 'unknown': {
			return {ok: false, error: `unknown escape \\${result.escape} at column ${result.offset + 1}`};
		}
	}
}

/** Hex digits, whitespace ignored: `47 45 54` or `474554`. */
export function encodeHex(text: string): Encoded {
	const digits = text.replaceAll(/\s+/g, '');
	if (!/^[\da-fA-F]*$/.test(digits)) return {ok: false, error: 'hex mode takes only 0-9, a-f and spaces'};
	if (digits.length % 2 !== 0) return {ok: false, error: 'an odd number of hex digits'};
	const bytes = new Uint8Array(digits.length / 2);
	for (let index = 0; index < bytes.length; index++) bytes[index] = Number.parseInt(digits.slice(index * 2, index * 2 + 2), 16);
	return {ok: true, bytes};
}

export function encodePayload(text: string, mode: PayloadMode): Encoded {
	return mode === 'hex' ? encodeHex(text) : encodeText(text);
}

/** Bytes as editor text: printable ASCII as is, the rest as escapes, so encodeText gives them back. */
export function bytesToText(bytes: Uint8Array): string {
	return printEscapes(bytes);
}

export function bytesToHex(bytes: Uint8Array): string {
	return [...bytes].map(byte => byte.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Where the editor breaks the text into display lines: after each `\n` escape (so an HTTP request
 * reads line by line) and at real line breaks. Returns [start, end) offsets into `text`.
 */
export function displayLines(text: string): Array<readonly [number, number]> {
	const lines: Array<readonly [number, number]> = [];
	let start = 0;
	for (let index = 0; index < text.length; index++) {
		if (text[index] === '\\' && index + 1 < text.length) {
			const next = text[index + 1];
			index++;
			if (next === 'n') {
				lines.push([start, index + 1]);
				start = index + 1;
			}
		} else if (text[index] === '\n') {
			lines.push([start, index + 1]);
			start = index + 1;
		}
	}

	lines.push([start, text.length]);
	return lines;
}

/** A row of the editor on screen: part of a display line, no wider than the pane. */
export type VisualRow = {readonly start: number; readonly end: number; readonly cursor: boolean};

/**
 * The display lines wrapped to `width` columns, an escape never split across rows. The row holding
 * `cursor` is marked; a cursor after the last character takes a cell of its own (a row of its own
 * when the last row is full).
 */
export function visualRows(text: string, lines: ReadonlyArray<readonly [number, number]>, width: number, cursor: number | undefined): VisualRow[] {
	const rows: VisualRow[] = [];
	const columns = Math.max(1, width);
	for (const [lineStart, lineEnd] of lines) {
		let start = lineStart;
		let index = lineStart;
		while (index < lineEnd) {
			const length = Math.min(lineEnd - index, text[index] === '\\' ? (text[index + 1] === 'x' ? 4 : 2) : 1);
			if (index - start + length > columns && index > start) {
				rows.push({start, end: index, cursor: false});
				start = index;
			}

			index += length;
		}

		rows.push({start, end: lineEnd, cursor: false});
	}

	if (cursor === undefined) return rows;
	const at = rows.findIndex(row => cursor >= row.start && cursor < row.end);
	if (at >= 0) {
		rows[at] = {...rows[at]!, cursor: true};
		return rows;
	}

	// After the last character: on the last row if a cell is left there, else on a row of its own.
	const last = rows.at(-1)!;
	if (last.end - last.start < columns) rows[rows.length - 1] = {...last, cursor: true};
	else rows.push({start: last.end, end: last.end, cursor: true});
	return rows;
}

export type Template = {readonly name: string; readonly text: (host: string) => string};

export const templates: readonly Template[] = [
	{name: 'HTTP/1.1 GET', text: host => `GET / HTTP/1.1\\r\\nHost: ${host}\\r\\nConnection: close\\r\\n\\r\\n`},
	{name: 'HTTP/1.0 GET', text: () => 'GET / HTTP/1.0\\r\\n\\r\\n'},
	{name: 'echo line', text: () => 'hello from synack\\n'},
];
