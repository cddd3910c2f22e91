import type {SegmentOverrides} from '../engine/segment.js';
import {seqAdd, seqSub} from '../engine/seq.js';
import {parseIpv4} from '../wire/addresses.js';
import {type TcpOption, type TcpRecord, tcpFlags} from '../wire/records.js';
import {describeOption} from '../syntax/tcp-options.js';
import {flagNames} from '../syntax/tcp-flags.js';
import type {LogEntry} from './packet-log.js';
import type {BoundedField, FieldBound, OptionCheck, SegmentFields, Step, Value} from './scenario-parse.js';
import type {Session} from './session.js';

export type StepResult = {
	readonly step: Step;
	readonly ok: boolean;
	/** Why it failed, or what it bound. */
	readonly message?: string;
	/** The log entries the step sent or matched. */
	readonly entries: readonly LogEntry[];
};

export type ScenarioReport = {
	readonly results: readonly StepResult[];
	readonly passed: number;
	readonly failed: number;
};

export type RunOptions = {
	readonly session: Session;
	/** `$name` values given up front (`--var`, the lab's `$peer`). */
	readonly variables?: Readonly<Record<string, string | number>>;
	/** Called as each step ends, for live output. */
	readonly onStep?: (result: StepResult) => void;
};

class StepFailure extends Error {}

/**
 * Runs parsed steps against a session. Every step ends, in its time window at most; a failed step is
 * reported and the script goes on, so that one run shows everything that differs.
 */
export async function runScenario(steps: readonly Step[], options: RunOptions): Promise<ScenarioReport> {
	const runner = new Runner(options);
	const results: StepResult[] = [];
	try {
		for (const step of steps) {
			let result: StepResult;
			try {
				result = await runner.run(step);
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				result = {step, ok: false, message, entries: []};
			}

			results.push(result);
			options.onStep?.(result);
		}
	} finally {
		runner.dispose();
	}

	const passed = results.filter(result => result.ok).length;
	return {results, passed, failed: results.length - passed};
}

class Runner {
	readonly #session: Session;
	readonly #variables = new Map<string, number | string>();
	/** The session's id of each `connect`/`listen`, in script order (`on #N` is the Nth). */
	readonly #ids: number[] = [];
	/** The connection the current step acts on: the newest, or the one `on #N` names. */
	#id: number | undefined;
	/** Per connection, the log entry number after which its incoming segments have not been matched by an `expect` yet. */
	readonly #cursors = new Map<number, number>();
	/** What readers took, per connection. */
	readonly #receivedBy = new Map<number, number[]>();
	readonly #offRead: () => void;

