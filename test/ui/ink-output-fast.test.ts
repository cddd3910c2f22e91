import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, styledCharsToString, tokenize} from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import {root} from '../e2e/terminal.js';
import {BoundedMap, styledChars, styledRowToString} from '../../source/ui/ink-output-fast.js';

const sgr = ['\u001B[1m', '\u001B[2m', '\u001B[22m', '\u001B[7m', '\u001B[27m', '\u001B[31m', '\u001B[36m', '\u001B[39m', '\u001B[42m', '\u001B[49m', '\u001B[0m', '\u001B[m', '\u001B[1;31m', '\u001B[0;7m', '\u001B[38;5;208m', '\u001B[48;2;1;2;3m', '\u001B[', '\u001B[9x'];
const glyph = ['a', 'Z', ' ', '.', '→', '…', '✗', '漢', '─'];
const styledText = fc.array(fc.oneof(fc.constantFrom(...sgr), fc.constantFrom(...glyph)), {maxLength: 60}).map(parts => parts.join(''));

test('a row joins to the same text as ansi-tokenize\'s styledCharsToString', () => {
	fc.assert(fc.property(fc.array(styledText, {minLength: 1, maxLength: 4}), texts => {
		// Cells from several writes, as a screen row holds them.
		const chars = texts.flatMap(text => styledCharsFromTokens(tokenize(text)));
		assert.equal(styledRowToString(chars, diffAnsiCodes, ansiCodesToString), styledCharsToString(chars));
	}), {numRuns: 2000});
});

test('a line is tokenized into the same styled characters as ansi-tokenize\'s', () => {
	const tokenizer = {tokenize, styledCharsFromTokens, reduceAnsiCodesIncremental};
	fc.assert(fc.property(styledText, fc.constantFrom('', 'abc', ' x '), (text, ascii) => {
		// Twice: the second time the sequences come from the cache.
		for (const line of [ascii + text, ascii + text]) assert.deepEqual(styledChars(line, tokenizer), styledCharsFromTokens(tokenize(line)));
	}), {numRuns: 3000});
});

test('a bounded map forgets its oldest entries first', () => {
	const map = new BoundedMap<number, string>(3);
	for (let key = 0; key < 5; key++) map.set(key, String(key));
	map.set(4, 'again');
	assert.deepEqual([...map], [[2, '2'], [3, '3'], [4, 'again']]);
});

// Ink's Output, fed the same writes and clips in a child process with or without the hooks that
// bin/synack.js registers: every screen must be the same, byte for byte. More distinct lines than
// the hooks keep, and lines repeated across renders (cache hits), as a live log draws them.
test('Ink\'s output step draws the same screens with the hooks', () => {
	assert.ok(existsSync(`${root}dist/ui/ink-cache-hooks.js`), 'build first (npm run build)');
	const script = (hooked: boolean) => `
		import {register} from 'node:module';
		if (${hooked}) register(${JSON.stringify(`file://${root}dist/ui/ink-cache-hooks.js`)});
		const {default: Output} = await import(${JSON.stringify(`file://${root}node_modules/ink/build/output.js`)});
		let seed = 7;
		const random = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
		const sgr = ${JSON.stringify(sgr)};
		const glyph = ${JSON.stringify(glyph)};
		// Half of the lines printable ASCII, the TUI's glyphs and styles only, as a log row's text.
		const simple = glyph.filter(g => g !== '漢');
		const line = () => { let text = ''; const n = random(70); const pick = random(2) === 0 ? simple : glyph; for (let i = 0; i < n; i++) text += random(5) === 0 ? sgr[random(sgr.length)] : pick[random(4) === 0 ? random(pick.length) : random(4)]; return text; };
		const kept = Array.from({length: 300}, line);
		const screens = [];
		for (let render = 0; render < 400; render++) {
			const width = 1 + random(90);
			const height = 1 + random(30);
			const output = new Output({width, height});
			for (let op = 0; op < 12; op++) {
				const kind = random(6);
				if (kind === 0) output.clip({x1: random(width), x2: random(width + 10), y1: random(height), y2: random(height + 5)});
				else if (kind === 1) output.clip({x1: random(width), x2: random(width + 10)});
				else if (kind === 2) output.unclip();
				else {
					const lines = Array.from({length: 1 + random(8)}, () => random(3) === 0 ? line() : kept[random(kept.length)]);
					const transformers = random(4) === 0 ? [(text, index) => index % 2 ? '\\u001B[1m' + text + '\\u001B[22m' : text] : [];
					output.write(random(width + 4) - 2, random(height + 2) - 1, lines.join('\\n'), {transformers});
				}
			}
			screens.push(output.get().output);
		}
		// Whether the hooks took: Outputs share their caches only then.
		console.log(JSON.stringify({shared: new Output({width: 1, height: 1}).caches === new Output({width: 1, height: 1}).caches, screens}));
	`;
	const run = (hooked: boolean) => execFileSync(process.execPath, ['--input-type=module', '-e', script(hooked)], {cwd: root, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20});
	const plain = JSON.parse(run(false)) as {shared: boolean; screens: string[]};
	const hooked = JSON.parse(run(true)) as typeof plain;
	assert.equal(plain.shared, false);
	assert.equal(hooked.shared, true, 'the hooks did not change Ink\'s output.js');
	assert.ok(plain.screens.some(screen => screen.includes('\u001B[')), 'the screens carry styles');
	assert.deepEqual(hooked.screens, plain.screens);
});
