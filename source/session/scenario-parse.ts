import type {FaultPlan} from '../engine/faults.js';
import {parseDuration} from '../syntax/durations.js';
import {escapeList, parseEscapes} from '../syntax/escapes.js';
import {parseFault} from '../syntax/fault-text.js';
import {defaultPolicyNames, policyNames} from '../syntax/policy-names.js';
import {parseOption} from '../syntax/tcp-options.js';
import {parseFlagNames} from '../syntax/tcp-flags.js';
import {type Token, tokenize} from '../syntax/tokens.js';
import type {TcpState} from '../engine/states.js';
import {tcpStates} from '../engine/states.js';
import type {TcpOption} from '../wire/records.js';
import type {AutoPolicies} from './auto-policies.js';
import {isReaderRate, type ReaderMode, readerModes} from './reader.js';

/**
 * Scenario scripts: one step a line, documented in docs/scenarios.md. Parsing is complete before
 * anything runs, so a malformed script never sends half its steps.
 */

/** A number in a step: a literal (relative to the connection's ISS/IRS, as tcpdump prints), `@N` absolute, or a variable. */
export type Value = {readonly literal: number; readonly absolute?: boolean} | {readonly variable: string; readonly offset?: number};

export type SegmentFields = {
	readonly seq?: Value;
	readonly ack?: Value;
	readonly win?: Value;
	readonly urg?: Value;
	/** Replace the options the engine would send (or, in `expect`, require exactly these kinds). */
	readonly options?: readonly TcpOption[];
	readonly data?: Uint8Array;
	/** `expect` only: the payload length. */
	readonly len?: Value;
	/** `expect` only: `win>1000`, `len<=536`: bounds on numbers (relative ones compared as shown). */
	readonly bounds?: readonly FieldBound[];
	/** `expect` only: exactly these option kinds (NOP and EOL aside, in any order), values checked where given. */
	readonly expectOptions?: readonly OptionCheck[];
};

export type BoundedField = 'seq' | 'ack' | 'win' | 'urg' | 'len';

export type FieldBound = {readonly field: BoundedField; readonly operator: '<' | '<=' | '>' | '>='; readonly value: Value};

/** An option an `expect` requires: its kind alone (`ts`, `wscale`), a value (`mss=1460`), or SACK blocks relative to our ISS (`sack=11:21`). */
export type OptionCheck = {
	readonly kind: TcpOption['kind'];
	readonly equals?: TcpOption;
	readonly blocks?: ReadonlyArray<readonly [Value, Value]>;
};

/** `on #N` names the script's Nth `connect`/`listen` (from 1); without it a step acts on the newest. */
export type Step = {readonly line: number; readonly text: string; readonly on?: number} & (
	| {readonly kind: 'connect'; readonly host: string; readonly port: number | string; readonly sport?: number; readonly iss?: number}
	| {readonly kind: 'listen'; readonly port: number}
	| {readonly kind: 'send'; readonly flags: number; readonly fields: SegmentFields}
	| {readonly kind: 'expect-segment'; readonly flags: number; readonly exact: boolean; readonly fields: SegmentFields; readonly withinMs: number}
	| {readonly kind: 'expect-nothing'; readonly withinMs: number}
	| {readonly kind: 'expect-state'; readonly state: TcpState; readonly withinMs: number}
	| {readonly kind: 'expect-data'; readonly match: 'contains' | 'equals'; readonly bytes: Uint8Array; readonly withinMs: number}
	| {readonly kind: 'auto'; readonly policies: Partial<AutoPolicies>}
	| {readonly kind: 'fault'; readonly plan: FaultPlan}
	| {readonly kind: 'fault-clear'}
	| {readonly kind: 'sleep'; readonly ms: number}
	| {readonly kind: 'read'}
	| {readonly kind: 'reader'; readonly mode: ReaderMode; readonly rate?: number}
);

export type ScenarioError = {readonly line: number; readonly column: number; readonly message: string};

export type ScenarioParse = {readonly ok: true; readonly steps: readonly Step[]} | ({readonly ok: false} & ScenarioError);

export const defaultExpectMs = 1000;

class ParseFailure extends Error {
	constructor(
		readonly column: number,
		message: string,
	) {
		super(message);
	}
}

/** The words of a line; an unclosed string fails the parse. */
function wordsOf(line: string): Token[] {
	const result = tokenize(line);
	if (!Array.isArray(result)) throw new ParseFailure(result.column, result.message);
	return result;
}

