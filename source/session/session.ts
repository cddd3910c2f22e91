import {Autopilot, type AutopilotConfig} from '../engine/autopilot.js';
import {Connection, type ConnectionConfig, type EngineEvent, type ReceiveResult, type Reply, type SendResult} from '../engine/connection.js';
import {answerWithoutConnection} from '../engine/no-connection.js';
import type {SegmentOverrides} from '../engine/segment.js';
import type {TcbSnapshot} from '../engine/tcb.js';
import type {Verdict} from '../engine/verdict.js';
import type {ArpClaimSnapshot} from '../iface/arp-claim.js';
import type {Link, LinkStats} from '../link/link.js';
import type {Endpoint} from '../wire/addresses.js';
import {encodeFrame, exactOverrides, type FrameOverrides, frameSpecOf} from '../wire/encode.js';
import {type DecodedFrame, type MacAddress, type TcpRecord, tcpFlags} from '../wire/records.js';
import {type Clock, Deadline, realClock} from './clock.js';
import {type AppFactory, type AppIo, type AppName, type ConnectionApp, appFactory} from './apps.js';
import {type AutoPolicies, manualPolicies} from './auto-policies.js';
import {Host, type HostOptions, type IpHandler} from './host.js';
import type {Annotation, LogEntry, LogTotals} from './packet-log.js';
import {looksPartial} from './checksum-offload.js';
import {faultAnnotations, type FaultView, SessionFaults} from './session-faults.js';
import {Explainer} from './explain.js';
import {defaultReaderRate, isReaderRate, ReadBudget, type ReaderMode, type ReaderView, slowReaderTickMs} from './reader.js';
import {decodeFrame} from '../wire/decode.js';
import type {OutgoingEffect} from '../engine/faults.js';

export type SessionOptions = HostOptions & {
	/** Defaults for every connection's engine (options offered, buffers, ISS...). */
	readonly connection?: Partial<Omit<ConnectionConfig, 'localPort' | 'remotePort'>>;
	/** Auto mode's timers and ACK delay for every connection. */
	readonly autopilot?: AutopilotConfig;
	/** Octets per second the `slow` reader takes (`--reader-rate`). */
	readonly readerRate?: number;
};

/** Told of every read, with the octets read (in stream order, per connection). */
export type ReadListener = (id: number, bytes: Uint8Array) => void;

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

/** Decides whether an incoming frame is dropped before the engine sees it (fault injection). */
export type DropPredicate = (frame: DecodedFrame) => boolean;

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

/** `listen`'s backlog when none is given (`--backlog`). */
export const defaultBacklog = 16;
/** Connections that ended (CLOSED) kept for the list; older ones go first. */
export const keptClosed = 32;

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

export class SessionError extends Error {
	override readonly name = 'SessionError';
}

type Entry = {
	readonly id: number;
	readonly connection: Connection;
	readonly localPort: number;
	remote: Endpoint | undefined;
	remoteMac: MacAddress | undefined;
	readonly deadline: Deadline;
	/** When the deadline's timer fires; it may fire early (then it is re-armed), never late. */
	armedAt: number | undefined;
	readonly autopilot: Autopilot;
	bytesRead: number;
	/** The slow reader's timer and allowance. */
	readonly readTimer: Deadline;
	readonly readBudget: ReadBudget;
	events: EngineEvent[];
	/** Every connection this one accepts gets an app from here (a listener that `serve` was called on). */
	serve: AppFactory | undefined;
	app: ConnectionApp | undefined;
	io: AppIo | undefined;
	/** Incoming frames a `reorder` fault holds until the next one for this connection has been taken. */
	reordered: DecodedFrame[];
	/** Set on a listener (and the listeners that replace it): its engine's config and backlog. */
	listening: Listening | undefined;
	readonly spawned: boolean;
	bytesIn: number;
	bytesOut: number;
	lastVerdict: Annotation | undefined;
};

type Listening = {readonly config: Partial<Omit<ConnectionConfig, 'localPort' | 'remotePort'>>; readonly backlog: number};

const droppedAnnotation: Annotation = {code: 'dropped', text: 'dropped (fault)', severity: 'warn'};
const partialAnnotation: Annotation = {code: 'checksum-partial', text: 'checksum left for the sender\'s card to fill in (CHECKSUM_PARTIAL on a veth): not judged', severity: 'info'};

function backlogFull(backlog: number): Annotation {
	return {code: 'backlog-full', text: `dropped: the listen backlog (${backlog}) is full, as Linux drops it`, severity: 'warn'};
}

const severityRank = {info: 0, warn: 1, error: 2} as const;

function mostSevere(verdicts: readonly Verdict[]): Annotation | undefined {
	let worst: Verdict | undefined;
	for (const verdict of verdicts) if (!worst || severityRank[verdict.severity] > severityRank[worst.severity]) worst = verdict;
	return worst && toAnnotation(worst);
}

const keptEvents = 50;

