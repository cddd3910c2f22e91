import type {FaultPlan} from '../engine/faults.js';
import {formatDuration} from '../syntax/durations.js';
import {quoteBytes} from '../syntax/escapes.js';
import {formatFault} from '../syntax/fault-text.js';
import {autopilotPolicyNames} from '../syntax/policy-names.js';
import {flagNames} from '../syntax/tcp-flags.js';
import type {TcbSnapshot} from '../engine/tcb.js';
import {formatIpv4} from '../wire/addresses.js';
import {tcpFlags} from '../wire/records.js';
import {type AutoPolicies, autoPolicies, manualPolicies} from './auto-policies.js';
import type {LogEntry} from './packet-log.js';
import type {ReaderMode} from './reader.js';
import type {Session} from './session.js';

/**
 * Records what is done to a session as a scenario script (docs/scenarios.md) that `synack run`
 * replays to the same exchange. The TUI performs its actions through the recorder; what the peer
 * sends in between is recorded as it arrives.
 *
 * Replay has no human timing, so each incoming segment becomes an `expect FLAGS exactly [len=N]`:
 * the replay waits for what the user waited for (the SYN-ACK before the ACK) and no longer, and
 * checks that the peer still answers the same way. A gap of thinking time before an action becomes
 * a `sleep`, capped: the peer's timers that send nothing (Linux rate-limits challenge ACKs to one per
 * 500 ms, net.ipv4.tcp_invalid_ratelimit) see about the same pacing.
 */
export type RecorderOptions = {
	/** Each line as it is recorded (`--record FILE` appends it to the file). */
	readonly onLine?: (line: string) => void;
	/** Milliseconds, any origin. */
	readonly now?: () => number;
	/** `connect $NAME:PORT` instead of the peer's address: a lab session replays on any lab. */
	readonly peerVariable?: string;
	/** Gaps before an action shorter than this are not recorded (ms). */
	readonly minSleepMs?: number;
	/** Longer gaps are recorded as this long (ms). */
	readonly maxSleepMs?: number;
	/** Incoming segments between two actions recorded one by one; after that only the last is. */
	readonly maxExpects?: number;
};

export type SendCommand = 'syn' | 'ack' | 'data' | 'fin' | 'rst';

const {SYN, ACK, FIN, RST, PSH} = tcpFlags;
const defaultWindowMs = 1000;

/** What the engine puts in the flags field for a manual action in this TCB (RFC 9293 §3.10). */
export function commandFlags(command: SendCommand, tcb: Pick<TcbSnapshot, 'state' | 'irs'>): number {
	// RFC 9293 §3.4: once the peer's SYN is known every segment but a RST in SYN-SENT carries ACK.
	const synchronized = tcb.irs !== undefined && tcb.state !== 'CLOSED' && tcb.state !== 'LISTEN';
	const ack = synchronized ? ACK : 0;
	switch (command) {
		case 'syn': {
			return SYN | ack;
		}

		case 'ack': {
			return ACK;
		}

		case 'data': {
			return PSH | ack;
		}

		case 'fin': {
			return FIN | ack;
		}

		case 'rst': {
			return RST | (synchronized && tcb.state !== 'SYN-SENT' ? ACK : 0);
		}
	}
}

const defaultOn = autopilotPolicyNames.filter(name => name !== 'rstUnknown');

/** `reader MODE [RATE]`: the script step for a reader mode. */
export function readerLine(mode: ReaderMode, rate: number): string {
	return mode === 'slow' ? `reader slow ${rate}` : `reader ${mode}`;
}

/**
 * `auto on|off [policies]` lines that take `from` to `to` (nothing when they are the same); the
 * reader, when it ends up other than those lines leave it, as `reader MODE` (`rate` for `slow`).
 */
export function autoLines(from: AutoPolicies, to: AutoPolicies, rate = 0): string[] {
	const lines = engineLines(from, to);
	// `auto on` / `auto off` set the reader too (arrival / manual); named policies leave it.
	const implied = lines[0] === 'auto on' ? autoPolicies.read : lines[0] === 'auto off' ? manualPolicies.read : from.read;
	if (to.read !== implied) lines.push(readerLine(to.read, rate));
	return lines;
}

