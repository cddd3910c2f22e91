import {type TcpOption, tcpFlags} from '../wire/records.js';
import type {FaultPlan, IncomingFault, OutgoingFault, SegmentClass} from './faults.js';

/**
 * Faults as text, one line each, the same in scripts, the TUI's fault menu and the packet log:
 *
 *   [out|in] FAULT [ARG] [count N | for DURATION | always] [on data|ack|fin|syn|rst|any]
 *
 *   out bad-checksum              out seq +1000 count 3        out window 0 for 5s
 *   out flags SYN,ACK             out option mss=536           in drop count 3 on data
 *   in delay 200ms on ack         out corrupt 4                out drop
 *
 * Without a scope a fault applies to the next matching segment only.
 */
export type FaultSyntaxError = {readonly column: number; readonly message: string};

export type FaultParse = {readonly ok: true; readonly plan: FaultPlan} | ({readonly ok: false} & FaultSyntaxError);

export const outgoingFaultNames = ['bad-checksum', 'bad-tcp-checksum', 'bad-ip-checksum', 'seq', 'ack', 'window', 'flags', 'no-options', 'option', 'ttl', 'corrupt', 'duplicate', 'delay', 'swap', 'drop'] as const;
export const incomingFaultNames = ['drop', 'duplicate', 'delay', 'reorder'] as const;
const classes: readonly SegmentClass[] = ['any', 'data', 'ack', 'fin', 'syn', 'rst'];

type Token = {readonly text: string; readonly column: number};

function tokenize(line: string, startColumn: number): Token[] {
	const tokens: Token[] = [];
	for (const match of line.matchAll(/\S+/g)) tokens.push({text: match[0], column: startColumn + match.index});
	return tokens;
}

/** Parses one fault; `startColumn` is where `line` begins in its source (1-based), for error columns. */
export function parseFault(line: string, startColumn = 1): FaultParse {
	const tokens = tokenize(line, startColumn);
	let at = 0;
	const fail = (token: Token | undefined, message: string): FaultParse => ({ok: false, column: token?.column ?? startColumn + line.trimEnd().length, message});
	let direction: 'in' | 'out' = 'out';
	if (tokens[at]?.text === 'in' || tokens[at]?.text === 'out') direction = tokens[at++]!.text as 'in' | 'out';
	const nameToken = tokens[at++];
	if (!nameToken) return fail(undefined, `a fault name is missing (${direction === 'out' ? outgoingFaultNames.join(', ') : incomingFaultNames.join(', ')})`);
	const argument = () => tokens[at++];

	let fault: OutgoingFault | IncomingFault;
	if (direction === 'in') {
		switch (nameToken.text) {
			case 'drop':
			case 'duplicate':
			case 'reorder': {
				fault = {kind: nameToken.text};
				break;
			}

			case 'delay': {
				const token = argument();
				const ms = parseDuration(token?.text);
				if (ms === undefined) return fail(token, 'delay needs a duration, like 200ms or 1s');
				fault = {kind: 'delay', ms};
				break;
			}

			default: {
				return fail(nameToken, `unknown incoming fault "${nameToken.text}" (${incomingFaultNames.join(', ')})`);
			}
		}
	} else {
		const parsed = parseOutgoing(nameToken, argument);
		if ('message' in parsed) return {ok: false, ...parsed};
		fault = parsed;
	}

	let count: number | undefined = 1;
	let untilFor: number | undefined;
	let match: SegmentClass | undefined;
	while (at < tokens.length) {
		const keyword = tokens[at++]!;
		switch (keyword.text) {
			case 'count': {
				const token = argument();
				const n = Number(token?.text);
				if (!token || !Number.isInteger(n) || n < 1) return fail(token ?? keyword, 'count needs a whole number of segments, 1 or more');
				count = n;
				break;
			}

			case 'for': {
				const token = argument();
				const ms = parseDuration(token?.text);
				if (ms === undefined) return fail(token ?? keyword, 'for needs a duration, like 500ms or 5s');
				untilFor = ms;
				count = undefined;
				break;
			}

			case 'always': {
				count = undefined;
				break;
			}

			case 'on': {
				const token = argument();
				if (!token || !classes.includes(token.text as SegmentClass)) return fail(token ?? keyword, `on needs a segment class (${classes.join(', ')})`);
				match = token.text as SegmentClass;
				break;
			}

			default: {
				return fail(keyword, `unexpected "${keyword.text}" (count N, for DURATION, always, on CLASS)`);
			}
		}
	}

	const scope = {
		...(count === undefined ? {} : {count}),
		...(untilFor === undefined ? {} : {forMs: untilFor}),
		...(match === undefined ? {} : {match}),
	};
	return {ok: true, plan: (direction === 'out' ? {direction, fault: fault as OutgoingFault, ...scope} : {direction, fault: fault as IncomingFault, ...scope}) as FaultPlan};
}