/**
 * Runs the host (ARP) and TCP connections on a link with a real clock: the one API the TUI, scripts
 * and tests drive, and the one store they read. Manual by design: nothing is sent that the caller did
 * not ask for, apart from ARP.
 */
export class Session {
	readonly host: Host;
	/** Faults for the segments this session sends and takes (engine/faults.ts vocabulary). */
	readonly faults: SessionFaults;
	readonly #explainer = new Explainer();
	/** An outgoing frame a `swap` fault holds until the next one has gone out. */
	#swapped: {entry: Entry; bytes: Uint8Array} | undefined;
	readonly #clock: Clock;
	/** Cancels for frames a delay fault holds, run on close. */
	readonly #held = new Set<() => void>();
	#ipIdentification = 0;
	readonly #entries = new Map<number, Entry>();
	readonly #listeners = new Set<() => void>();
	readonly #readListeners = new Set<ReadListener>();
	#readerRate: number;
	readonly #defaults: SessionOptions['connection'];
	readonly #replies = new Map<number, readonly Reply[]>();
	readonly #autopilotConfig: AutopilotConfig | undefined;
	#auto: AutoPolicies = manualPolicies;
	#drop: DropPredicate | undefined;
	readonly #flushing = new Set<Entry>();
	#flushScheduled = false;
	#closed = false;
	#nextId = 1;
	#version = 0;
	#snapshot: SessionSnapshot | undefined;

