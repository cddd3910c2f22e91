import type {EngineEvent} from '../engine/connection.js';
import type {TcbSnapshot} from '../engine/tcb.js';
import type {ArpClaimSnapshot} from '../iface/arp-claim.js';
import type {LinkStats} from '../link/link.js';
import type {Endpoint} from '../wire/addresses.js';
import type {Ipv4Address, MacAddress} from '../wire/records.js';
import type {AutoPolicies} from './auto-policies.js';
import {type Entry, keptEvents} from './connection-entry.js';
import type {Annotation, LogTotals} from './packet-log.js';
import type {ReaderView} from './reader.js';
import type {FaultView} from './session-faults.js';

/** Auto mode's sending side of a connection, for display. */
export type SendView = {
	/** Written with `write` and not yet acknowledged. */
	readonly queued: number;
	/** Written and not yet sent. */
	readonly unsent: number;
	readonly cwnd: number | undefined;
	readonly ssthresh: number | undefined;
	readonly inRecovery: boolean;
	readonly rto: number;
	readonly srtt: number | undefined;
	readonly timeouts: number;
	readonly fastRetransmits: number;
	readonly retransmittedSegments: number;
	readonly zeroWindowProbes: number;
	readonly delayedAcks: number;
	readonly windowUpdates: number;
	/** The app serving this connection (`serve`), if any. */
	readonly app: string | undefined;
};

export type ConnectionView = {
	readonly id: number;
	readonly local: Endpoint;
	/** Unknown for a listener until a SYN arrives. */
	readonly remote: Endpoint | undefined;
	readonly tcb: TcbSnapshot;
	/** Octets the application side has read from this connection so far. */
	readonly bytesRead: number;
	/** The reader's mode and read position (read and unread octets). */
	readonly reader: ReaderView;
	/** The newest events, oldest first (bounded). */
	readonly events: readonly EngineEvent[];
	readonly send: SendView;
	/** A listener synack put on the port to take the next SYN (not one the user asked for). */
	readonly spawned: boolean;
	/** Opened by a listener (a peer's SYN), not by `connect`. */
	readonly passive: boolean;
	/** Payload octets taken from the peer and sent to it, retransmissions included. */
	readonly bytesIn: number;
	readonly bytesOut: number;
	/** What the engine made of the newest segment this connection took (its most severe verdict). */
	readonly lastVerdict: Annotation | undefined;
};

export type SessionSnapshot = {
	/** Grows on every change; a UI re-renders when it moves. */
	readonly version: number;
	readonly iface: {readonly name: string; readonly mac: MacAddress; readonly mtu: number};
	readonly ip: number;
	readonly claim: ArpClaimSnapshot;
	readonly connections: readonly ConnectionView[];
	readonly log: {
		readonly count: number;
		readonly size: number;
		readonly totals: LogTotals;
		/** Frames logged but not handled, and frames not even logged, while a flood overloaded us. */
		readonly overloaded: number;
		readonly dropped: number;
		/** Frames received and not yet handled or logged (a flood's backlog). */
		readonly waiting: number;
	};
	readonly link: LinkStats;
	readonly auto: AutoPolicies;
	/** Faults pending or in force (the `x` menu, `fault` steps). */
	readonly faults: readonly FaultView[];
};

/** A connection as the panes show it, at this moment. */
export function connectionView(entry: Entry, ip: Ipv4Address, auto: AutoPolicies, readerRate: number): ConnectionView {
	return {
		id: entry.id,
		local: {ip, port: entry.localPort},
		remote: entry.remote,
		tcb: entry.connection.snapshot(),
		bytesRead: entry.bytesRead,
		reader: {mode: auto.read, rate: readerRate, read: entry.bytesRead, unread: entry.connection.readable},
		events: entry.events.slice(-keptEvents),
		send: sendView(entry),
		spawned: entry.spawned,
		passive: entry.listening !== undefined,
		bytesIn: entry.bytesIn,
		bytesOut: entry.bytesOut,
		lastVerdict: entry.lastVerdict,
	};
}

function sendView(entry: Entry): SendView {
	const {autopilot} = entry;
	const cc = autopilot.congestion;
	return {
		queued: autopilot.queued,
		unsent: autopilot.unsent,
		cwnd: cc?.cwnd,
		ssthresh: cc === undefined || cc.ssthresh === Number.POSITIVE_INFINITY ? undefined : cc.ssthresh,
		inRecovery: cc?.inRecovery ?? false,
		rto: autopilot.rtt.rto,
		srtt: autopilot.rtt.srtt,
		...autopilot.stats,
		app: entry.app?.name ?? (entry.serve ? 'serving' : undefined),
	};
}

/**
 * The store the UI reads: a version that moves on every change, the subscribers told of it, and
 * the one snapshot per version (the same object until something changes, as useSyncExternalStore needs).
 */
export class SnapshotStore {
	readonly #listeners = new Set<() => void>();
	#version = 0;
	#snapshot: SessionSnapshot | undefined;

	changed(): void {
		this.#version++;
		for (const listener of [...this.#listeners]) listener();
	}

	subscribe(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** The current version's snapshot; `build` runs only when the version moved since the last one. */
	snapshot(build: (version: number) => SessionSnapshot): SessionSnapshot {
		if (this.#snapshot?.version !== this.#version) this.#snapshot = build(this.#version);
		return this.#snapshot;
	}
}
