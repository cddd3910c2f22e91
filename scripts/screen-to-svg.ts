// Renders a terminal screen captured with `tmux capture-pane -p -e` (text with SGR colour codes) as
// an SVG: one <rect> per background run, one <text> per styled run, in a monospace grid.
// Usage: node --import tsx scripts/screen-to-svg.ts SCREEN.ansi OUT.svg [--title TEXT]
import {readFileSync, writeFileSync} from 'node:fs';

type Style = {fg?: string; bg?: string; bold: boolean; dim: boolean; inverse: boolean; underline: boolean};
type Cell = {char: string; style: Style};

const base16 = ['#1d1f21', '#cc6666', '#b5bd68', '#f0c674', '#81a2be', '#b294bb', '#8abeb7', '#c5c8c6', '#666666', '#d54e53', '#b9ca4a', '#e7c547', '#7aa6da', '#c397d8', '#70c0b1', '#eaeaea'];
const foreground = '#c5c8c6';
const background = '#1d1f21';
const plain: Style = {bold: false, dim: false, inverse: false, underline: false};

function color256(n: number): string {
	if (n < 16) return base16[n]!;
	if (n >= 232) {
		const level = 8 + (n - 232) * 10;
		return `rgb(${level},${level},${level})`;
	}

	const index = n - 16;
	const step = (value: number) => (value === 0 ? 0 : 55 + value * 40);
	return `rgb(${step(Math.floor(index / 36))},${step(Math.floor(index / 6) % 6)},${step(index % 6)})`;
}

function applySgr(style: Style, codes: number[]): Style {
	let next = {...style};
	for (let i = 0; i < codes.length; i++) {
		const code = codes[i]!;
		if (code === 0) next = {...plain};
		else if (code === 1) next.bold = true;
		else if (code === 2) next.dim = true;
		else if (code === 4) next.underline = true;
		else if (code === 7) next.inverse = true;
		else if (code === 22) next = {...next, bold: false, dim: false};
		else if (code === 24) next.underline = false;
		else if (code === 27) next.inverse = false;
		else if (code >= 30 && code <= 37) next.fg = base16[code - 30];
		else if (code >= 90 && code <= 97) next.fg = base16[code - 90 + 8];
		else if (code === 39) delete next.fg;
		else if (code >= 40 && code <= 47) next.bg = base16[code - 40];
		else if (code >= 100 && code <= 107) next.bg = base16[code - 100 + 8];
		else if (code === 49) delete next.bg;
		else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
			next[code === 38 ? 'fg' : 'bg'] = color256(codes[i + 2]!);
			i += 2;
		} else if ((code === 38 || code === 48) && codes[i + 1] === 2) {
			next[code === 38 ? 'fg' : 'bg'] = `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`;
			i += 4;
		}
	}

	return next;
}

export function parseScreen(text: string): Cell[][] {
	const rows: Cell[][] = [];
	let style = {...plain};
	for (const line of text.replace(/\n$/, '').split('\n')) {
		const row: Cell[] = [];
		for (let i = 0; i < line.length;) {
			const match = /^\u001B\[([\d;]*)m/.exec(line.slice(i));
			if (match) {
				style = applySgr(style, match[1] === '' ? [0] : match[1]!.split(';').map(Number));
				i += match[0].length;
				continue;
			}

			const char = String.fromCodePoint(line.codePointAt(i)!);
			row.push({char, style});
			i += char.length;
		}

		rows.push(row);
	}

	return rows;
}

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function screenToSvg(rows: Cell[][], options: {columns?: number; title?: string} = {}): string {
	const columns = options.columns ?? Math.max(80, ...rows.map(row => row.length));
	const cw = 8.4;
	const lh = 17;
	const pad = 12;
	const top = options.title ? 28 : pad;
	const width = Math.ceil(columns * cw + pad * 2);
	const height = Math.ceil(rows.length * lh + top + pad);
	const out: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
		`<rect width="100%" height="100%" rx="6" fill="${background}"/>`,
	];
	if (options.title) out.push(`<text x="${width / 2}" y="18" fill="#888" font-family="monospace" font-size="12" text-anchor="middle">${escapeXml(options.title)}</text>`);
	out.push(`<g font-family="'DejaVu Sans Mono','Menlo','Consolas',monospace" font-size="14" xml:space="preserve">`);
	rows.forEach((row, y) => {
		const baseline = top + y * lh + 13;
		let x = 0;
		while (x < row.length) {
			const style = row[x]!.style;
			let end = x;
			let text = '';
			while (end < row.length && JSON.stringify(row[end]!.style) === JSON.stringify(style)) text += row[end++]!.char;
			const fg = style.inverse ? style.bg ?? background : style.fg ?? foreground;
			const bg = style.inverse ? style.fg ?? foreground : style.bg;
			if (bg) out.push(`<rect x="${(pad + x * cw).toFixed(1)}" y="${top + y * lh}" width="${(text.length * cw).toFixed(1)}" height="${lh}" fill="${bg}"/>`);
			if (text.trim() !== '') {
				const attributes = [`x="${(pad + x * cw).toFixed(1)}"`, `y="${baseline}"`, `fill="${fg}"`, `textLength="${(text.length * cw).toFixed(1)}"`];
				if (style.bold) attributes.push('font-weight="bold"');
				if (style.dim) attributes.push('opacity="0.6"');
				if (style.underline) attributes.push('text-decoration="underline"');
				out.push(`<text ${attributes.join(' ')}>${escapeXml(text)}</text>`);
			}

			x = end;
		}
	});
	out.push('</g>', '</svg>');
	return `${out.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [input, output, flag, title] = process.argv.slice(2);
	if (!input || !output) {
		console.error('usage: screen-to-svg SCREEN.ansi OUT.svg [--title TEXT]');
		process.exit(2);
	}

	writeFileSync(output, screenToSvg(parseScreen(readFileSync(input, 'utf8')), {title: flag === '--title' ? title : undefined}));
}
