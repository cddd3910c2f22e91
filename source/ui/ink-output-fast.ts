// What the hooks in ink-cache-hooks.ts put into Ink 6's output step (ink/build/output.js), which
// turns the laid-out texts into the screen's lines on every render. There, every text line is
// tokenized into one object per character (@alcalzone/ansi-tokenize, a grapheme segmenter per
// character), every screen cell starts as a new object (12,000 at 200x60), each row is joined by
// diffing the styles of every cell with its neighbour's, and each of those caches lived for one
// render only. Here the caches outlive a render (bounded), blank cells are one shared object, and a
// row's join skips the diff between cells whose styles are equal, and a line of printable ASCII,
// the TUI's glyphs and colour codes is tokenized without the segmenter: the same text, byte for byte.

type AnsiCode = {readonly type: 'ansi'; readonly code: string; readonly endCode: string};
type Token = AnsiCode | {readonly type: 'char'; readonly value: string; readonly fullWidth: boolean};
// Mutable arrays, as ansi-tokenize declares them; nothing here changes one.
type StyledChar = {readonly type: 'char'; readonly value: string; readonly fullWidth: boolean; readonly styles: AnsiCode[]};

/** A Map that forgets its oldest entries past `limit`: a live log shows new lines all the time. */
export class BoundedMap<K, V> extends Map<K, V> {
	constructor(readonly limit: number) {
		super();
	}

	override set(key: K, value: V): this {
		if (this.size >= this.limit && !this.has(key)) this.delete(this.keys().next().value as K);
		return super.set(key, value);
	}
}

/** Ink's empty cell. Nothing in output.js changes a cell once made, so one serves every blank. */
export const blankCell: StyledChar = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) as unknown as AnsiCode[]});

function sameStyles(a: AnsiCode[], b: AnsiCode[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let index = 0; index < a.length; index++) {
		if (a[index]!.code !== b[index]!.code || a[index]!.endCode !== b[index]!.endCode) return false;
	}

	return true;
}

/**
 * ansi-tokenize's styledCharsToString, less the diffs that give nothing: between two equal style
 * lists `diffAnsiCodes` returns no code (it undoes what `to` does not set and adds what `from` lacks).
 */
export function styledRowToString(chars: readonly StyledChar[], diff: (from: AnsiCode[], to: AnsiCode[]) => AnsiCode[], codesToString: (codes: AnsiCode[]) => string): string {
	let text = '';
	for (let index = 0; index < chars.length; index++) {
		const char = chars[index]!;
		if (index === 0) {
			if (char.styles.length > 0) text += codesToString(char.styles);
		} else {
			const before = chars[index - 1]!.styles;
			if (!sameStyles(before, char.styles)) text += codesToString(diff(before, char.styles));
		}

		text += char.value;
		if (index === chars.length - 1 && char.styles.length > 0) text += codesToString(diff(char.styles, []));
	}

	return text;
}

/** ansi-tokenize's functions that the fast paths fall back on or build with. */
export type Tokenizer = {
	readonly tokenize: (line: string) => Token[];
	readonly styledCharsFromTokens: (tokens: Token[]) => StyledChar[];
	readonly reduceAnsiCodesIncremental: (codes: AnsiCode[], tokens: AnsiCode[]) => AnsiCode[];
};

/**
 * Printable ASCII, the TUI's glyphs (arrows, ellipsis, fault mark, rules, cursor) and SGR sequences:
 * none of these characters joins a neighbour in a grapheme (no marks, joiners or selectors).
 */
const simpleLine = /^(?:[\u0020-\u007E→←…✗─│█]|\u001B\[[\d;]*m)*$/;
const glyphWidths = new Map<string, boolean | undefined>();
const sgrSequence = /\u001B\[[\d;]*m/g;
const sequenceCodes = new BoundedMap<string, AnsiCode[] | undefined>(1000);

/**
 * styledCharsFromTokens(tokenize(line)). For a line of simple characters and SGR sequences (a log
 * row), each character is its own grapheme: only the sequences and glyphs need the tokenizer (each
 * once), and characters between two sequences share one list of styles.
 */
export function styledChars(line: string, {tokenize, styledCharsFromTokens, reduceAnsiCodesIncremental}: Tokenizer): StyledChar[] {
	if (!simpleLine.test(line)) return styledCharsFromTokens(tokenize(line));
	const chars: StyledChar[] = [];
	let styles: AnsiCode[] = [];
	let at = 0;
	let plain = true;
	const text = (end: number) => {
		for (; at < end; at++) {
			const value = line[at]!;
			const fullWidth = value < '\u007F' ? false : glyphWidth(value, tokenize);
			if (fullWidth === undefined) plain = false;
			chars.push({type: 'char', value, fullWidth: fullWidth ?? false, styles});
		}
	};

	for (const match of line.matchAll(sgrSequence)) {
		text(match.index);
		let codes = sequenceCodes.get(match[0]);
		if (codes === undefined && !sequenceCodes.has(match[0])) {
			const tokens = tokenize(match[0]);
			codes = tokens.every(token => token.type === 'ansi') ? tokens as AnsiCode[] : undefined;
			sequenceCodes.set(match[0], codes);
		}

		// A sequence the tokenizer reads otherwise (as characters): it takes the whole line.
		if (codes === undefined) return styledCharsFromTokens(tokenize(line));
		for (const code of codes) styles = reduceAnsiCodesIncremental(styles, [code]);
		at = match.index + match[0].length;
	}

	text(line.length);
	return plain ? chars : styledCharsFromTokens(tokenize(line));
}

/** Whether the tokenizer calls a glyph full width; undefined if it reads it as anything but one character. */
function glyphWidth(glyph: string, tokenize: Tokenizer['tokenize']): boolean | undefined {
	if (!glyphWidths.has(glyph)) {
		const tokens = tokenize(glyph);
		const token = tokens[0];
		glyphWidths.set(glyph, tokens.length === 1 && token?.type === 'char' && token.value === glyph ? token.fullWidth : undefined);
	}

	return glyphWidths.get(glyph);
}