/** The bytes of a quoted string's body, which starts at `column`. */
function unescaped(body: string, column: number): Uint8Array {
	const result = parseEscapes(body);
	if (result.ok) return result.bytes;
	switch (result.problem) {
		case 'bad-hex': {
			throw new ParseFailure(column + result.offset + 1, `\\x needs two hex digits, not "${result.digits}"`);
		}

		case 'unknown': {
			throw new ParseFailure(column + result.offset, `unknown escape \\${result.escape} (use ${escapeList})`);
		}

		case 'lone-backslash': {
			throw new ParseFailure(column + result.offset, `unknown escape \\ (use ${escapeList})`);
		}
	}
}

function quoted(token: Token, prefixLength: number): Uint8Array {
	const body = token.text.slice(prefixLength);
	if (!body.startsWith('"') || !body.endsWith('"') || body.length < 2) {
		throw new ParseFailure(token.column + prefixLength, 'expected a quoted string, like "GET / HTTP/1.0\\r\\n\\r\\n"');
	}

	return unescaped(body.slice(1, -1), token.column + prefixLength + 1);
}

function value(text: string, column: number): Value {
	const variable = /^\$([a-z_]\w*)(?:([+-])(\d+))?$/i.exec(text);
	if (variable) {
		const offset = variable[3] === undefined ? 0 : Number(variable[3]) * (variable[2] === '-' ? -1 : 1);
		if (Math.abs(offset) > 0xff_ff_ff_ff) throw new ParseFailure(column, `the offset in "${text}" is over 4294967295`);
		return offset === 0 ? {variable: variable[1]!} : {variable: variable[1]!, offset};
	}

	const absolute = text.startsWith('@');
	const digits = absolute ? text.slice(1) : text;
	if (!/^\d+$/.test(digits) || Number(digits) > 0xff_ff_ff_ff) throw new ParseFailure(column, `expected a number from 0 to 4294967295 or a $variable (like $win or $fin+1), not "${text}"`);
	return absolute ? {literal: Number(digits), absolute: true} : {literal: Number(digits)};
}

function duration(token: Token | undefined, after: Token): number {
	const ms = parseDuration(token?.text);
	if (ms === undefined) throw new ParseFailure(token?.column ?? after.column + after.text.length + 1, 'expected a duration, like 500ms or 2s');
	return ms;
}

function flags(token: Token | undefined, after: Token): number {
	const parsed = token === undefined ? undefined : parseFlagNames(token.text);
	if (parsed === undefined) throw new ParseFailure(token?.column ?? after.column + after.text.length + 1, 'expected TCP flags joined by commas, like SYN,ACK (names: FIN SYN RST PSH ACK URG ECE CWR AE)');
	return parsed;
}