	constructor(options: SessionOptions) {
		this.#clock = options.clock ?? realClock;
		this.#defaults = options.connection;
		this.#autopilotConfig = options.autopilot;
		this.#readerRate = options.readerRate ?? defaultReaderRate;
		if (!isReaderRate(this.#readerRate)) throw new SessionError(`the reader's rate must be a whole number of bytes per second, at least 1 (not ${options.readerRate})`);
		this.host = new Host(options);
		this.faults = new SessionFaults(this.#clock, () => this.#changed());
		this.host.handleIp(frame => this.#receive(frame));
		this.host.onChange(() => this.#changed());
	}

	get log() {
		return this.host.log;
	}

	get link(): Link {
		return this.host.link;
	}

	/**
	 * A connection to `remote`, in CLOSED: resolves the peer's MAC (ARP) but sends no TCP. The first
	 * segment is the caller's `syn()`.
	 */
	async connect(remote: Endpoint, config: Partial<Omit<ConnectionConfig, 'remotePort'>> = {}): Promise<number> {
		const localPort = config.localPort ?? ephemeralPort();
		const remoteMac = await this.host.resolve(remote.ip);
		const id = this.#add(new Connection({...this.#defaults, ...config, localPort, remotePort: remote.port}), localPort, remote, remoteMac);
		return id;
	}

	/**
	 * A connection in LISTEN on `port`; the peer is learned from the first SYN. Every SYN it takes
	 * makes it that connection, and a new listener (`spawned`) takes its place for the next SYN, so
	 * each peer gets a connection of its own, up to `backlog` of them in SYN-RECEIVED at once.
	 */
	listen(port: number, config: Partial<Omit<ConnectionConfig, 'localPort' | 'remotePort'>> = {}, backlog = defaultBacklog): number {
		if (!Number.isInteger(backlog) || backlog < 1) throw new SessionError(`the backlog must be a whole number from 1 (not ${backlog})`);
		return this.#listen(port, {config, backlog}, false);
	}

	#listen(port: number, listening: Listening, spawned: boolean): number {
		const connection = new Connection({...this.#defaults, ...listening.config, localPort: port});
		// In LISTEN before anyone is told of it: a subscriber never sees a listener in CLOSED.
		const {events} = connection.listen(this.#clock.now());
		const id = this.#add(connection, port, undefined, undefined, spawned);
		const entry = this.#entries.get(id)!;
		entry.listening = listening;
		this.#apply(entry, events);
		return id;
	}

	/** Forgets a connection that has ended (CLOSED or TIME-WAIT): it leaves the list (`D`). */
	drop(id: number): void {
		const entry = this.#entry(id);
		const {state} = entry.connection;
		if (state !== 'CLOSED' && state !== 'TIME-WAIT') throw new SessionError(`#${id} is ${state}: only a closed connection can be dropped (r resets it)`);
		this.#forget(entry);
		this.#changed();
	}

	#forget(entry: Entry): void {
		entry.deadline.stop();
		entry.readTimer.stop();
		this.#flushing.delete(entry);
		this.#replies.delete(entry.id);
		this.#entries.delete(entry.id);
	}

	syn(id: number, overrides?: Partial<SegmentOverrides>, frame?: FrameOverrides): LogEntry {
		return this.#send(id, (connection, now) => connection.sendSyn(now, overrides), frame);
	}

	ack(id: number, overrides?: Partial<SegmentOverrides>, frame?: FrameOverrides): LogEntry {
		return this.#send(id, (connection, now) => connection.sendAck(now, overrides), frame);
	}

	data(id: number, bytes: Uint8Array, overrides?: Partial<SegmentOverrides>, frame?: FrameOverrides): LogEntry {
		return this.#send(id, (connection, now) => connection.sendData(now, bytes, overrides), frame);
	}

	fin(id: number, overrides?: Partial<SegmentOverrides>, frame?: FrameOverrides): LogEntry {
		return this.#send(id, (connection, now) => connection.sendFin(now, overrides), frame);
	}

	rst(id: number, overrides?: Partial<SegmentOverrides>, frame?: FrameOverrides): LogEntry {
		return this.#send(id, (connection, now) => connection.sendRst(now, overrides), frame);
	}

	/** Any segment at all, from the connection's numbers plus `overrides`. */
	segment(id: number, overrides?: Partial<SegmentOverrides>, frame?: FrameOverrides): LogEntry {
		return this.#send(id, (connection, now) => connection.sendSegment(now, overrides), frame);
	}

	/** Sends one of the answers a conformant stack would give (from the last `receive`): auto mode's hook. */
	reply(id: number, reply: Reply): LogEntry {
		return this.#send(id, (connection, now) => connection.sendReply(now, reply));
	}

	retransmit(id: number): LogEntry | undefined {
		const entry = this.#entry(id);
		const now = this.#clock.now();
		const result = entry.connection.retransmit(now);
		if (!result) return undefined;
		const logged = this.#emit(entry, result);
		entry.autopilot.sent(now);
		this.#rearm(entry);
		return logged;
	}

	/**
	 * Takes the data received so far in order (frees receive window, as an application's read does);
	 * with the windowUpdate policy on, a window that opened enough is announced.
	 */
	read(id: number, max?: number): Uint8Array {
		const entry = this.#entry(id);
		const bytes = entry.connection.read(max);
		// Reading nothing changes nothing: no notification, so a subscriber that reads stays finite.
		if (bytes.length === 0) return bytes;
		this.#delivered(entry, bytes);
		if (entry.remote) this.#emitAll(entry, entry.autopilot.afterRead(this.#clock.now()));
		this.#rearm(entry);
		this.#changed();
		return bytes;
	}

	/** The read position: octets the application has read, and octets received in order still unread. */
	readPosition(id: number): {readonly read: number; readonly unread: number} {
		const entry = this.#entry(id);
		return {read: entry.bytesRead, unread: entry.connection.readable};
	}

	/** Hears every octet any reader takes (the reader policy, `read`, apps), in stream order. */
	onRead(listener: ReadListener): () => void {
		this.#readListeners.add(listener);
		return () => this.#readListeners.delete(listener);
	}

	/** The reader: `arrival`, `manual` or `slow` (at `rate` octets per second, kept for later). The `read` policy. */
	setReader(mode: ReaderMode, rate?: number): void {
		if (rate !== undefined) {
			if (!isReaderRate(rate)) throw new SessionError(`the reader's rate must be a whole number of bytes per second, at least 1 (not ${rate})`);
			this.#readerRate = rate;
			for (const entry of this.#entries.values()) entry.readBudget.rate = rate;
		}

		this.setAuto({read: mode});
	}

	get readerRate(): number {
		return this.#readerRate;
	}

	/**
	 * Queues `bytes` on the connection's send buffer: sent in MSS-sized segments as the peer's window
	 * and our congestion window allow (also in manual mode: writing is the user's request). `data()`
	 * stays the manual one-segment action.
	 */
	write(id: number, bytes: Uint8Array): void {
		const entry = this.#entry(id);
		entry.autopilot.write(bytes);
		this.#output(entry);
	}

	/** Closes our side (FIN) once everything written has been sent: RFC 9293 §3.10.4 CLOSE. */
	shutdown(id: number): void {
		const entry = this.#entry(id);
		entry.autopilot.close();
		this.#output(entry);
	}

	/**
	 * Runs an app on a connection: `echo` (RFC 862), `http` (a canned response to the first request,
	 * then close), `discard`, or your own factory. On a listener, every connection it accepts gets its
	 * own instance, and a new listener takes its place on the port, so `listen(8080)` + `serve(id,
	 * 'http')` keeps serving. Apps read all data as it arrives (our window stays open) and write
	 * through the send buffer; they need the auto policies (handshake, ack) to talk to a real peer.
	 */
	serve(id: number, app: AppName | AppFactory): void {
		const entry = this.#entry(id);
		entry.serve = appFactory(app);
		if (entry.connection.state !== 'LISTEN') this.#startApp(entry);
		this.#changed();
	}

	/**
	 * Drops incoming frames that `predicate` picks before the engine sees them; they are still logged,
	 * annotated 'dropped (fault)'. Undefined removes the hook.
	 */
	dropIncoming(predicate: DropPredicate | undefined): void {
		this.#drop = predicate;
	}

	tcb(id: number): TcbSnapshot {
		return this.#entry(id).connection.snapshot();
	}

	/** The answers a conformant stack would have sent for the newest segment this connection took. */
	pendingReplies(id: number): readonly Reply[] {
		return this.#replies.get(id) ?? [];
	}

	/** Switches auto policies on or off (all of them, or any subset). */
	setAuto(policies: Partial<AutoPolicies>): void {
		this.#auto = {...this.#auto, ...policies};
		for (const entry of this.#entries.values()) {
			entry.autopilot.policies = this.#auto;
			// Whatever is due under the new policies happens now (a delayed ACK, a retransmission...).
			if (entry.remote) this.#emitAll(entry, entry.autopilot.poll(this.#clock.now()));
			this.#startReader(entry);
			this.#rearm(entry);
		}

		this.#changed();
	}

	subscribe(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** An immutable snapshot, the same object until something changes (for useSyncExternalStore). */
	getSnapshot = (): SessionSnapshot => {
		if (this.#snapshot?.version === this.#version) return this.#snapshot;
		const log = this.host.log;
		this.#snapshot = {
			version: this.#version,
			iface: {name: this.link.name, mac: this.host.mac, mtu: this.link.mtu},
			ip: this.host.ip,
			claim: this.host.claim,
			connections: [...this.#entries.values()].map(entry => ({
				id: entry.id,
				local: {ip: this.host.ip, port: entry.localPort},
				remote: entry.remote,
				tcb: entry.connection.snapshot(),
				bytesRead: entry.bytesRead,
				reader: {mode: this.#auto.read, rate: this.#readerRate, read: entry.bytesRead, unread: entry.connection.readable},
				events: entry.events.slice(-keptEvents),
				send: sendView(entry),
				spawned: entry.spawned,
				passive: entry.listening !== undefined,
				bytesIn: entry.bytesIn,
				bytesOut: entry.bytesOut,
				lastVerdict: entry.lastVerdict,
			})),
			log: {count: log.count, size: log.size, totals: log.totals(), overloaded: this.host.overloaded, dropped: this.host.dropped, waiting: this.host.backlog},
			link: this.link.stats(),
			auto: this.#auto,
			faults: this.faults.view(),
		};
		return this.#snapshot;
	};

	close(): void {
		this.#closed = true;
		for (const entry of this.#entries.values()) {
			entry.deadline.stop();
			entry.readTimer.stop();
		}

		for (const cancel of this.#held) cancel();
		this.#held.clear();

		this.host.close();
		this.link.close();
	}

	/** Runs `callback` `ms` from now on the session's clock (a fault's delay), unless the session closes first. */
	#later(ms: number, callback: () => void): void {
		const cancel = this.#clock.at(this.#clock.now() + ms, () => {
			this.#held.delete(cancel);
			callback();
		});
		this.#held.add(cancel);
	}

	/** RFC 6864 §4.1: an atomic datagram's (DF set) ID means nothing and may be any value; a counter per session keeps sessions apart. */
	#nextIpIdentification(): number {
		this.#ipIdentification = (this.#ipIdentification + 1) & 0xff_ff;
		return this.#ipIdentification;
	}

	#add(connection: Connection, localPort: number, remote: Endpoint | undefined, remoteMac: MacAddress | undefined, spawned = false): number {
		this.#pruneClosed();
		const id = this.#nextId++;
		const entry: Entry = {
			id,
			connection,
			localPort,
			remote,
			remoteMac,
			bytesRead: 0,
			readTimer: new Deadline(this.#clock, () => this.#slowRead(id)),
			readBudget: new ReadBudget(this.#readerRate),
			events: [],
			deadline: new Deadline(this.#clock, () => this.#poll(id)),
			armedAt: undefined,
			autopilot: new Autopilot(connection, this.#auto, this.#autopilotConfig),
			serve: undefined,
			app: undefined,
			io: undefined,
			reordered: [],
			listening: undefined,
			spawned,
			bytesIn: 0,
			bytesOut: 0,
			lastVerdict: undefined,
		};
		this.#entries.set(id, entry);
		this.#changed();
		return id;
	}

	/** The list is bounded: past `keptClosed` ended connections, the oldest are forgotten. */
	#pruneClosed(): void {
		const closed = [...this.#entries.values()].filter(entry => entry.connection.state === 'CLOSED' && entry.remote !== undefined);
		for (const entry of closed.slice(0, Math.max(0, closed.length - keptClosed + 1))) this.#forget(entry);
	}

	#entry(id: number): Entry {
		const entry = this.#entries.get(id);
		if (!entry) throw new SessionError(`no connection ${id}`);
		return entry;
	}

	#send(id: number, act: (connection: Connection, now: number) => SendResult, frame?: FrameOverrides): LogEntry {
		const entry = this.#entry(id);
		if (!entry.remote || entry.remoteMac === undefined) {
			throw new SessionError('this connection has no peer yet: a listener learns it from the first SYN');
		}

		const now = this.#clock.now();
		const logged = this.#emit(entry, act(entry.connection, now), frame);
		entry.autopilot.sent(now);
		this.#rearm(entry);
		return logged;
	}

	#emit(entry: Entry, result: SendResult, frame?: FrameOverrides): LogEntry {
		const annotations = toAnnotations(result.verdicts);
		const effect = this.faults.any ? this.faults.outgoing(result.segment, entry.id) : undefined;
		let logged: LogEntry;
		if (effect === undefined || effect.notes.length === 0) {
			logged = this.#transmit(entry, this.#encode(entry, result.segment, frame), annotations);
		} else {
			logged = this.#emitFaulty(entry, effect, frame, [...annotations, ...faultAnnotations(effect.notes)]);
		}

		this.#apply(entry, result.events);
		return logged;
	}

	#encode(entry: Entry, segment: TcpRecord, frame?: FrameOverrides, ttl = 64): Uint8Array {
		return encodeFrame(
			{
				ethernet: {destination: entry.remoteMac!, source: this.host.mac},
				// RFC 791 §3.2 / RFC 6864: a fresh identification per datagram; DF set, as Linux sends TCP.
				ipv4: {source: this.host.ip, destination: entry.remote!.ip, ttl, dontFragment: true, identification: this.#nextIpIdentification()},
				tcp: segment,
			},
			frame,
			this.host.frameBuffer,
		);
	}

	/** Sends and logs a frame; a frame a `swap` fault held goes out right after it. */
	#transmit(entry: Entry, bytes: Uint8Array, annotations: readonly Annotation[]): LogEntry {
		const logged = this.host.send(bytes, annotations, entry.id);
		entry.bytesOut += logged.frame.tcp?.payload.length ?? 0;
		const held = this.#swapped;
		if (held) {
			this.#swapped = undefined;
			this.host.send(held.bytes, faultAnnotations(['sent after the segment it was swapped with (fault)']), held.entry.id);
		}

		return logged;
	}

	/** A segment some fault applies to: broken on the wire, sent twice, late, out of order, or not at all. */
	#emitFaulty(entry: Entry, effect: OutgoingEffect, frame: FrameOverrides | undefined, annotations: readonly Annotation[]): LogEntry {
		let checksum: number | 'bad' | undefined = effect.badTcpChecksum ? 'bad' : frame?.tcp?.checksum;
		if (effect.checksumOf && checksum === undefined) {
			// The checksum of the bytes as they were before the "transit" corruption.
			checksum = decodeFrame(this.#encode(entry, effect.checksumOf, frame)).tcp!.checksum;
		}

		const overrides: FrameOverrides = {
			...frame,
			...(effect.badIpChecksum ? {ipv4: {...frame?.ipv4, checksum: 'bad'}} : {}),
			...(checksum === undefined ? {} : {tcp: {...frame?.tcp, checksum}}),
		};
		const bytes = this.#encode(entry, effect.segment, overrides, effect.ttl);
		if (effect.segment.window !== effect.original.window) entry.connection.windowSent(effect.segment.window);
		if (effect.copies === 0) return this.host.note('out', bytes, annotations, entry.id);
		if (effect.delayMs > 0 || effect.swap) {
			const logged = this.host.note('out', bytes, [...annotations, ...faultAnnotations([effect.swap ? 'held until the next segment has gone out' : `held: goes out in ${effect.delayMs} ms`])], entry.id);
			const release = () => {
				if (this.#closed) return;
				if (effect.swap) this.#swapped = {entry, bytes};
				else for (let copy = 0; copy < effect.copies; copy++) this.host.send(bytes, faultAnnotations([`sent ${effect.delayMs} ms late (fault)`]), entry.id);
			};

			if (effect.delayMs > 0) this.#later(effect.delayMs, release);
			else release();
			return logged;
		}

		const logged = this.#transmit(entry, bytes, annotations);
		for (let copy = 1; copy < effect.copies; copy++) this.host.send(bytes, faultAnnotations(['the same segment again (fault)']), entry.id);
		return logged;
	}

	#emitAll(entry: Entry, results: readonly SendResult[]): void {
		for (const result of results) this.#emit(entry, result);
	}

	#receive(frame: DecodedFrame, late = false): ReturnType<IpHandler> {
		const tcp = frame.tcp;
		const ipv4 = frame.ipv4!;
		if (!tcp) return undefined;
		const entry = this.#find(ipv4.source, tcp);
		if (!late && this.#drop?.(frame)) return entry ? {annotations: [droppedAnnotation], connection: entry.id} : {annotations: [droppedAnnotation]};
		let again = 0;
		let faultNotes: readonly Annotation[] = noAnnotations;
		if (entry && !late && this.faults.any) {
			const effect = this.faults.incoming(tcp, entry.id);
			faultNotes = faultAnnotations(effect.notes);
			if (!effect.deliver) {
				this.#explainer.dropped(entry.id, tcp, this.#clock.now() / 1000);
				return {annotations: faultNotes, connection: entry.id};
			}

			if (effect.reorder) {
				entry.reordered.push(frame);
				return {annotations: faultNotes, connection: entry.id};
			}

			if (effect.delayMs > 0) {
				this.#later(effect.delayMs, () => this.#deliverLate(frame, `taken ${effect.delayMs} ms late (fault)`));
				return {annotations: faultNotes, connection: entry.id};
			}

			again = effect.copies - 1;
		}

		if (!entry) {
			const answer = answerWithoutConnection(tcp);
			const rst = answer.respond;
			const then = rst && this.#auto.rstUnknown && frame.ethernet
				? () => this.#sendRst(frame.ethernet!.source, ipv4.source, rst)
				: undefined;
			return {annotations: answer.verdicts.map(toAnnotation), then};
		}

		const listening = entry.connection.state === 'LISTEN';
		if (listening && entry.listening && (tcp.flags & (tcpFlags.SYN | tcpFlags.ACK | tcpFlags.RST)) === tcpFlags.SYN && this.#halfOpen(entry.localPort) >= entry.listening.backlog) {
			return {annotations: [backlogFull(entry.listening.backlog)], connection: entry.id};
		}

		if (!entry.remote) {
			entry.remote = {ip: ipv4.source, port: tcp.sourcePort};
			entry.remoteMac = frame.ethernet!.source;
		}

		const now = this.#clock.now();
		// A peer on a veth with tx checksum offload hands over frames whose checksum field holds only
		// the pseudo-header sum: nothing damaged them, so they are not judged. Any other wrong checksum is.
		const partial = frame.tcpChecksumOk === false && looksPartial(frame);
		const result = entry.connection.receive(now, tcp, frame.tcpChecksumOk === undefined || partial ? {} : {checksumOk: frame.tcpChecksumOk});
		this.#replies.set(entry.id, result.respond);
		entry.bytesIn += tcp.payload.length;
		entry.lastVerdict = mostSevere(result.verdicts);
		const reordered = late || entry.reordered.length === 0 ? noFrames : entry.reordered.splice(0);
		const verdictNotes = toAnnotations(result.verdicts);
		const explained = this.#explain(entry, tcp, now, result.verdicts);
		return {
			// Most segments carry one shared note ("acceptable"): no new array for them.
			annotations: faultNotes.length === 0 && explained.length === 0 && !partial ? verdictNotes : [...faultNotes, ...(partial ? [partialAnnotation] : []), ...verdictNotes, ...explained],
			connection: entry.id,
			then: () => {
				this.#afterReceive(entry, result, tcp.payload.length, now);
				if (listening) this.#listened(entry);
				for (let copy = 0; copy < again; copy++) this.#deliverLate(frame, 'taken again (fault)');
				for (const held of reordered) this.#deliverLate(held, 'taken after the segment behind it (fault)');
			},
		};
	}

	/**
	 * Explanations need each segment's history, which costs a map entry per segment: kept only while
	 * faults are in force or the peer is retransmitting, never on a clean bulk transfer's hot path.
	 */
	#explain(entry: Entry, tcp: TcpRecord, now: number, verdicts: readonly Verdict[]): readonly Annotation[] {
		const retransmission = verdicts.some(verdict => verdict.code === 'retransmission');
		if (!retransmission && !this.faults.any && !this.#explainer.watching(entry.id)) return noAnnotations;
		return this.#explainer.incoming(entry.id, tcp, now / 1000, retransmission);
	}

	/**
	 * Hands the engine a frame a fault held back (or repeats one). It did not cross the wire again, so
	 * it is logged as a note, with what the engine made of it.
	 */
	#deliverLate(frame: DecodedFrame, why: string): void {
		if (this.#closed) return;
		const spec = frameSpecOf(frame);
		const bytes = spec ? encodeFrame(spec, exactOverrides(frame)) : new Uint8Array(0);
		const handled = this.#receive(frame, true);
		this.host.note('in', bytes, [...faultAnnotations([why]), ...(handled?.annotations ?? [])], handled?.connection);
		handled?.then?.();
	}

	/** After the incoming frame is logged: the app reads, then auto mode answers and sends. */
	#afterReceive(entry: Entry, result: ReceiveResult, payloadLength: number, now: number): void {
		const {connection, autopilot} = entry;
		this.#apply(entry, result.events);
		const state = connection.state;
		if (entry.serve && !entry.app && state !== 'LISTEN' && state !== 'CLOSED') this.#accept(entry);
		let peerClosed = false;
		for (const event of result.events) if (event.type === 'peer-closed') peerClosed = true;
		if (entry.app && connection.readable > 0) this.#feedApp(entry);
		else if (connection.readable > 0) this.#startReader(entry);
		this.#emitAll(entry, autopilot.afterReceive(now, result, payloadLength));
		if (peerClosed) {
			if (entry.app) entry.app.end?.(entry.io!);
			// The fin policy closes our side for a connection no app drives, once what was written is sent.
			else if (this.#auto.fin) autopilot.close();
			this.#emitAll(entry, autopilot.output(now));
		}

		if (autopilot.flushWanted || autopilot.moreToSend) this.#scheduleFlush(entry);
		this.#rearm(entry);
	}

	#feedApp(entry: Entry): void {
		const chunks = entry.connection.readChunks();
		for (const chunk of chunks) {
			this.#delivered(entry, chunk);
			entry.app!.data?.(chunk, entry.io!);
		}
	}

	#delivered(entry: Entry, bytes: Uint8Array): void {
		entry.bytesRead += bytes.length;
		for (const listener of this.#readListeners) listener(entry.id, bytes);
	}

	/**
	 * The reader policy on data that waits (apps read for themselves): `arrival` takes it all now,
	 * before the ACK that follows is built, so that ACK carries the open window; `slow` starts its
	 * clock; `manual` leaves it for `read`.
	 */
	#startReader(entry: Entry): void {
		if (entry.app || entry.serve || entry.connection.readable === 0) {
			if (this.#auto.read !== 'slow') stopReader(entry);
			return;
		}

		switch (this.#auto.read) {
			case 'arrival': {
				stopReader(entry);
				const chunks = entry.connection.readChunks();
				for (const chunk of chunks) this.#delivered(entry, chunk);
				// Window updates (RFC 9293 §3.8.6.2.2) when a reader switched on frees a closed window.
				if (entry.remote) this.#emitAll(entry, entry.autopilot.afterRead(this.#clock.now()));
				break;
			}

			case 'slow': {
				if (!entry.readBudget.running) {
					const now = this.#clock.now();
					entry.readBudget.take(now, 0);
					entry.readTimer.arm(now + slowReaderTickMs);
				}

				break;
			}

			case 'manual': {
				stopReader(entry);
				break;
			}
		}
	}

	/** The slow reader's tick: its share of what waits; it stops when nothing does. */
	#slowRead(id: number): void {
		const entry = this.#entries.get(id);
		if (!entry || this.#closed || this.#auto.read !== 'slow' || entry.app || entry.serve) {
			if (entry) stopReader(entry);
			return;
		}

		const now = this.#clock.now();
		const share = entry.readBudget.take(now, entry.connection.readable);
		if (share > 0) this.read(id, share);
		if (entry.connection.readable > 0) entry.readTimer.arm(now + slowReaderTickMs);
		else stopReader(entry);
	}

	/** A listener with an app took a SYN: the app starts (#listened puts a new listener on the port). */
	#accept(entry: Entry): void {
		this.#startApp(entry);
	}