function parseOutgoing(name: Token, argument: () => Token | undefined): OutgoingFault | FaultSyntaxError {
	const fail = (token: Token | undefined, message: string): FaultSyntaxError => ({column: token?.column ?? name.column + name.text.length, message});
	const integer = (kind: string, min: number, max: number): number | FaultSyntaxError => {
		const token = argument();
		const n = Number(token?.text);
		if (!token || !/^[+-]?\d+$/.test(token.text) || n < min || n > max) return fail(token, `${kind} needs a whole number from ${min} to ${max}`);
		return n;
	};

	switch (name.text) {
		case 'bad-checksum':
		case 'bad-tcp-checksum': {
			return {kind: 'bad-tcp-checksum'};
		}

		case 'bad-ip-checksum': {
			return {kind: 'bad-ip-checksum'};
		}

		case 'seq':
		case 'ack': {
			const token = argument();
			if (!token || !/^[+-]\d+$/.test(token.text)) return fail(token, `${name.text} needs a signed offset, like +1000 or -1`);
			return {kind: name.text === 'seq' ? 'seq-offset' : 'ack-offset', by: Number(token.text)};
		}

		case 'window': {
			const value = integer('window', 0, 0xff_ff);
			return typeof value === 'number' ? {kind: 'window', value} : value;
		}

		case 'ttl': {
			const value = integer('ttl', 0, 255);
			return typeof value === 'number' ? {kind: 'ttl', value} : value;
		}

		case 'corrupt': {
			const value = integer('corrupt', 1, 65_535);
			return typeof value === 'number' ? {kind: 'corrupt-payload', bytes: value} : value;
		}

		case 'flags': {
			const token = argument();
			const flags = token === undefined ? undefined : parseFlags(token.text);
			if (flags === undefined) return fail(token, 'flags needs flag names joined by commas, like SYN,ACK or none');
			return {kind: 'flags', value: flags};
		}

		case 'no-options': {
			return {kind: 'drop-options'};
		}

		case 'option': {
			const token = argument();
			const option = token === undefined ? undefined : parseOption(token.text);
			if (option === undefined) return fail(token, 'option needs one of mss=N, wscale=N, sackOK, ts=VAL,ECR, nop, eol');
			return {kind: 'add-option', option};
		}

		case 'delay': {
			const token = argument();
			const ms = parseDuration(token?.text);
			if (ms === undefined) return fail(token, 'delay needs a duration, like 200ms or 1s');
			return {kind: 'delay', ms};
		}

		case 'duplicate':
		case 'swap':
		case 'drop': {
			return {kind: name.text};
		}

		default: {
			return fail(name, `unknown fault "${name.text}" (${outgoingFaultNames.join(', ')})`);
		}
	}
}

/** `SYN,ACK`, `FIN,PSH,ACK`, `none`: flag names as RFC 9293 spells them (AE per RFC 9768). */
export function parseFlags(text: string): number | undefined {
	if (text === 'none') return 0;
	let flags = 0;
	for (const name of text.split(',')) {
		const bit = (tcpFlags as Record<string, number>)[name.toUpperCase()];
		if (bit === undefined) return undefined;
		flags |= bit;
	}

	return flags;
}