	constructor(options: RunOptions) {
		this.#session = options.session;
		// What any reader takes (the read policy, `read`, `expect data`), for `expect data` to look at.
		this.#offRead = options.session.onRead((id, bytes) => {
			const kept = this.#receivedBy.get(id);
			if (kept) for (const byte of bytes) kept.push(byte);
		});
		for (const [name, value] of Object.entries(options.variables ?? {})) this.#variables.set(name, value);
	}

	dispose(): void {
		this.#offRead();
	}

	async run(step: Step): Promise<StepResult> {
		const session = this.#session;
		const done = (entries: readonly LogEntry[] = [], message?: string): StepResult => (message === undefined ? {step, ok: true, entries} : {step, ok: true, message, entries});
		this.#id = step.on === undefined ? this.#ids.at(-1) : this.#ids[step.on - 1];
		switch (step.kind) {
			case 'connect': {
				const host = this.#text(step.host);
				const port = typeof step.port === 'number' ? step.port : Number(this.#text(step.port));
				this.#opened(await session.connect({ip: parseIpv4(host), port}, {...(step.sport === undefined ? {} : {localPort: step.sport}), ...(step.iss === undefined ? {} : {iss: step.iss})}));
				return done();
			}

			case 'listen': {
				this.#opened(session.listen(step.port));
				return done();
			}

			case 'send': {
				return done([this.#send(step.flags, step.fields)]);
			}

			case 'expect-segment': {
				const entry = await this.#expectSegment(step.flags, step.exact, step.fields, step.withinMs);
				return done([entry]);
			}

			case 'expect-nothing': {
				const id = this.#connection();
				// From the step's start: what arrived earlier, matched by an expect or not, is not "within T".
				const from = session.log.count;
				await sleep(step.withinMs);
				const arrived = this.#incoming(from).filter(entry => entry.connection === id);
				if (arrived.length > 0) return {step, ok: false, message: `${arrived.length} segment${arrived.length === 1 ? '' : 's'} arrived`, entries: arrived};
				return done();
			}

			case 'expect-state': {
				const id = this.#connection();
				const reached = await this.#until(() => session.tcb(id).state === step.state, step.withinMs);
				if (!reached) throw new StepFailure(`the connection is ${session.tcb(id).state}, not ${step.state}, after ${step.withinMs} ms`);
				return done();
			}

			case 'expect-data': {
				const want = step.bytes;
				const test = () => {
					this.#drain();
					return step.match === 'equals' ? equalBytes(this.#received, want) : containsBytes(this.#received, want);
				};

				if (!(await this.#until(test, step.withinMs))) {
					const have = new TextDecoder().decode(new Uint8Array(this.#received.slice(0, 80)));
					throw new StepFailure(`received ${this.#received.length} bytes that do not ${step.match === 'equals' ? 'equal' : 'contain'} the text (they begin ${JSON.stringify(have)})`);
				}

				return done();
			}

			case 'auto': {
				session.setAuto(step.policies);
				return done();
			}

			case 'fault': {
				// On the step's connection (`on #N`, else the newest); before any, on every connection.
				session.faults.add(step.plan, this.#id);
				return done();
			}

			case 'fault-clear': {
				session.faults.clear();
				return done();
			}

			case 'sleep': {
				await sleep(step.ms);
				return done();
			}

			case 'read': {
				this.#drain();
				return done();
			}

			case 'reader': {
				session.setReader(step.mode, step.rate);
				return done();
			}
		}
	}

	#opened(id: number): void {
		this.#ids.push(id);
		this.#id = id;
		this.#receivedBy.set(id, []);
		this.#cursors.set(id, this.#session.log.count);
	}

	get #received(): number[] {
		return this.#receivedBy.get(this.#connection()) ?? [];
	}

	#connection(): number {
		if (this.#id === undefined) throw new StepFailure('there is no connection yet');
		return this.#id;
	}

	#text(value: string): string {
		if (!value.startsWith('$')) return value;
		const bound = this.#variables.get(value.slice(1));
		if (bound === undefined) throw new StepFailure(`${value} has no value (give it with --var ${value.slice(1)}=...)`);
		return String(bound);
	}

	/** A number for a field: relative to `base` unless absolute; variables must be bound. */
	#number(value: Value, base: number | undefined): number {
		if ('variable' in value) {
			const bound = this.#variables.get(value.variable);
			if (bound === undefined) throw new StepFailure(`$${value.variable} has no value yet`);
			return (Number(bound) + (value.offset ?? 0)) >>> 0;
		}

		if (value.absolute || base === undefined) return value.literal;
		return seqAdd(base, value.literal);
	}

	#send(flags: number, fields: SegmentFields): LogEntry {
		const session = this.#session;
		const id = this.#connection();
		const tcb = session.tcb(id);
		const overrides: {-readonly [K in keyof SegmentOverrides]: SegmentOverrides[K]} = {flags};
		if (fields.seq) overrides.seq = this.#number(fields.seq, tcb.iss);
		if (fields.ack) overrides.ack = this.#number(fields.ack, tcb.irs);
		if (fields.win) overrides.window = this.#number(fields.win, undefined);
		if (fields.urg) overrides.urgentPointer = this.#number(fields.urg, undefined);
		if (fields.options) overrides.options = fields.options;
		if (fields.data) overrides.payload = fields.data;
		if (flags & tcpFlags.RST) return session.rst(id, overrides);
		if (flags & tcpFlags.SYN) return session.syn(id, overrides);
		if (flags & tcpFlags.FIN) return session.fin(id, overrides);
		if (fields.data) return session.data(id, fields.data, overrides);
		return session.ack(id, overrides);
	}

	async #expectSegment(flags: number, exact: boolean, fields: SegmentFields, withinMs: number): Promise<LogEntry> {
		const id = this.#connection();
		let mismatch = '';
		let matched: LogEntry | undefined;
		const look = () => {
			for (const entry of this.#incoming(this.#cursors.get(id) ?? 0)) {
				if (entry.connection !== id) continue;
				const why = this.#mismatch(entry, flags, exact, fields);
				this.#cursors.set(id, entry.number);
				if (why === undefined) {
					matched = entry;
					return true;
				}

				mismatch = why;
			}

			return false;
		};

		if (!(await this.#until(look, withinMs))) {
			throw new StepFailure(mismatch ? `no matching segment within ${withinMs} ms (last one: ${mismatch})` : `nothing arrived within ${withinMs} ms`);
		}

		return matched!;
	}

	/** Why `entry` does not match, or undefined when it does (binding new variables). */
	#mismatch(entry: LogEntry, flags: number, exact: boolean, fields: SegmentFields): string | undefined {
		const tcp = entry.frame.tcp;
		if (!tcp) return 'not TCP';
		const has = exact ? tcp.flags === flags : (tcp.flags & flags) === flags;
		if (!has) return `flags ${flagNames(tcp.flags)}`;
		const tcb = this.#session.tcb(this.#connection());
		const bindings: Array<[string, number]> = [];
		const check = (name: string, value: Value | undefined, actual: number, base: number | undefined): string | undefined => {
			if (!value) return undefined;
			const shown = base === undefined ? actual : seqSub(actual, base);
			if ('variable' in value && !this.#variables.has(value.variable)) {
				bindings.push([value.variable, (actual - (value.offset ?? 0)) >>> 0]);
				return undefined;
			}

			const want = this.#number(value, base);
			return want === actual ? undefined : `${name} ${shown}`;
		};

		const problem =
			check('seq', fields.seq, tcp.seq, tcb.irs)
			?? check('ack', fields.ack, tcp.ack, tcb.iss)
			?? check('win', fields.win, tcp.window, undefined)
			?? check('urg', fields.urg, tcp.urgentPointer, undefined)
			?? check('len', fields.len, tcp.payload.length, undefined);
		if (problem) return problem;
		for (const bound of fields.bounds ?? []) {
			const [actual, base] = boundedValue(bound.field, tcp, tcb.iss, tcb.irs);
			const shown = base === undefined ? actual : seqSub(actual, base);
			const limit = 'variable' in bound.value || bound.value.absolute ? this.#number(bound.value, undefined) : bound.value.literal;
			const compared = 'variable' in bound.value || bound.value.absolute || base === undefined ? actual : shown;
			if (!compare(compared, bound.operator, limit)) return `${bound.field} ${shown}`;
		}

		if (fields.expectOptions) {
			const why = this.#optionMismatch(fields.expectOptions, tcp.options, tcb.iss);
			if (why) return why;
		}

		if (fields.data && !equalBytes([...tcp.payload], fields.data)) return 'other payload';
		for (const [name, value] of bindings) this.#variables.set(name, value);
		return undefined;
	}

	/** Exactly the kinds wanted (NOP and EOL aside, any order), with the values given. */
	#optionMismatch(wanted: readonly OptionCheck[], options: readonly TcpOption[], iss: number): string | undefined {
		const present = options.filter(option => option.kind !== 'nop' && option.kind !== 'eol');
		const shown = `options [${present.map(option => describeOption(option, iss)).join(',') || 'none'}]`;
		if (present.map(option => option.kind).sort().join() !== wanted.map(check => check.kind).sort().join()) return shown;
		for (const check of wanted) {
			const option = present.find(candidate => candidate.kind === check.kind)!;
			if (check.equals && JSON.stringify(check.equals) !== JSON.stringify(option)) return shown;
			if (check.blocks && option.kind === 'sack') {
				const blocks = option.blocks.map(([left, right]) => [seqSub(left, iss), seqSub(right, iss)].join(':')).join();
				const want = check.blocks.map(([left, right]) => [this.#number(left, undefined), this.#number(right, undefined)].join(':')).join();
				if (blocks !== want) return shown;
			}
		}

		return undefined;
	}

	#incoming(afterNumber: number): LogEntry[] {
		const log = this.#session.log;
		const oldest = log.count - log.size + 1;
		const out: LogEntry[] = [];
		for (let number = Math.max(afterNumber + 1, oldest); number <= log.count; number++) {
			const entry = log.at(number - oldest);
			if (entry?.direction === 'in') out.push(entry);
		}

		return out;
	}

	#drain(): void {
		if (this.#id === undefined || this.#session.tcb(this.#id).readable === 0) return;
		this.#session.read(this.#id);
	}

	/** Waits until `condition` holds (checked at once and on every session change) or `ms` pass. */
	#until(condition: () => boolean, ms: number): Promise<boolean> {
		if (condition()) return Promise.resolve(true);
		return new Promise(resolve => {
			const finish = (value: boolean) => {
				off();
				clearTimeout(timer);
				resolve(value);
			};

			const off = this.#session.subscribe(() => {
				if (condition()) finish(true);
			});
			const timer = setTimeout(() => finish(condition()), ms);
		});
	}
}

function boundedValue(field: BoundedField, tcp: TcpRecord, iss: number, irs: number | undefined): [number, number | undefined] {
	switch (field) {
		case 'seq': {
			return [tcp.seq, irs];
		}

		case 'ack': {
			return [tcp.ack, iss];
		}

		case 'win': {
			return [tcp.window, undefined];
		}

		case 'urg': {
			return [tcp.urgentPointer, undefined];
		}

		case 'len': {
			return [tcp.payload.length, undefined];
		}
	}
}

function compare(actual: number, operator: FieldBound['operator'], limit: number): boolean {
	switch (operator) {
		case '<': {
			return actual < limit;
		}

		case '<=': {
			return actual <= limit;
		}

		case '>': {
			return actual > limit;
		}

		case '>=': {
			return actual >= limit;
		}
	}
}

function equalBytes(have: readonly number[], want: Uint8Array): boolean {
	return have.length === want.length && want.every((byte, i) => have[i] === byte);
}

function containsBytes(have: readonly number[], want: Uint8Array): boolean {
	outer: for (let start = 0; start + want.length <= have.length; start++) {
		for (let i = 0; i < want.length; i++) if (have[start + i] !== want[i]) continue outer;
		return true;
	}

	return false;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
