import {type TcpOption, type TcpRecord, tcpFlags} from '../wire/records.js';
import {seqAdd} from './seq.js';

/**
 * Faults: what synack does to a segment on purpose. One vocabulary for the TUI's fault menu, scripts
 * and tests (syntax/fault-text.ts reads and writes it as text). Pure: the session applies the effects.
 */
export type OutgoingFault =
	| {readonly kind: 'bad-tcp-checksum'}
	| {readonly kind: 'bad-ip-checksum'}
	| {readonly kind: 'seq-offset'; readonly by: number}
	| {readonly kind: 'ack-offset'; readonly by: number}
	| {readonly kind: 'window'; readonly value: number}
	| {readonly kind: 'flags'; readonly value: number}
	| {readonly kind: 'drop-options'}
	| {readonly kind: 'add-option'; readonly option: TcpOption}
	| {readonly kind: 'ttl'; readonly value: number}
	| {readonly kind: 'corrupt-payload'; readonly bytes: number}
	| {readonly kind: 'duplicate'}
	| {readonly kind: 'delay'; readonly ms: number}
	| {readonly kind: 'swap'}
	| {readonly kind: 'drop'};

export type SegmentClass = 'any' | 'data' | 'ack' | 'fin' | 'syn' | 'rst';

export type IncomingFault =
	| {readonly kind: 'drop'}
	| {readonly kind: 'duplicate'}
	| {readonly kind: 'delay'; readonly ms: number}
	| {readonly kind: 'reorder'};

export type FaultScope = {
	/** Applies to the next `count` matching segments, then ends (undefined: until cleared or `untilMs`). */
	readonly count?: number;
	/** Ends this long after it was added (ms). */
	readonly forMs?: number;
	/** Which segments it applies to (any by default). */
	readonly match?: SegmentClass;
};

export type FaultPlan =
	| ({readonly direction: 'out'; readonly fault: OutgoingFault} & FaultScope)
	| ({readonly direction: 'in'; readonly fault: IncomingFault} & FaultScope);

export type ActivePlan = FaultPlan & {
	readonly id: number;
	/** The one connection it applies to (the session's id); every connection's segments when absent. */
	readonly connection?: number;
	/** Segments it has applied to so far. */
	readonly applied: number;
	/** When it ends (from `forMs`), on the clock `add` was given. */
	readonly untilMs?: number;
};

/** What to do with one outgoing segment. */
export type OutgoingEffect = {
	/** The segment as the connection built it. */
	readonly original: TcpRecord;
	/** The segment as it goes on the wire. */
	readonly segment: TcpRecord;
	readonly badTcpChecksum: boolean;
	readonly badIpChecksum: boolean;
	readonly ttl?: number;
	/**
	 * Put this segment's checksum on the wire instead of one computed over `segment`: corruption that
	 * happened in transit, after the sender summed the bytes.
	 */
	readonly checksumOf?: TcpRecord;
	/** Send it this many times (0: not at all, while the TCB believes it was sent). */
	readonly copies: number;
	readonly delayMs: number;
	/** Hold it and send it after the next outgoing segment. */
	readonly swap: boolean;
	/** One line per fault applied, for the packet log. */
	readonly notes: readonly string[];
};

export type IncomingEffect = {
	readonly deliver: boolean;
	readonly copies: number;
	readonly delayMs: number;
	/** Hold it and deliver it after the next incoming segment. */
	readonly reorder: boolean;
	readonly notes: readonly string[];
};

export function segmentClassOf(segment: Pick<TcpRecord, 'flags' | 'payload'>): Exclude<SegmentClass, 'any'> {
	if (segment.flags & tcpFlags.RST) return 'rst';
	if (segment.flags & tcpFlags.SYN) return 'syn';
	if (segment.flags & tcpFlags.FIN) return 'fin';
	return segment.payload.length > 0 ? 'data' : 'ack';
}

function matches(plan: FaultScope, segment: Pick<TcpRecord, 'flags' | 'payload'>): boolean {
	return plan.match === undefined || plan.match === 'any' || plan.match === segmentClassOf(segment);
}

/** The faults in force, in the order they were added; each applies while its scope lasts. */
export class FaultPlans {
	#plans: ActivePlan[] = [];
	#nextId = 1;

	add(now: number, plan: FaultPlan, connection?: number): number {
		const id = this.#nextId++;
		const scoped = connection === undefined ? {...plan, id, applied: 0} : {...plan, id, applied: 0, connection};
		this.#plans.push(plan.forMs === undefined ? scoped : {...scoped, untilMs: now + plan.forMs});
		return id;
	}

	remove(id: number): void {
		this.#plans = this.#plans.filter(plan => plan.id !== id);
	}

	clear(direction?: 'in' | 'out'): void {
		this.#plans = direction === undefined ? [] : this.#plans.filter(plan => plan.direction !== direction);
	}

	/** The plans still in force at `now`. */
	/** Some fault is in force (asked for every segment: no allocation on the way). */
	/** Plans held, expired ones included until the next `any`/`active`: no clock needed to see none. */
	get size(): number {
		return this.#plans.length;
	}