function engineLines(from: AutoPolicies, to: AutoPolicies): string[] {
	const changed = autopilotPolicyNames.filter(name => from[name] !== to[name]);
	if (changed.length === 0) return [];
	// `auto on` / `auto off` alone set every policy but rstUnknown, as the A key does.
	if (from.rstUnknown === to.rstUnknown) {
		if (defaultOn.every(name => to[name] === autoPolicies[name])) return ['auto on'];
		if (defaultOn.every(name => to[name] === manualPolicies[name])) return ['auto off'];
	}

	const on: string[] = [];
	const off: string[] = [];
	for (const name of changed) {
		const value = to[name];
		if (value === false || value === 'off') off.push(name);
		else if (value === true) on.push(name);
		else on.push(`ack=${value}`);
	}

	return [...(off.length > 0 ? [`auto off ${off.join(' ')}`] : []), ...(on.length > 0 ? [`auto on ${on.join(' ')}`] : [])];
}

/** `expect` for a segment that arrived: its flags exactly, its length when it carries data. */
export function expectLine(entry: LogEntry, windowMs: number): string {
	const tcp = entry.frame.tcp;
	if (!tcp) return '';
	const length = tcp.payload.length;
	return `expect ${flagNames(tcp.flags)} exactly${length > 0 ? ` len=${length}` : ''}${windowMs > defaultWindowMs ? ` within ${formatDuration(windowMs)}` : ''}`;
}

/** The time window an `expect` gets when the segment came `gapMs` after the previous step: room for a slower peer. */
export function expectWindow(gapMs: number): number {
	return Math.max(defaultWindowMs, Math.ceil((gapMs * 1.5 + 500) / 100) * 100);
}

export class Recorder {
	readonly #session: Session;
	readonly #lines: string[] = [];
	readonly #onLine: ((line: string) => void) | undefined;
	readonly #now: () => number;
	readonly #peerVariable: string | undefined;
	readonly #minSleepMs: number;
	readonly #maxSleepMs: number;
	readonly #maxExpects: number;
	readonly #unsubscribe: () => void;
	/**
	 * Connections announced with `connect`/`listen`, each with its number in the script (`on #N`); steps
	 * on any other than the newest say `on #N`.
	 */
	readonly #known = new Map<number, number>();
	#connection: number | undefined;
	/** Log frames up to this number have been looked at. */
	#seen: number;
	#auto: AutoPolicies;
	#acting = false;
	#last: number;
	/** Expects recorded since the last action, and the newest incoming segment left out beyond the limit. */
	#expects = 0;
	#held: {entry: LogEntry; at: number; skipped: number} | undefined;

