// Module hooks (node:module register) that bound two caches inside Ink 6: measure-text.js and
// wrap-text.js keep every text they measured or wrapped and never shrink, so a live packet log grew
// without bound (docs/performance.md). Past `limit` entries the cache starts again; a line seen again
// is simply measured again. If Ink's source no longer reads as expected, it is left as it is.
import type {LoadHook} from 'node:module';

const limit = 20_000;

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
