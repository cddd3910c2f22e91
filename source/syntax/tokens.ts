// The one tokenizer of scripts and fault lines.

export type Token = {readonly text: string; readonly column: number};

export type TokenError = {readonly column: number; readonly message: string};

/**
 * Words split at spaces and tabs, with `"..."` kept whole (a backslash escapes the next character
 * inside), ending at a `#` that starts a word (but `#N` after `on`). Columns are 1-based from `startColumn`.
 */
export function tokenize(line: string, startColumn = 1): Token[] | TokenError {
	const tokens: Token[] = [];
	let i = 0;
	while (i < line.length) {
		if (line[i] === ' ' || line[i] === '\t') {
			i++;
			continue;
		}

		// A comment, but for `on #N` (which connection a script step acts on).
		if (line[i] === '#' && !(tokens.at(-1)?.text === 'on' && /\d/.test(line[i + 1] ?? ''))) break;
		const start = i;
		let quoted = false;
		while (i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t'))) {
			if (line[i] === '"') quoted = !quoted;
			else if (quoted && line[i] === '\\') i++;
			i++;
		}

		if (quoted) return {column: startColumn + start, message: 'a string is not closed (missing ")'};
		tokens.push({text: line.slice(start, i), column: startColumn + start});
	}

	return tokens;
}
