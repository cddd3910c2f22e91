import {Connection, type ConnectionConfig} from '../../source/engine/connection.js';
import {makeSegment, type SegmentFields} from '../../source/engine/segment.js';
import {seqAdd} from '../../source/engine/seq.js';
import type {TcpState} from '../../source/engine/states.js';
import {type TcpOption, type TcpRecord, tcpFlags} from '../../source/wire/records.js';

export const {SYN, ACK, FIN, RST, PSH} = tcpFlags;
export const localPort = 40_000;
export const remotePort = 80;
export const ourIss = 1000;
export const peerIss = 5000;
export const peerWindow = 65_535;

/** Time only moves when a test says so. */
export class VirtualClock {
	constructor(public now = 0) {}

	advance(ms: number): number {
		this.now += ms;
		return this.now;
	}
}

/** mulberry32: a small seeded generator, so that "random" tests replay exactly. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

export function bytes(text: string): Uint8Array {
	return new TextEncoder().encode(text);
}

export function text(data: Uint8Array): string {
	return new TextDecoder().decode(data);
}

/** A segment from the peer (port 80 to us): a bare ACK unless fields say otherwise. */
export function peerSegment(fields: Partial<SegmentFields>): TcpRecord {
	return makeSegment({
		sourcePort: remotePort,
		destinationPort: localPort,
		seq: 0,
		ack: 0,
		flags: ACK,
		window: peerWindow,
		options: [],
		...fields,
	});
}

export type Harness = {
	readonly connection: Connection;
	readonly clock: VirtualClock;
	/** The peer's next sequence number (its SND.NXT, as far as our tests make it send). */
	peerNxt: number;
	/** A segment from the peer at `peerNxt` acknowledging our SND.NXT, spread with `fields`. */
	from(fields?: Partial<SegmentFields>): TcpRecord;
	/** `from` with the payload given, then `peerNxt` moves past it. */
	data(payload: Uint8Array | string, fields?: Partial<SegmentFields>): TcpRecord;
};

export type HarnessOptions = {
	readonly config?: Partial<ConnectionConfig>;
	/** Options on the peer's SYN or SYN-ACK (none by default: nothing negotiated). */
	readonly peerSynOptions?: readonly TcpOption[];
	readonly peerIss?: number;
	readonly peerWindow?: number;
};

export function harness(options: HarnessOptions = {}): Harness {
	const connection = new Connection({localPort, remotePort, iss: ourIss, random: seededRandom(1), ...options.config});
	const clock = new VirtualClock();
	const h: Harness = {
		connection,
		clock,
		peerNxt: options.peerIss ?? peerIss,
		from(fields = {}) {
			return peerSegment({seq: h.peerNxt, ack: connection.snapshot().sndNxt, window: options.peerWindow ?? peerWindow, ...fields});
		},
		data(payload, fields = {}) {
			const body = typeof payload === 'string' ? bytes(payload) : payload;
			const segment = h.from({flags: ACK | PSH, payload: body, ...fields});
			h.peerNxt = seqAdd(h.peerNxt, body.length);
			return segment;
		},
	};
	return h;
}

/** A connection driven by hand into `state`, RFC 9293 step by step, with a scripted peer. */
export function connectionIn(state: TcpState, options: HarnessOptions = {}): Harness {
	const h = harness(options);
	drive(h, state, options);
	return mustBe(h, state);
}

function drive(h: Harness, state: TcpState, options: HarnessOptions): void {
	const {connection, clock} = h;
	const synOptions = options.peerSynOptions ?? [];
	const window = options.peerWindow ?? peerWindow;
	switch (state) {
		case 'CLOSED': {
			return;
		}

		case 'LISTEN': {
			connection.listen(clock.now);
			return;
		}

		case 'SYN-SENT': {
			connection.sendSyn(clock.now);
			return;
		}

		case 'SYN-RECEIVED': {
			connection.listen(clock.now);
			connection.receive(clock.now, peerSegment({seq: h.peerNxt, flags: SYN, window, options: synOptions}));
			h.peerNxt = seqAdd(h.peerNxt, 1);
			connection.sendSyn(clock.now);
			return;
		}

		case 'ESTABLISHED': {
			connection.sendSyn(clock.now);
			const {iss} = connection.snapshot();
			connection.receive(clock.now, peerSegment({seq: h.peerNxt, ack: seqAdd(iss, 1), flags: SYN | ACK, window, options: synOptions}));
			h.peerNxt = seqAdd(h.peerNxt, 1);
			connection.sendAck(clock.now);
			return;
		}

		case 'FIN-WAIT-1': {
			drive(h, 'ESTABLISHED', options);
			connection.sendFin(clock.now);
			return;
		}

		case 'FIN-WAIT-2': {
			drive(h, 'FIN-WAIT-1', options);
			connection.receive(clock.now, h.from());
			return;
		}

		case 'CLOSING': {
			drive(h, 'FIN-WAIT-1', options);
			// The peer's FIN crosses ours: it acknowledges up to our FIN, not the FIN itself.
			connection.receive(clock.now, h.from({flags: FIN | ACK, ack: seqAdd(connection.snapshot().sndNxt, -1)}));
			h.peerNxt = seqAdd(h.peerNxt, 1);
			return;
		}

		case 'TIME-WAIT': {
			drive(h, 'FIN-WAIT-2', options);
			connection.receive(clock.now, h.from({flags: FIN | ACK}));
			h.peerNxt = seqAdd(h.peerNxt, 1);
			return;
		}

		case 'CLOSE-WAIT': {
			drive(h, 'ESTABLISHED', options);
			connection.receive(clock.now, h.from({flags: FIN | ACK}));
			h.peerNxt = seqAdd(h.peerNxt, 1);
			connection.sendAck(clock.now);
			return;
		}

		case 'LAST-ACK': {
			drive(h, 'CLOSE-WAIT', options);
			connection.sendFin(clock.now);
		}
	}
}

function mustBe(h: Harness, state: TcpState): Harness {
	if (h.connection.state !== state) throw new Error(`builder expected ${state}, got ${h.connection.state}`);
	return h;
}

/** Verdict codes, for compact assertions. */
export function codes(result: {readonly verdicts: ReadonlyArray<{readonly code: string}>}): string[] {
	return result.verdicts.map(v => v.code);
}
