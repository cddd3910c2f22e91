import type {FaultPlan, IncomingFault, OutgoingFault, SegmentClass} from '../engine/faults.js';
import {formatDuration, parseDuration} from './durations.js';
import {formatOption, parseOption} from './tcp-options.js';
import {flagNames, parseFlagNames} from './tcp-flags.js';
import {type Token, tokenize} from './tokens.js';

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

/** Parses one fault; `startColumn` is where `line` begins in its source (1-based), for error columns. */
export function parseFault(line: string, startColumn = 1): FaultParse {
	const tokens = tokenize(line, startColumn);
	if (!Array.isArray(tokens)) return {ok: false, ...tokens};
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
			const flags = token === undefined ? undefined : parseFlagNames(token.text);
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
			words.push('flags', flagNames(fault.value));
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