	any(now: number): boolean {
		if (this.#plans.length === 0) return false;
		this.#expire(now);
		return this.#plans.length > 0;
	}

	active(now: number): readonly ActivePlan[] {
		this.#expire(now);
		return this.#plans;
	}

	/** What the faults in force do to `connection`'s outgoing segment. */
	applyOutgoing(now: number, segment: TcpRecord, connection?: number): OutgoingEffect {
		this.#expire(now);
		let effect: OutgoingEffect = {original: segment, segment, badTcpChecksum: false, badIpChecksum: false, copies: 1, delayMs: 0, swap: false, notes: []};
		for (const plan of this.#take(now, 'out', segment, connection)) {
			effect = applyOut(effect, plan.fault as OutgoingFault);
		}

		return effect;
	}

	applyIncoming(now: number, segment: Pick<TcpRecord, 'flags' | 'payload'>, connection?: number): IncomingEffect {
		this.#expire(now);
		let effect: IncomingEffect = {deliver: true, copies: 1, delayMs: 0, reorder: false, notes: []};
		for (const plan of this.#take(now, 'in', segment, connection)) {
			const fault = plan.fault as IncomingFault;
			switch (fault.kind) {
				case 'drop': {
					effect = {...effect, deliver: false, notes: [...effect.notes, 'dropped before the engine saw it (fault)']};
					break;
				}

				case 'duplicate': {
					effect = {...effect, copies: effect.copies + 1, notes: [...effect.notes, 'delivered twice (fault)']};
					break;
				}

				case 'delay': {
					effect = {...effect, delayMs: effect.delayMs + fault.ms, notes: [...effect.notes, `delivered ${fault.ms} ms late (fault)`]};
					break;
				}

				case 'reorder': {
					effect = {...effect, reorder: true, notes: [...effect.notes, 'held back behind the next segment (fault)']};
					break;
				}
			}
		}

		return effect;
	}

	/** The plans that apply to this segment now; each use counts against its scope. */
	#take(now: number, direction: 'in' | 'out', segment: Pick<TcpRecord, 'flags' | 'payload'>, connection: number | undefined): ActivePlan[] {
		const taken: ActivePlan[] = [];
		this.#plans = this.#plans.flatMap(plan => {
			if (plan.direction !== direction || !matches(plan, segment)) return [plan];
			if (plan.connection !== undefined && plan.connection !== connection) return [plan];
			taken.push(plan);
			const used = {...plan, applied: plan.applied + 1};
			return used.count !== undefined && used.applied >= used.count ? [] : [used];
		});
		return taken;
	}

	#expire(now: number): void {
		if (this.#plans.some(plan => plan.untilMs !== undefined && now >= plan.untilMs)) {
			this.#plans = this.#plans.filter(plan => plan.untilMs === undefined || now < plan.untilMs);
		}
	}
}

function applyOut(effect: OutgoingEffect, fault: OutgoingFault): OutgoingEffect {
	const {segment} = effect;
	const note = (text: string) => [...effect.notes, text];
	switch (fault.kind) {
		case 'bad-tcp-checksum': {
			return {...effect, badTcpChecksum: true, notes: note('bad TCP checksum (fault): the peer drops it silently, RFC 9293 §3.1')};
		}

		case 'bad-ip-checksum': {
			return {...effect, badIpChecksum: true, notes: note('bad IP header checksum (fault): dropped by the peer\'s IP layer, RFC 1122 3.2.1.2')};
		}

		case 'seq-offset': {
			return {...effect, segment: {...segment, seq: seqAdd(segment.seq, fault.by)}, notes: note(`seq ${signed(fault.by)} (fault)`)};
		}

		case 'ack-offset': {
			return {...effect, segment: {...segment, ack: seqAdd(segment.ack, fault.by)}, notes: note(`ack ${signed(fault.by)} (fault)`)};
		}

		case 'window': {
			return {...effect, segment: {...segment, window: fault.value & 0xff_ff}, notes: note(`window field forced to ${fault.value} (fault)`)};
		}

		case 'flags': {
			return {...effect, segment: {...segment, flags: fault.value & 0x1_ff}, notes: note('flags replaced (fault)')};
		}

		case 'drop-options': {
			return {...effect, segment: {...segment, options: []}, notes: note('options removed (fault)')};
		}

		case 'add-option': {
			return {...effect, segment: {...segment, options: [...segment.options, fault.option]}, notes: note(`option ${fault.option.kind} added (fault)`)};
		}

		case 'ttl': {
			return {...effect, ttl: fault.value, notes: note(`TTL ${fault.value} (fault)`)};
		}

		case 'corrupt-payload': {
			if (segment.payload.length === 0) return effect;
			const payload = segment.payload.slice();
			const count = Math.min(fault.bytes, payload.length);
			// Spread the damage across the payload; invert so that every byte really changes.
			for (let i = 0; i < count; i++) {
				const at = Math.floor((i * payload.length) / count);
				payload[at] = ~payload[at]! & 0xff;
			}

			return {...effect, segment: {...segment, payload}, checksumOf: effect.checksumOf ?? segment, notes: note(`${count} payload byte${count === 1 ? '' : 's'} corrupted after the checksum was computed (fault)`)};
		}

		case 'duplicate': {
			return {...effect, copies: effect.copies + 1, notes: note('sent twice (fault)')};
		}

		case 'delay': {
			return {...effect, delayMs: effect.delayMs + fault.ms, notes: note(`held ${fault.ms} ms before sending (fault)`)};
		}

		case 'swap': {
			return {...effect, swap: true, notes: note('swapped with the next segment (fault)')};
		}

		case 'drop': {
			return {...effect, copies: 0, notes: note('dropped: never sent, though the TCB counts it as sent (fault)')};
		}
	}
}

function signed(value: number): string {
	return value >= 0 ? `+${value}` : String(value);
}