	/**
	 * After a listener took a segment. A SYN made it a connection: a new listener takes the port,
	 * unless another already listens there. Anything else left it listening, for any peer.
	 */
	#listened(entry: Entry): void {
		if (this.#closed || !entry.listening) return;
		if (entry.connection.state === 'LISTEN') {
			entry.remote = undefined;
			entry.remoteMac = undefined;
			return;
		}

		const port = entry.localPort;
		const others = [...this.#entries.values()].some(other => other !== entry && other.connection.state === 'LISTEN' && other.localPort === port && other.remote === undefined);
		if (others) return;
		const id = this.#listen(port, entry.listening, true);
		this.#entries.get(id)!.serve = entry.serve;
	}

	/**
	 * Connections on `port` a listener took that have not reached ESTABLISHED: the queue a backlog
	 * bounds. Linux drops a SYN to a listener whose queue is full rather than resetting it
	 * (tcp_conn_request()); net.ipv4.tcp_abort_on_overflow, 0 by default, only turns the final ACK
	 * that finds the accept queue full into a RST. The peer's SYN retransmission tries again.
	 */
	#halfOpen(port: number): number {
		let count = 0;
		for (const entry of this.#entries.values()) if (entry.localPort === port && entry.listening && entry.connection.state === 'SYN-RECEIVED') count++;
		return count;
	}

	#startApp(entry: Entry): void {
		if (entry.app || !entry.serve) return;
		const {autopilot} = entry;
		entry.app = entry.serve();
		entry.io = {
			write: bytes => {
				autopilot.write(bytes);
				this.#output(entry);
			},
			close: () => {
				autopilot.close();
				this.#output(entry);
			},
		};
		if (entry.connection.readable > 0) this.#feedApp(entry);
	}

