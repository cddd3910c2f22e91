// The layering docs/architecture.md describes, checked on every import under source/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {builtinModules} from 'node:module';
import path from 'node:path';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceRoot = path.join(root, 'source');

/** What each layer may import of synack's own; anything not listed runs upward or sideways. */
const mayImport: Readonly<Record<string, readonly string[]>> = {
	wire: [],
	engine: ['wire'],
	iface: ['wire'],
	link: ['wire'],
	lab: ['wire'],
	// Text: flags, options, escapes, durations, faults as scripts and the TUI write them.
	syntax: ['wire', 'engine'],
	session: ['wire', 'engine', 'syntax', 'iface', 'link'],
	// The UI is handed a session (or a capture) by commands: it never opens a link or a lab itself.
	ui: ['wire', 'engine', 'syntax', 'iface', 'session'],
	commands: ['wire', 'engine', 'syntax', 'iface', 'link', 'lab', 'session', 'ui'],
	// Ambient declarations for packages without types.
	types: [],
};

/** Layers that do no I/O: time, randomness and bytes come in as parameters. */
const pure = new Set(['wire', 'engine', 'syntax', 'iface']);
/** Modules that reach the network or start processes; `cap` is libpcap. */
const networkOrProcess = new Set(['cap', 'net', 'dgram', 'dns', 'http', 'https', 'http2', 'tls', 'child_process', 'cluster']);
const mayTouchNetwork = new Set(['link', 'lab']);
const terminalPackages = new Set(['ink', 'react']);
const mayDrawOnTerminal = new Set(['ui', 'commands']);

type ModuleReference = {readonly specifier: string; readonly typeOnly: boolean; readonly dynamic: boolean};
/** An import in a file: `file` relative to source/. */
type Import = ModuleReference & {readonly file: string};

