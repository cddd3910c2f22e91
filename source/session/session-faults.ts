import {formatFault} from '../syntax/fault-text.js';
import {type ActivePlan, type FaultPlan, FaultPlans, type IncomingEffect, type OutgoingEffect} from '../engine/faults.js';
import type {TcpRecord} from '../wire/records.js';
import type {Clock} from './clock.js';
import type {Annotation} from './packet-log.js';

export type FaultView = {
	readonly id: number;
	/** The fault in the script/TUI vocabulary: `out window 0 count 3`. */
	readonly text: string;
	readonly direction: 'in' | 'out';
	/** The connection it is limited to, when it is. */
	readonly connection: number | undefined;
	readonly applied: number;
	/** Segments left, when counted. */
	readonly remaining: number | undefined;
	/** Milliseconds left, when timed. */
	readonly remainingMs: number | undefined;
};

/**
 * The faults in force on a session: the TUI's `x` menu and scripts' `fault` steps add them; the
 * session consults them for every segment it sends and takes.
 */
export class SessionFaults {
	readonly #plans = new FaultPlans();
	readonly #clock: Clock;
	readonly #changed: () => void;

	constructor(clock: Clock, changed: () => void) {
		this.#clock = clock;
		this.#changed = changed;
	}

	/** A fault on `connection`'s segments only, or on every connection's when none is named. */
	add(plan: FaultPlan, connection?: number): number {
		const id = this.#plans.add(this.#clock.now(), plan, connection);
		this.#changed();
		return id;
	}

	remove(id: number): void {
		this.#plans.remove(id);
		this.#changed();
	}

	clear(direction?: 'in' | 'out'): void {
		this.#plans.clear(direction);
		this.#changed();
	}

	/** Pending and active faults, for the connection pane. */
	view(): FaultView[] {
		const now = this.#clock.now();
		return this.#plans.active(now).map(plan => viewOf(plan, now));
	}

	get any(): boolean {
		// Asked for every segment: with no fault held, the clock is not read at all.
		return this.#plans.size > 0 && this.#plans.any(this.#clock.now());
	}

	outgoing(segment: TcpRecord, connection?: number): OutgoingEffect {
		const effect = this.#plans.applyOutgoing(this.#clock.now(), segment, connection);
		if (effect.notes.length > 0) this.#changed();
		return effect;
	}

	incoming(segment: TcpRecord, connection?: number): IncomingEffect {
		const effect = this.#plans.applyIncoming(this.#clock.now(), segment, connection);
		if (effect.notes.length > 0) this.#changed();
		return effect;
	}
}

function viewOf(plan: ActivePlan, now: number): FaultView {
	return {
		id: plan.id,
		text: formatFault(plan),
		direction: plan.direction,
		connection: plan.connection,
		applied: plan.applied,
		remaining: plan.count === undefined ? undefined : plan.count - plan.applied,
		remainingMs: plan.untilMs === undefined ? undefined : Math.max(0, Math.round(plan.untilMs - now)),
	};
}

/** Fault notes as packet-log annotations. */
export function faultAnnotations(notes: readonly string[]): Annotation[] {
	return notes.map(text => ({code: 'fault', text, severity: 'warn'}));
}