	constructor(session: Session, options: RecorderOptions = {}) {
		this.#session = session;
		this.#onLine = options.onLine;
		this.#now = options.now ?? (() => performance.now());
		this.#peerVariable = options.peerVariable;
		this.#minSleepMs = options.minSleepMs ?? 100;
		this.#maxSleepMs = options.maxSleepMs ?? 2000;
		this.#maxExpects = options.maxExpects ?? 16;
		this.#last = this.#now();
		this.#seen = session.log.count;
		this.#auto = session.getSnapshot().auto;
		this.#unsubscribe = session.subscribe(() => {
			if (!this.#acting) this.#catchUp();
		});
		this.#catchUp();
	}

	/** The script so far, one step a line. */
	get lines(): readonly string[] {
		return this.#lines;
	}

	get text(): string {
		return this.#lines.map(line => `${line}\n`).join('');
	}

	/** `s a d f r`: the action on connection `id`, recorded once the session has sent it. */
	send(id: number, command: SendCommand, payload?: Uint8Array): LogEntry {
		this.#catchUp();
		const flags = commandFlags(command, this.#session.tcb(id));
		const entry = this.#act(() => {
			const session = this.#session;
			if (command === 'data') return session.data(id, payload ?? new Uint8Array(0));
			return session[command](id);
		});
		this.#action(`send ${flagNames(flags)}${command === 'data' ? ` data=${quoteBytes(payload ?? new Uint8Array(0))}` : ''}${this.#on(id)}`);
		this.#catchUp();
		return entry;
	}

	setAuto(policies: Partial<AutoPolicies>): void {
		this.#catchUp();
		const from = this.#auto;
		this.#act(() => this.#session.setAuto(policies));
		this.#auto = this.#session.getSnapshot().auto;
		const lines = autoLines(from, this.#auto, this.#session.readerRate);
		for (const [index, line] of lines.entries()) {
			if (index === 0) this.#action(line);
			else this.#add(line);
		}

		this.#catchUp();
	}

	/** The reader's mode (`Ctrl-R`): `reader MODE [RATE]`. */
	setReader(mode: ReaderMode, rate?: number): void {
		this.#catchUp();
		this.#act(() => this.#session.setReader(mode, rate));
		this.#auto = this.#session.getSnapshot().auto;
		this.#action(readerLine(mode, this.#session.readerRate));
		this.#catchUp();
	}

	/** `R`: reads what has arrived on `id` (`read`); returns how many octets. */
	read(id: number): number {
		this.#catchUp();
		const bytes = this.#act(() => this.#session.read(id));
		this.#action(`read${this.#on(id)}`);
		this.#catchUp();
		return bytes.length;
	}

	/** A fault on `connection` only (the TUI's selected one), or on every connection. */
	addFault(plan: FaultPlan, connection?: number): number {
		this.#catchUp();
		const id = this.#act(() => this.#session.faults.add(plan, connection));
		this.#action(`fault ${formatFault(plan)}${this.#on(connection)}`);
		return id;
	}

	clearFaults(): void {
		this.#catchUp();
		this.#act(() => this.#session.faults.clear());
		this.#action('fault clear');
	}

	/** Stops watching the session; a segment held back by the limit is written first. */
	close(): void {
		this.#unsubscribe();
		this.#flushHeld();
	}

	/** ` on #N` for a connection other than the newest one recorded. */
	#on(id: number | undefined): string {
		const number = id === undefined ? undefined : this.#known.get(id);
		return number === undefined || id === this.#connection ? '' : ` on #${number}`;
	}

	#act<T>(work: () => T): T {
		this.#acting = true;
		try {
			return work();
		} finally {
			this.#acting = false;
		}
	}

	#action(line: string): void {
		this.#flushHeld();
		const gap = this.#now() - this.#last;
		if (gap >= this.#minSleepMs) this.#add(`sleep ${formatDuration(Math.round(Math.min(gap, this.#maxSleepMs) / 10) * 10)}`);
		this.#add(line);
		this.#expects = 0;
	}

	#add(line: string): void {
		this.#lines.push(line);
		this.#last = this.#now();
		this.#onLine?.(line);
	}

	#catchUp(): void {
		const snapshot = this.#session.getSnapshot();
		for (const connection of snapshot.connections) {
			if (this.#known.has(connection.id)) continue;
			// A listener synack put on the port is the script's `listen` once it takes a SYN.
			if (connection.spawned && connection.tcb.state === 'LISTEN') continue;
			this.#known.set(connection.id, this.#known.size + 1);
			this.#connection = connection.id;
			if (connection.spawned || (connection.tcb.state === 'LISTEN' && connection.remote === undefined)) {
				this.#add(`listen ${connection.local.port}`);
			} else if (connection.remote) {
				const host = this.#peerVariable === undefined ? formatIpv4(connection.remote.ip) : `$${this.#peerVariable}`;
				this.#add(`connect ${host}:${connection.remote.port}`);
			}
		}

		this.#auto = snapshot.auto;
		const log = this.#session.log;
		const oldest = log.count - log.size + 1;
		for (let number = Math.max(this.#seen + 1, oldest); number <= log.count; number++) {
			const entry = log.at(number - oldest);
			if (entry?.direction !== 'in' || entry.connection === undefined || !this.#known.has(entry.connection)) continue;
			this.#incoming(entry);
		}

		this.#seen = log.count;
	}

	#incoming(entry: LogEntry): void {
		if (!entry.frame.tcp) return;
		const at = this.#now();
		if (this.#expects < this.#maxExpects) {
			this.#expects++;
			this.#add(expectLine(entry, expectWindow(at - this.#last)) + this.#on(entry.connection));
			return;
		}

		this.#held = {entry, at, skipped: (this.#held?.skipped ?? 0) + (this.#held ? 1 : 0)};
	}

	/** Beyond the limit only the newest segment is waited for: `expect` skips the ones before it. */
	#flushHeld(): void {
		const held = this.#held;
		if (!held) return;
		this.#held = undefined;
		if (held.skipped > 0) this.#add(`# ${held.skipped} more ${held.skipped === 1 ? 'segment' : 'segments'} arrived here`);
		this.#lines.push(expectLine(held.entry, expectWindow(held.at - this.#last)) + this.#on(held.entry.connection));
		this.#onLine?.(this.#lines.at(-1)!);
		this.#last = held.at;
	}
}