/** `seq=1 ack=1 win=502 urg=0 len=10 data="..." hex=0a0b mss=1460 sackOK wscale=7 ts=1,0 nop eol noopts`; in `expect` also `win>N` and bare option names. */
function segmentFields(tokens: readonly Token[], forExpect: boolean): {fields: SegmentFields; rest: Token[]} {
	const fields: {-readonly [K in keyof SegmentFields]: SegmentFields[K]} = {};
	const options: TcpOption[] = [];
	const checks: OptionCheck[] = [];
	const bounds: FieldBound[] = [];
	let noOptions = false;
	const rest: Token[] = [];
	for (const token of tokens) {
		const [, key = token.text, operator, raw] = /^([a-z]+)(<=|>=|<|>|=)(.*)$/i.exec(token.text) ?? [];
		const valueColumn = token.column + key.length + (operator?.length ?? 0);
		if (operator !== undefined && operator !== '=') {
			if (!['seq', 'ack', 'win', 'urg', 'len'].includes(key)) {
				rest.push(token);
				continue;
			}

			if (!forExpect) throw new ParseFailure(token.column + key.length, `${key}${operator} is for expect; send takes ${key}=N`);
			if (raw === undefined || raw === '') throw new ParseFailure(valueColumn, `${key}${operator} needs a value, like ${key}${operator}100`);
			bounds.push({field: key as BoundedField, operator: operator as FieldBound['operator'], value: value(raw, valueColumn)});
			continue;
		}

		switch (key) {
			case 'seq':
			case 'ack':
			case 'win':
			case 'urg': {
				if (raw === undefined || raw === '') throw new ParseFailure(valueColumn, `${key} needs a value, like ${key}=1`);
				fields[key] = value(raw, valueColumn);
				break;
			}

			case 'len': {
				if (!forExpect) throw new ParseFailure(token.column, 'len is for expect; send the bytes with data="..."');
				if (raw === undefined || raw === '') throw new ParseFailure(valueColumn, 'len needs a value, like len=0');
				fields.len = value(raw, valueColumn);
				break;
			}

			case 'data': {
				fields.data = quoted(token, 5);
				break;
			}

			case 'hex': {
				if (raw === undefined || !/^([\da-f]{2})+$/i.test(raw)) throw new ParseFailure(valueColumn, 'hex needs pairs of hex digits, like hex=0d0a');
				fields.data = new Uint8Array(raw.match(/../g)!.map(pair => Number.parseInt(pair, 16)));
				break;
			}

			case 'noopts': {
				noOptions = true;
				break;
			}

			case 'sack': {
				if (!forExpect) throw new ParseFailure(token.column, 'sack is for expect (the engine sends SACK blocks itself)');
				checks.push(raw === undefined ? {kind: 'sack'} : {kind: 'sack', blocks: sackBlocks(raw, valueColumn)});
				break;
			}

			case 'mss':
			case 'sackOK':
			case 'wscale':
			case 'ts':
			case 'nop':
			case 'eol': {
				if (forExpect && raw === undefined && key !== 'nop' && key !== 'eol') {
					checks.push({kind: key === 'ts' ? 'timestamps' : key});
					break;
				}

				const option = parseOption(token.text);
				if (option === undefined) throw new ParseFailure(token.column, `bad option "${token.text}" (mss=N, sackOK, wscale=N, ts=VAL,ECR, nop, eol${forExpect ? '; or mss, wscale, ts, sack alone for any value' : ''})`);
				options.push(option);
				if (option.kind !== 'nop' && option.kind !== 'eol') checks.push(option.kind === 'sackOK' ? {kind: 'sackOK'} : {kind: option.kind, equals: option});
				break;
			}

			default: {
				rest.push(token);
			}
		}
	}

	if (forExpect) {
		if (noOptions || checks.length > 0) fields.expectOptions = checks;
		if (bounds.length > 0) fields.bounds = bounds;
	} else if (noOptions || options.length > 0) {
		fields.options = options;
	}

	return {fields, rest};
}

/** `11:21,31:41`: SACK blocks, left and right edges relative to our ISS as tcpdump prints them. */
function sackBlocks(raw: string, column: number): Array<readonly [Value, Value]> {
	const blocks: Array<readonly [Value, Value]> = [];
	let at = column;
	for (const block of raw.split(',')) {
		const [left, right, extra] = block.split(':');
		if (left === undefined || right === undefined || extra !== undefined || left === '' || right === '') throw new ParseFailure(at, `a SACK block is LEFT:RIGHT, like sack=11:21, not "${block}"`);
		blocks.push([value(left, at), value(right, at + left.length + 1)]);
		at += block.length + 1;
	}

	return blocks;
}

function within(rest: Token[], keyword: Token): number {
	if (rest.length === 0) return defaultExpectMs;
	const [word, amount, ...extra] = rest;
	if (word!.text !== 'within') throw new ParseFailure(word!.column, `unexpected "${word!.text}"`);
	const ms = duration(amount, word!);
	if (extra.length > 0) throw new ParseFailure(extra[0]!.column, `unexpected "${extra[0]!.text}" after the time window`);
	void keyword;
	return ms;
}

function autoStep(tokens: Token[], keyword: Token): Partial<AutoPolicies> {
	const [mode, ...names] = tokens;
	if (!mode || (mode.text !== 'on' && mode.text !== 'off')) throw new ParseFailure(mode?.column ?? keyword.column + 5, 'expected on or off, then policies (default: all but rstUnknown)');
	const on = mode.text === 'on';
	const chosen = names.length === 0 ? defaultPolicyNames : names.map(token => {
		if (token.text === 'ack=immediate' || token.text === 'ack=delayed') return token.text;
		if (!(policyNames as readonly string[]).includes(token.text)) throw new ParseFailure(token.column, `unknown policy "${token.text}" (${policyNames.join(', ')}; ack=immediate or ack=delayed)`);
		return token.text;
	});
	const policies: Record<string, boolean | string> = {};
	for (const name of chosen) {
		if (name.startsWith('ack=')) policies['ack'] = on ? name.slice(4) : 'off';
		else if (name === 'read') policies['read'] = on ? 'arrival' : 'manual';
		else policies[name] = name === 'ack' ? (on ? 'delayed' : 'off') : on;
	}

	return policies as Partial<AutoPolicies>;
}