export function formatFlags(flags: number): string {
	const names = Object.entries(tcpFlags).filter(([, bit]) => flags & bit).map(([name]) => name);
	return names.length === 0 ? 'none' : names.join(',');
}

export function parseOption(text: string): TcpOption | undefined {
	const [name, value] = text.split('=', 2) as [string, string | undefined];
	const number = (raw: string | undefined, max: number) => (raw !== undefined && /^\d+$/.test(raw) && Number(raw) <= max ? Number(raw) : undefined);
	switch (name) {
		case 'mss': {
			const n = number(value, 0xff_ff);
			return n === undefined ? undefined : {kind: 'mss', value: n};
		}

		case 'wscale': {
			const n = number(value, 255);
			return n === undefined ? undefined : {kind: 'wscale', shift: n};
		}

		case 'sackOK': {
			return value === undefined ? {kind: 'sackOK'} : undefined;
		}

		case 'ts': {
			const [val, ecr] = (value ?? '').split(',');
			const v = number(val, 0xff_ff_ff_ff);
			const e = number(ecr, 0xff_ff_ff_ff);
			return v === undefined || e === undefined ? undefined : {kind: 'timestamps', value: v, echo: e};
		}

		case 'nop':
		case 'eol': {
			return value === undefined ? {kind: name} : undefined;
		}

		default: {
			return undefined;
		}
	}
}

export function formatOption(option: TcpOption): string {
	switch (option.kind) {
		case 'mss': {
			return `mss=${option.value}`;
		}

		case 'wscale': {
			return `wscale=${option.shift}`;
		}

		case 'timestamps': {
			return `ts=${option.value},${option.echo}`;
		}

		case 'sack': {
			return `sack=${option.blocks.map(([left, right]) => `${left}-${right}`).join(',')}`;
		}

		case 'unknown': {
			return `kind${option.type}`;
		}

		default: {
			return option.kind;
		}
	}
}

/** `200ms`, `1s`, `1.5s`. */
export function parseDuration(text: string | undefined): number | undefined {
	const match = text === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
	if (!match) return undefined;
	const value = Number(match[1]) * (match[2] === 's' ? 1000 : 1);
	return Number.isFinite(value) ? Math.round(value) : undefined;
}

export function formatDuration(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The plan as text that `parseFault` reads back to the same plan. */
export function formatFault(plan: FaultPlan): string {
	const words: string[] = [plan.direction];
	const fault = plan.fault;
	switch (fault.kind) {
		case 'bad-tcp-checksum': {
			words.push('bad-checksum');
			break;
		}

		case 'seq-offset':
		case 'ack-offset': {
			words.push(fault.kind === 'seq-offset' ? 'seq' : 'ack', fault.by >= 0 ? `+${fault.by}` : String(fault.by));
			break;
		}

		case 'window':
		case 'ttl': {
			words.push(fault.kind, String(fault.value));
			break;
		}

		case 'flags': {
			words.push('flags', formatFlags(fault.value));
			break;
		}

		case 'drop-options': {
			words.push('no-options');
			break;
		}

		case 'add-option': {
			words.push('option', formatOption(fault.option));
			break;
		}

		case 'corrupt-payload': {
			words.push('corrupt', String(fault.bytes));
			break;
		}

		case 'delay': {
			words.push('delay', formatDuration(fault.ms));
			break;
		}

		default: {
			words.push(fault.kind);
		}
	}

	if (plan.forMs !== undefined) words.push('for', formatDuration(plan.forMs));
	else if (plan.count === undefined) words.push('always');
	else if (plan.count !== 1) words.push('count', String(plan.count));
	if (plan.match !== undefined && plan.match !== 'any') words.push('on', plan.match);
	return words.join(' ');
}