// An import or export-from declaration at the start of a line (its braces may span lines).
const declarationPattern = /^[ \t]*(?:import|export)[ \t]+(type[ \t]+)?(?:\{[^}]*\}|\*(?:[ \t]+as[ \t]+\w+)?|\w+(?:[ \t]*,[ \t]*(?:\{[^}]*\}|\*[ \t]+as[ \t]+\w+))?)\s*from\s*(['"])([^'"\n]+)\2/gm;
const sideEffectPattern = /^[ \t]*import[ \t]*(['"])([^'"\n]+)\1/gm;
const dynamicPattern = /\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** Every module a file's text names: declarations, side-effect imports and `import()`. */
function referencesIn(text: string): ModuleReference[] {
	return [
		...[...text.matchAll(declarationPattern)].map(match => ({specifier: match[3]!, typeOnly: match[1] !== undefined, dynamic: false})),
		...[...text.matchAll(sideEffectPattern)].map(match => ({specifier: match[2]!, typeOnly: false, dynamic: false})),
		...[...text.matchAll(dynamicPattern)].map(match => ({specifier: match[2]!, typeOnly: false, dynamic: true})),
	];
}

/** A file's layer: its folder under source/; the files at the top (cli.tsx) belong to commands. */
function layerOf(file: string): string {
	const parts = file.split('/');
	return parts.length === 1 ? 'commands' : parts[0]!;
}

function packageOf(specifier: string): string {
	const name = specifier.replace(/^node:/, '');
	const parts = name.split('/');
	return name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const {dependencies} = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {dependencies: Record<string, string>};

/** What is wrong with these imports, one line each; `exists` says whether a path under source/ is a file. */
function violations(imports: readonly Import[], exists: (file: string) => boolean): string[] {
	const problems: string[] = [];
	for (const {file, specifier, typeOnly, dynamic} of imports) {
		const layer = layerOf(file);
		const allowed = mayImport[layer];
		const where = `source/${file} imports '${specifier}'`;
		if (allowed === undefined) {
			problems.push(`${where}: source/${layer}/ is no layer of docs/architecture.md`);
			continue;
		}

		if (specifier.startsWith('.')) {
			const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '');
			if (target.startsWith('../')) {
				problems.push(`${where}: outside source/`);
				continue;
			}

			if (!exists(`${target}.ts`) && !exists(`${target}.tsx`)) problems.push(`${where}: no such file`);
			const targetLayer = layerOf(target);
			if (targetLayer !== layer && !allowed.includes(targetLayer)) {
				problems.push(`${where}: ${layer} may import ${allowed.length === 0 ? 'nothing of synack\'s' : `only ${allowed.join(', ')}`}`);
			}

			continue;
		}

		const name = packageOf(specifier);
		const builtin = builtinModules.includes(name);
		if (!builtin && !Object.hasOwn(dependencies, name)) problems.push(`${where}: not a dependency in package.json`);
		if (pure.has(layer)) problems.push(`${where}: ${layer} does no I/O and imports no module outside synack`);
		if (networkOrProcess.has(name) && !mayTouchNetwork.has(layer)) problems.push(`${where}: only link/ and lab/ touch the network or start processes`);
		if (name === 'cap' && !typeOnly && !(layer === 'link' && dynamic)) problems.push(`${where}: cap is loaded only by link/, on demand (import()), so nothing else needs libpcap`);
		if (terminalPackages.has(name) && !mayDrawOnTerminal.has(layer)) problems.push(`${where}: only ui/ and commands/ draw on the terminal`);
	}

	return problems;
}

/** Import cycles among the files `within` picks, each as the files around it (`a -> b -> a`). */
function cyclesAmong(imports: readonly Import[], within: (file: string) => boolean): string[] {
	const edges = new Map<string, string[]>();
	for (const {file, specifier} of imports) {
		if (!specifier.startsWith('.') || !within(file)) continue;
		const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '');
		const from = file.replace(/\.tsx?$/, '');
		if (within(target)) edges.set(from, [...(edges.get(from) ?? []), target]);
	}

	const cycles: string[] = [];
	const done = new Set<string>();
	const trail: string[] = [];
	const visit = (file: string): void => {
		const at = trail.indexOf(file);
		if (at >= 0) {
			cycles.push([...trail.slice(at), file].join(' -> '));
			return;
		}

		if (done.has(file)) return;
		trail.push(file);
		for (const next of edges.get(file) ?? []) visit(next);
		trail.pop();
		done.add(file);
	};

	for (const file of edges.keys()) visit(file);
	return cycles;
}

function sourceFiles(): string[] {
	return fs.readdirSync(sourceRoot, {recursive: true, encoding: 'utf8'})
		.map(file => file.split(path.sep).join('/'))
		.filter(file => /\.tsx?$/.test(file))
		.sort();
}

function importsUnderSource(): Import[] {
	return sourceFiles().flatMap(file => referencesIn(fs.readFileSync(path.join(sourceRoot, file), 'utf8')).map(reference => ({file, ...reference})));
}

const existsUnderSource = (file: string) => fs.existsSync(path.join(sourceRoot, file));

describe('architecture: imports only point down the layers', () => {
	const imports = importsUnderSource();

	test('no import under source/ runs upward, sideways, outside synack, or to the network from the wrong layer', () => {
		assert.deepEqual(violations(imports, existsUnderSource), []);
	});

	test('the scan sees the imports: every layer above wire imports wire; commands wires link, lab, session and ui together', () => {
		const reached = (layer: string) => new Set(imports.filter(({file, specifier}) => layerOf(file) === layer && specifier.startsWith('.')).map(({file, specifier}) => layerOf(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)))));
		for (const layer of ['engine', 'syntax', 'iface', 'link', 'lab', 'session', 'ui', 'commands']) assert.ok(reached(layer).has('wire'), `${layer} -> wire`);
		for (const layer of ['link', 'lab', 'session', 'ui']) assert.ok(reached('commands').has(layer), `commands -> ${layer}`);
		assert.ok(imports.some(({file, specifier, dynamic}) => file === 'link/pcap-link.ts' && specifier === 'cap' && dynamic), 'link/pcap-link.ts loads cap with import()');
	});

	test('no import cycle in session/: its parts (incoming and outgoing paths, app driver, views) take what they need, never the Session', () => {
		assert.deepEqual(cyclesAmong(imports, file => layerOf(file) === 'session'), []);
	});

	test('the pure layers read no clock and set no timer (time is the caller\'s `now`)', () => {
		const clockOrTimer = /\b(?:Date\.now|performance\.now|setTimeout|setInterval|setImmediate)\(|\bprocess\.\w/;
		const offenders = sourceFiles().filter(file => pure.has(layerOf(file)) && clockOrTimer.test(fs.readFileSync(path.join(sourceRoot, file), 'utf8')));
		assert.deepEqual(offenders, []);
	});
});

describe('architecture: the checks themselves fail on what they forbid', () => {
	const everything = () => true;
	const one = (file: string, specifier: string, more: Partial<ModuleReference> = {}) => violations([{file, specifier, typeOnly: false, dynamic: false, ...more}], everything);

	test('an upward import, in each direction the issue names', () => {
		assert.match(one('wire/tcp.ts', '../engine/seq.js')[0]!, /wire may import nothing of synack's/);
		assert.match(one('engine/connection.ts', '../session/clock.js')[0]!, /engine may import only wire/);
		assert.match(one('engine/connection.ts', '../iface/arp-claim.js')[0]!, /engine may import only wire/);
		assert.match(one('lab/lab-up.ts', '../link/routes.js')[0]!, /lab may import only wire/);
		assert.match(one('session/host.ts', '../ui/app.js')[0]!, /session may import only wire, engine, syntax, iface, link/);
		assert.match(one('engine/connection.ts', '../syntax/tcp-flags.js')[0]!, /engine may import only wire/);
		assert.match(one('wire/summary-tcp.ts', '../syntax/tcp-flags.js')[0]!, /wire may import nothing/);
		assert.match(one('syntax/fault-text.ts', '../session/session.js')[0]!, /syntax may import only wire, engine/);
		assert.match(one('session/host.ts', '../commands/run.js')[0]!, /session may import only/);
		assert.match(one('ui/app.tsx', '../link/pcap-link.js')[0]!, /ui may import only/);
	});

	test('downward and same-layer imports pass', () => {
		assert.deepEqual(one('session/host.ts', '../engine/connection.js'), []);
		assert.deepEqual(one('ui/app.tsx', '../session/session.js'), []);
		assert.deepEqual(one('cli.tsx', './commands/subcommands.js'), []);
		assert.deepEqual(one('engine/connection.ts', './seq.js'), []);
		assert.deepEqual(one('syntax/fault-text.ts', '../engine/faults.js'), []);
		assert.deepEqual(one('session/recorder.ts', '../syntax/fault-text.js'), []);
	});

	test('the network, processes, I/O in a pure layer, the terminal outside ui/, undeclared packages', () => {
		assert.match(one('session/host.ts', 'node:net')[0]!, /only link\/ and lab\//);
		assert.match(one('commands/run.ts', 'child_process')[0]!, /only link\/ and lab\//);
		assert.match(one('engine/connection.ts', 'node:fs')[0]!, /engine does no I\/O/);
		assert.match(one('link/pcap-link.ts', 'cap')[0]!, /cap is loaded only by link\/, on demand/);
		assert.deepEqual(one('link/pcap-link.ts', 'cap', {typeOnly: true}), []);
		assert.match(one('session/session.ts', 'ink')[0]!, /only ui\/ and commands\//);
		assert.match(one('ui/app.tsx', 'fast-check')[0]!, /not a dependency/);
		assert.match(one('newlayer/x.ts', './y.js')[0]!, /no layer of docs\/architecture.md/);
	});

	test('an import cycle, direct or through other files, and none in a chain', () => {
		const imports = (pairs: ReadonlyArray<readonly [string, string]>) => pairs.map(([file, specifier]) => ({file, specifier, typeOnly: false, dynamic: false}));
		const session = (file: string) => file.startsWith('session/');
		assert.deepEqual(cyclesAmong(imports([['session/a.ts', './b.js'], ['session/b.ts', './a.js']]), session), ['session/a -> session/b -> session/a']);
		assert.deepEqual(cyclesAmong(imports([['session/a.ts', './b.js'], ['session/b.ts', './c.js'], ['session/c.ts', './a.js'], ['session/c.ts', '../wire/x.js']]), session), ['session/a -> session/b -> session/c -> session/a']);
		assert.deepEqual(cyclesAmong(imports([['session/a.ts', './b.js'], ['session/b.ts', './c.js'], ['session/a.ts', './c.js']]), session), []);
	});

	test('a path that leaves source/ or names no file', () => {
		assert.match(one('wire/tcp.ts', '../../test/helpers/frames.js')[0]!, /outside source/);
		assert.match(violations([{file: 'wire/tcp.ts', specifier: './nowhere.js', typeOnly: false, dynamic: false}], () => false)[0]!, /no such file/);
	});

	test('the scanner reads every form of import, and not the word "from" in a string', () => {
		const text = [
			'import assert from \'node:assert\';',
			'import {',
			'\ta,',
			'\ttype B,',
			'} from \'./multi-line.js\';',
			'import type {C} from \'../wire/records.js\';',
			'import React, {useState} from \'react\';',
			'import * as everything from \'./star.js\';',
			'export {d} from \'./re-export.js\';',
			'export * from \'./all.js\';',
			'import \'./side-effect.js\';',
			'const m = await import(\'cap\');',
			'const flags = {ip: {type: \'string\', description: \'the address it speaks from\'},',
			'\tmac: {type: \'string\'}};',
		].join('\n');
		assert.deepEqual(referencesIn(text).map(({specifier, typeOnly, dynamic}) => `${specifier}${typeOnly ? ' type' : ''}${dynamic ? ' dynamic' : ''}`), [
			'node:assert',
			'./multi-line.js',
			'../wire/records.js type',
			'react',
			'./star.js',
			'./re-export.js',
			'./all.js',
			'./side-effect.js',
			'cap dynamic',
		]);
	});
});