/** `on #N` after `send`, `expect`, `read` or `fault` (anywhere after the keyword), taken out of the arguments. */
function target(keyword: Token, args: Token[]): {args: Token[]; on?: number} {
	// A fault's own `on` names a segment class (`on data`); only `on #N` names a connection there.
	const at = keyword.text === 'fault' ? args.findIndex((token, index) => token.text === 'on' && args[index + 1]?.text.startsWith('#')) : args.findIndex(token => token.text === 'on');
	// `auto on`, and faults (`... on retransmissions`) have their own `on`.
	if (at < 0 || !['send', 'expect', 'read', 'fault'].includes(keyword.text)) return {args};
	const name = args[at + 1];
	const match = name === undefined ? null : /^#(\d{1,4})$/.exec(name.text);
	if (!match || Number(match[1]) < 1) throw new ParseFailure(name?.column ?? args[at]!.column + 3, 'on needs a connection, like on #1 (the first connect or listen)');
	return {args: [...args.slice(0, at), ...args.slice(at + 2)], on: Number(match[1])};
}

function parseLine(line: string, number: number): Step | undefined {
	const words = wordsOf(line);
	if (words.length === 0) return undefined;
	const [keyword, ...rest] = words as [Token, ...Token[]];
	const {args, on} = target(keyword, rest);
	const text = line.trim();
	const base = on === undefined ? {line: number, text} : {line: number, text, on};
	switch (keyword.text) {
		case 'connect': {
			const [target, ...options] = args;
			const match = target === undefined ? null : /^(.+):(\d+|\$[a-z_]\w*)$/i.exec(target.text);
			if (!match) throw new ParseFailure(target?.column ?? keyword.column + 8, 'connect needs HOST:PORT, like 198.18.0.2:80 or $peer:80');
			const port = match[2]!.startsWith('$') ? match[2]! : Number(match[2]);
			if (typeof port === 'number' && (port < 1 || port > 65_535)) throw new ParseFailure(target!.column + match[1]!.length + 1, `port ${port} is not from 1 to 65535`);
			let sport: number | undefined;
			let iss: number | undefined;
			for (const option of options) {
				const [key, raw] = option.text.split('=', 2);
				const n = Number(raw);
				if (key === 'sport' && Number.isInteger(n) && n >= 1 && n <= 65_535) sport = n;
				else if (key === 'iss' && raw !== undefined && /^\d+$/.test(raw) && n <= 0xff_ff_ff_ff) iss = n;
				else throw new ParseFailure(option.column, `unexpected "${option.text}" (connect takes sport=N and iss=N)`);
			}

			return {...base, kind: 'connect', host: match[1]!, port, ...(sport === undefined ? {} : {sport}), ...(iss === undefined ? {} : {iss})};
		}

		case 'listen': {
			const port = Number(args[0]?.text);
			if (!args[0] || !Number.isInteger(port) || port < 1 || port > 65_535) throw new ParseFailure(args[0]?.column ?? keyword.column + 7, 'listen needs a port from 1 to 65535');
			if (args[1]) throw new ParseFailure(args[1].column, `unexpected "${args[1].text}"`);
			return {...base, kind: 'listen', port};
		}

		case 'send': {
			const flagBits = flags(args[0], keyword);
			const {fields, rest} = segmentFields(args.slice(1), false);
			if (rest.length > 0) throw new ParseFailure(rest[0]!.column, `unexpected "${rest[0]!.text}" (seq=, ack=, win=, urg=, data="...", hex=, options)`);
			return {...base, kind: 'send', flags: flagBits, fields};
		}

		case 'expect': {
			const [what, ...more] = args;
			if (!what) throw new ParseFailure(keyword.column + 7, 'expect what? FLAGS, nothing, state STATE, or data ~ "text"');
			if (what.text === 'nothing') return {...base, kind: 'expect-nothing', withinMs: within(more, what)};
			if (what.text === 'state') {
				const state = more[0]?.text as TcpState | undefined;
				if (!state || !(tcpStates as readonly string[]).includes(state)) throw new ParseFailure(more[0]?.column ?? what.column + 6, `expected an RFC 9293 state (${tcpStates.join(', ')})`);
				return {...base, kind: 'expect-state', state, withinMs: within(more.slice(1), what)};
			}

			if (what.text === 'data') {
				const [operator, string, ...tail] = more;
				if (!operator || (operator.text !== '~' && operator.text !== '=')) throw new ParseFailure(operator?.column ?? what.column + 5, 'expected ~ (contains) or = (equals), then a quoted string');
				if (!string) throw new ParseFailure(operator.column + 2, 'expected a quoted string');
				return {...base, kind: 'expect-data', match: operator.text === '~' ? 'contains' : 'equals', bytes: quoted(string, 0), withinMs: within(tail, what)};
			}

			const exact = more[0]?.text === 'exactly';
			const {fields, rest} = segmentFields(exact ? more.slice(1) : more, true);
			return {...base, kind: 'expect-segment', flags: flags(what, keyword), exact, fields, withinMs: within(rest, what)};
		}

		case 'auto': {
			return {...base, kind: 'auto', policies: autoStep(args, keyword)};
		}

		case 'fault': {
			if (args.length === 1 && args[0]!.text === 'clear') return {...base, kind: 'fault-clear'};
			const start = args[0]?.column ?? keyword.column + 6;
			// `on #N` (which connection) is not the fault's: out before the fault's own words are read.
			const parsed = parseFault(line.slice(start - 1).replace(/\s+on\s+#\d+\b/, '').replace(/\s+#.*$/, ''), start);
			if (!parsed.ok) throw new ParseFailure(parsed.column, parsed.message);
			return {...base, kind: 'fault', plan: parsed.plan};
		}

		case 'sleep': {
			const ms = duration(args[0], keyword);
			if (args[1]) throw new ParseFailure(args[1].column, `unexpected "${args[1].text}"`);
			return {...base, kind: 'sleep', ms};
		}

		case 'read': {
			if (args[0]) throw new ParseFailure(args[0].column, `unexpected "${args[0].text}"`);
			return {...base, kind: 'read'};
		}

		case 'reader': {
			const [mode, rate, extra] = args;
			if (!mode || !(readerModes as readonly string[]).includes(mode.text)) throw new ParseFailure(mode?.column ?? keyword.column + 7, 'expected a reader mode: arrival, manual, or slow N (bytes per second)');
			if (mode.text !== 'slow') {
				if (rate) throw new ParseFailure(rate.column, `unexpected "${rate.text}" (only slow takes a rate)`);
				return {...base, kind: 'reader', mode: mode.text as ReaderMode};
			}

			if (!rate) return {...base, kind: 'reader', mode: 'slow'};
			const n = Number(rate.text);
			if (!/^\d+$/.test(rate.text) || !isReaderRate(n)) throw new ParseFailure(rate.column, `expected bytes per second, a whole number from 1, not "${rate.text}"`);
			if (extra) throw new ParseFailure(extra.column, `unexpected "${extra.text}"`);
			return {...base, kind: 'reader', mode: 'slow', rate: n};
		}

		default: {
			throw new ParseFailure(keyword.column, `unknown step "${keyword.text}" (connect, listen, send, expect, auto, fault, sleep, read, reader)`);
		}
	}
}

export function parseScenario(source: string): ScenarioParse {
	const steps: Step[] = [];
	const lines = source.split(/\r?\n/);
	for (const [index, line] of lines.entries()) {
		try {
			const step = parseLine(line, index + 1);
			if (step) steps.push(step);
		} catch (error) {
			if (error instanceof ParseFailure) return {ok: false, line: index + 1, column: error.column, message: error.message};
			throw error;
		}
	}

	let opened = 0;
	for (const step of steps) {
		if (step.kind === 'connect' || step.kind === 'listen') opened++;
		else if (step.on !== undefined && step.on > opened) return {ok: false, line: step.line, column: indent(lines, step.line) + step.text.lastIndexOf(`#${step.on}`) + 1, message: `on #${step.on}: only ${opened} connect or listen ${opened === 1 ? 'step comes' : 'steps come'} before this line`};
	}

	const first = steps.find(step => step.kind === 'connect' || step.kind === 'listen');
	const needsConnection = steps.find(step => step.kind === 'send' || step.kind.startsWith('expect') || step.kind === 'read');
	if (needsConnection && (!first || first.line > needsConnection.line)) {
		return {ok: false, line: needsConnection.line, column: 1, message: `"${needsConnection.text.split(/\s/)[0]}" before any connect or listen: there is no connection yet`};
	}

	return {ok: true, steps};
}

/** Columns of white space before the line's text (a step's text is trimmed). */
function indent(lines: readonly string[], number: number): number {
	const text = lines[number - 1] ?? '';
	return text.length - text.trimStart().length;
}
