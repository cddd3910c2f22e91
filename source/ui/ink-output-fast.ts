// What the hooks in ink-cache-hooks.ts put into Ink 6's output step (ink/build/output.js), which
// turns the laid-out texts into the screen's lines on every render. There, every text line is
// tokenized into one object per character (@alcalzone/ansi-tokenize, a grapheme segmenter per
// character), every screen cell starts as a new object (12,000 at 200x60), each row is joined by
// diffing the styles of every cell with its neighbour's, and each of those caches lived for one
// render only. Here the caches outlive a render (bounded), blank cells are one shared object, and a
// row's join skips the diff between cells whose styles are equal: the same text, byte for byte.

type AnsiCode = {readonly type: 'ansi'; readonly code: string; readonly endCode: string};
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
