/**
 * `text` in lines of at most `width` columns, broken at spaces; continuation lines start with
 * `hang` (counted in the width), the first with the text's own indentation. A word longer than a line
 * is cut where the line ends.
 */
export function wrapWords(text: string, width: number, hang = ''): string[] {
	const columns = Math.max(1, width);
	const lines: string[] = [];
	const indentation = /^ */.exec(text)![0];
	let line = '';
	let lead = indentation.length < columns ? indentation : '';
	const room = () => Math.max(1, columns - lead.length);
	for (const word of text.slice(indentation.length).split(' ')) {
		const next = line === '' ? word : `${line} ${word}`;
		if (next.length <= room()) {
			line = next;
			continue;
		}

		if (line !== '') {
			lines.push(lead + line);
			lead = hang.length < columns ? hang : '';
		}

		let rest = word;
		while (rest.length > room()) {
			lines.push(lead + rest.slice(0, room()));
			rest = rest.slice(room());
			lead = hang.length < columns ? hang : '';
		}

		line = rest;
	}

	lines.push(lead + line);
	return lines;
}