	#output(entry: Entry): void {
		if (entry.remote && entry.remoteMac !== undefined) this.#emitAll(entry, entry.autopilot.output(this.#clock.now()));
		if (entry.autopilot.moreToSend) this.#scheduleFlush(entry);
		this.#rearm(entry);
		this.#changed();
	}

	/**
	 * Delayed ACKs that are due go out when the current receive batch ends: frames that arrived in one
	 * read of the capture are handled before `setImmediate` callbacks run (see Autopilot). A send
	 * burst cut short at its limit continues there too, after the ACKs of the batch.
	 */
	#scheduleFlush(entry: Entry): void {
		this.#flushing.add(entry);
		if (this.#flushScheduled) return;
		this.#flushScheduled = true;
		setImmediate(() => {
			this.#flushScheduled = false;
			if (this.#closed) return;
			const now = this.#clock.now();
			const entries = [...this.#flushing];
			this.#flushing.clear();
			for (const waiting of entries) {
				if (waiting.remote) {
					this.#emitAll(waiting, waiting.autopilot.flush(now));
					if (waiting.autopilot.moreToSend) this.#emitAll(waiting, waiting.autopilot.output(now));
					if (waiting.autopilot.moreToSend) this.#scheduleFlush(waiting);
				}

				this.#rearm(waiting);
			}
		});
	}

	#sendRst(mac: MacAddress, ip: number, segment: TcpRecord): void {
		const bytes = encodeFrame({
			ethernet: {destination: mac, source: this.host.mac},
			ipv4: {source: this.host.ip, destination: ip, ttl: 64, dontFragment: true, identification: this.#nextIpIdentification()},
			tcp: segment,
		}, {}, this.host.frameBuffer);
		this.host.send(bytes, [{code: 'no-connection', text: 'RST: no such connection (rstUnknown policy)', severity: 'info', rfc: 'RFC 9293 §3.10.7.1'}]);
	}

	#find(source: number, tcp: TcpRecord): Entry | undefined {
		let listener: Entry | undefined;
		for (const entry of this.#entries.values()) {
			if (entry.localPort !== tcp.destinationPort) continue;
			if (entry.remote) {
				if (entry.remote.ip === source && entry.remote.port === tcp.sourcePort) return entry;
			} else if (entry.connection.state === 'LISTEN') {
				listener = entry;
			}
		}

		return listener;
	}

	#apply(entry: Entry, events: readonly EngineEvent[]): void {
		if (events.length > 0) {
			const kept = entry.events;
			for (const event of events) kept.push(event);
			if (kept.length > 2 * keptEvents) kept.splice(0, kept.length - keptEvents);
		}

		this.#rearm(entry);
		this.#changed();
	}

	/**
	 * Keeps one timer per connection at or before its next deadline. Deadlines move on almost every
	 * ACK (RFC 6298 §5.3); re-arming a timer each time would cost more than the ACK, so a timer
	 * already set earlier is kept, and when it fires early the poll does nothing and re-arms.
	 */
	#rearm(entry: Entry): void {
		const at = entry.autopilot.pollAt();
		if (at === undefined || (entry.armedAt !== undefined && entry.armedAt <= at)) return;
		entry.armedAt = at;
		entry.deadline.arm(at);
	}

	#poll(id: number): void {
		const entry = this.#entries.get(id);
		if (!entry) return;
		entry.armedAt = undefined;
		entry.deadline.stop();
		const now = this.#clock.now();
		const {events} = entry.connection.poll(now);
		if (entry.remote) this.#emitAll(entry, entry.autopilot.poll(now));
		this.#apply(entry, events);
	}

	#changed(): void {
		this.#version++;
		for (const listener of [...this.#listeners]) listener();
	}
}

