// Module hooks (node:module register) that bound two caches inside Ink 6: measure-text.js and
// wrap-text.js keep every text they measured or wrapped and never shrink, so a live packet log grew
// without bound (docs/performance.md). Past `limit` entries the cache starts again; a line seen again
// is simply measured again. They also give Ink's output step caches that outlive a render and a
// faster join of each row (ink-output-fast.ts says why and how). If Ink's source no longer reads as
// expected, it is left as it is.
import type {LoadHook} from 'node:module';

const limit = 20_000;
/** Lines tokenized into styled characters, about 100 bytes a character: 1,000 at 200 columns, 20 MB. */
const styledLimit = 1000;
const fast = JSON.stringify(new URL('ink-output-fast.js', import.meta.url).href);

type Patch = {readonly file: RegExp; readonly replacements: ReadonlyArray<readonly [from: string, to: string]>};

const patches: readonly Patch[] = [
	{
		file: /\/ink\/build\/measure-text\.js$/,
		replacements: [[
			'const cache = new Map();',
			`const cache = new Map(); const setUnbounded = cache.set.bind(cache); cache.set = (key, value) => { if (cache.size >= ${limit}) cache.clear(); return setUnbounded(key, value); };`,
		]],
	},
	{
		file: /\/ink\/build\/wrap-text\.js$/,
		replacements: [
			['const cache = {};', 'let cache = {}; let cached = 0;'],
			['cache[cacheKey] = wrappedText;', `if (++cached > ${limit}) { cache = {}; cached = 1; } cache[cacheKey] = wrappedText;`],
		],
	},
	{
		// Every text's width, measured again on every render: measure-text's cache (layout has just
		// measured the same text) answers at once, where string-width walks every line.
		file: /\/ink\/build\/render-node-to-output\.js$/,
		replacements: [
			["import widestLine from 'widest-line';", "import measureText from './measure-text.js';"],
			['const currentWidth = widestLine(text);', 'const currentWidth = measureText(text).width;'],
		],
	},
	{
		file: /\/ink\/build\/output\.js$/,
		replacements: [
			[
				"import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';",
				`import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize, } from '@alcalzone/ansi-tokenize'; import { BoundedMap, blankCell, styledChars, styledRowToString } from ${fast};`,
			],
			['cached = styledCharsFromTokens(tokenize(line));', 'cached = styledChars(line, { tokenize, styledCharsFromTokens, reduceAnsiCodesIncremental });'],
			['    widths = new Map();', `    widths = new BoundedMap(${limit});`],
			['    blockWidths = new Map();', `    blockWidths = new BoundedMap(${limit});`],
			['    styledChars = new Map();', `    styledChars = new BoundedMap(${styledLimit});`],
			['export default class Output {', 'const sharedCaches = new OutputCaches();\nexport default class Output {'],
			['    caches = new OutputCaches();', '    caches = sharedCaches;'],
			[
				`            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }`,
				'            const row = new Array(this.width).fill(blankCell);',
			],
			// A line inside the clip on both sides is the whole line: slice-ansi would rebuild it.
			['                            return sliceAnsi(line, from, to);', '                            return from === 0 && to === width ? line : sliceAnsi(line, from, to);'],
			['return styledCharsToString(lineWithoutEmptyItems).trimEnd();', 'return styledRowToString(lineWithoutEmptyItems, diffAnsiCodes, ansiCodesToString).trimEnd();'],
		],
	},
];

export const load: LoadHook = async (url, context, nextLoad) => {
	const result = await nextLoad(url, context);
	const patch = patches.find(({file}) => file.test(url));
	if (patch === undefined || result.source === undefined) return result;
	const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source as Uint8Array);
	if (!patch.replacements.every(([from]) => source.includes(from))) return result;
	let patched = source;
	for (const [from, to] of patch.replacements) patched = patched.replace(from, to);
	return {...result, source: patched};
};
