// Bytes as text with backslash escapes: the payload editor's text mode and scripts' `data="..."`
// read and write the same language, so a payload typed, recorded and replayed is the same bytes.

export type EscapeError =
	| {readonly problem: 'lone-backslash'; readonly offset: number}
	| {readonly problem: 'bad-hex'; readonly offset: number; readonly digits: string}
	| {readonly problem: 'unknown'; readonly offset: number; readonly escape: string};

export type Unescaped = {readonly ok: true; readonly bytes: Uint8Array} | ({readonly ok: false} & EscapeError);

const escapes: Readonly<Record<string, number>> = {r: 0x0d, n: 0x0a, t: 0x09, '0': 0x00, '\\': 0x5c, '"': 0x22};

/** The escapes `parseEscapes` takes, for error messages. */
export const escapeList = String.raw`\r \n \t \0 \\ \" \xNN`;

/** Text with escapes `\r \n \t \0 \\ \" \xNN` to bytes; anything else is UTF-8. Offsets are into `text`. */
export function parseEscapes(text: string): Unescaped {
	const out: number[] = [];
	const encoder = new TextEncoder();
	let plain = '';
	const flush = () => {
		if (plain.length > 0) out.push(...encoder.encode(plain));
		plain = '';
	};

	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (char !== '\\') {
			plain += char;
			continue;
		}

		const next = text[index + 1];
		if (next === undefined) return {ok: false, problem: 'lone-backslash', offset: index};
		if (next === 'x') {
			const digits = text.slice(index + 2, index + 4);
			if (!/^[\da-fA-F]{2}$/.test(digits)) return {ok: false, problem: 'bad-hex', offset: index, digits};
			flush();
			out.push(Number.parseInt(digits, 16));
			index += 3;
			continue;
		}

		const value = escapes[next];
		if (value === undefined) return {ok: false, problem: 'unknown', offset: index, escape: next};
		flush();
		out.push(value);
		index++;
	}

	flush();
	return {ok: true, bytes: Uint8Array.from(out)};
}

/**
 * Bytes as `parseEscapes` reads them back: printable ASCII as is, the rest as `\r \n \t \\ \xNN`;
 * `"` too as `\"` when the text goes between quotes (a script string).
 */
export function printEscapes(bytes: Uint8Array, {quoted = false} = {}): string {
	let text = '';
	for (const byte of bytes) {
		if (byte === 0x5c) text += '\\\\';
		else if (byte === 0x0d) text += '\\r';
		else if (byte === 0x0a) text += '\\n';
		else if (byte === 0x09) text += '\\t';
		else if (byte === 0x22 && quoted) text += '\\"';
		else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
		else text += `\\x${byte.toString(16).padStart(2, '0')}`;
	}

	return text;
}

/** A script string: the bytes escaped between double quotes. */
export function quoteBytes(bytes: Uint8Array): string {
	return `"${printEscapes(bytes, {quoted: true})}"`;
}