/** The slow reader's timer stops, and its clock with it: an idle reader saves no allowance up. */
function stopReader(entry: Entry): void {
	entry.readTimer.stop();
	entry.readBudget.idle();
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

const annotationCache = new WeakMap<Verdict, Annotation>();
const singleAnnotations = new WeakMap<Verdict, readonly Annotation[]>();

/** Most incoming segments carry the one shared 'acceptable' verdict: share its annotation list too. */
const noAnnotations: readonly Annotation[] = Object.freeze([]);
const noFrames: readonly DecodedFrame[] = Object.freeze([]);

function toAnnotations(verdicts: readonly Verdict[]): readonly Annotation[] {
	if (verdicts.length !== 1) return verdicts.map(toAnnotation);
	const only = verdicts[0]!;
	const cached = singleAnnotations.get(only);
	if (cached) return cached;
	const list = [toAnnotation(only)];
	if (only.code === 'acceptable') singleAnnotations.set(only, list);
	return list;
}

function toAnnotation(verdict: Verdict): Annotation {
	const cached = annotationCache.get(verdict);
	if (cached) return cached;
	const annotation = makeAnnotation(verdict);
	if (verdict.code === 'acceptable') annotationCache.set(verdict, annotation);
	return annotation;
}

function makeAnnotation(verdict: Verdict): Annotation {
	return verdict.rfc === undefined
		? {code: verdict.code, text: verdict.text, severity: verdict.severity}
		: {code: verdict.code, text: verdict.text, severity: verdict.severity, rfc: verdict.rfc};
}

/** Linux's default ephemeral range is 32768-60999 (net.ipv4.ip_local_port_range). */
function ephemeralPort(): number {
	return 32_768 + Math.floor(Math.random() * (60_999 - 32_768));
}
