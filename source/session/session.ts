import {Autopilot, type AutopilotConfig} from '../engine/autopilot.js';
import {Connection, type ConnectionConfig, type EngineEvent, type ReceiveResult, type Reply, type SendResult} from '../engine/connection.js';
import type {SegmentOverrides} from '../engine/segment.js';
import type {TcbSnapshot} from '../engine/tcb.js';
import type {Link} from '../link/link.js';
import type {Endpoint} from '../wire/addresses.js';
import type {FrameOverrides} from '../wire/encode.js';
import type {MacAddress} from '../wire/records.js';
import {AppDriver, type ReadListener, stopReader} from './app-driver.js';
import {type AppFactory, type AppName, appFactory} from './apps.js';
import {type AutoPolicies, manualPolicies} from './auto-policies.js';
import {type Clock, Deadline, realClock, Timers} from './clock.js';
import {type Entry, type Listening, recordEvents} from './connection-entry.js';
import {ConnectionTable} from './connection-table.js';
import {Host, type HostOptions} from './host.js';
import {type DropPredicate, IncomingPath} from './incoming-path.js';
import {OutgoingPath} from './outgoing-path.js';
import type {LogEntry} from './packet-log.js';
import {defaultReaderRate, isReaderRate, ReadBudget, type ReaderMode} from './reader.js';
import {SessionFaults} from './session-faults.js';
import {connectionView, type SessionSnapshot, SnapshotStore} from './session-views.js';

export type {ReadListener} from './app-driver.js';
export type {DropPredicate} from './incoming-path.js';
export type {ConnectionView, SendView, SessionSnapshot} from './session-views.js';

export type SessionOptions = HostOptions & {
	/** Defaults for every connection's engine (options offered, buffers, ISS...). */
	readonly connection?: Partial<Omit<ConnectionConfig, 'localPort' | 'remotePort'>>;
	/** Auto mode's timers and ACK delay for every connection. */
	readonly autopilot?: AutopilotConfig;
	/** Octets per second the `slow` reader takes (`--reader-rate`). */
	readonly readerRate?: number;
};

/** `listen`'s backlog when none is given (`--backlog`). */
export const defaultBacklog = 16;
/** Connections that ended (CLOSED) kept for the list; older ones go first. */
export const keptClosed = 32;

export class SessionError extends Error {
	override readonly name = 'SessionError';
}

/**
 * Runs the host (ARP) and TCP connections on a link with a real clock: the one API the TUI, scripts
 * and tests drive, and the one store they read. Manual by design: nothing is sent that the caller did
 * not ask for, apart from ARP. The connections and their timers are kept here; frames go out through
 * outgoing-path.ts and come in through incoming-path.ts, and apps and readers are app-driver.ts's.
 */
export class Session {
	readonly host: Host;
	/** Faults for the segments this session sends and takes (engine/faults.ts vocabulary). */
	readonly faults: SessionFaults;
	readonly #clock: Clock;
	/** What a delay fault holds, cancelled on close. */
	readonly #timers: Timers;
	readonly #outgoing: OutgoingPath;
	readonly #incoming: IncomingPath;
	readonly #apps: AppDriver;
	readonly #table = new ConnectionTable();
	readonly #store = new SnapshotStore();
	#readerRate: number;
	readonly #defaults: SessionOptions['connection'];
	readonly #autopilotConfig: AutopilotConfig | undefined;
	#auto: AutoPolicies = manualPolicies;
	readonly #flushing = new Set<Entry>();
	#flushScheduled = false;
	/** The link holds what is sent until this turn of the event loop ends (#emitAll). */
	#corked = false;
	#closed = false;

	constructor(options: SessionOptions) {
		this.#clock = options.clock ?? realClock;
		this.#defaults = options.connection;
		this.#autopilotConfig = options.autopilot;
		this.#readerRate = options.readerRate ?? defaultReaderRate;
		if (!isReaderRate(this.#readerRate)) throw new SessionError(`the reader's rate must be a whole number of bytes per second, at least 1 (not ${options.readerRate})`);
		this.host = new Host(options);
		this.faults = new SessionFaults(this.#clock, () => this.#changed());
		this.#timers = new Timers(this.#clock);
		this.#outgoing = new OutgoingPath(this.host, this.faults, this.#timers);
		this.#incoming = new IncomingPath({
			host: this.host,
			table: this.#table,
			faults: this.faults,
			outgoing: this.#outgoing,
			clock: this.#clock,
			timers: this.#timers,
			afterReceive: (entry, result, payloadLength, now) => this.#afterReceive(entry, result, payloadLength, now),
			listened: entry => this.#listened(entry),
			rstUnknown: () => this.#auto.rstUnknown,
		});
		this.#apps = new AppDriver({
			clock: this.#clock,
			readerMode: () => this.#auto.read,
			emitAll: (entry, results) => this.#emitAll(entry, results),
			output: entry => this.#output(entry),
			rearm: entry => this.#rearm(entry),
			changed: () => this.#changed(),
		});
		this.host.handleIp(frame => this.#incoming.receive(frame), this.#incoming);
		this.host.onChange(() => this.#changed());
	}

	get log() {
		return this.host.log;
	}

	get link(): Link {
		return this.host.link;
	}

	/** Segments taken by header prediction rather than decoded in full (session/incoming-path.ts). */
	get predictedSegments(): number {
		return this.#incoming.predicted;
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
		const entry = this.#table.get(id)!;
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
		this.#table.delete(entry.id);
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
		return this.#apps.read(this.#entry(id), max);
	}

	/** The read position: octets the application has read, and octets received in order still unread. */
	readPosition(id: number): {readonly read: number; readonly unread: number} {
		const entry = this.#entry(id);
		return {read: entry.bytesRead, unread: entry.connection.readable};
	}

	/** Hears every octet any reader takes (the reader policy, `read`, apps), in stream order. */
	onRead(listener: ReadListener): () => void {
		return this.#apps.onRead(listener);
	}

	/** The reader: `arrival`, `manual` or `slow` (at `rate` octets per second, kept for later). The `read` policy. */
	setReader(mode: ReaderMode, rate?: number): void {
		if (rate !== undefined) {
			if (!isReaderRate(rate)) throw new SessionError(`the reader's rate must be a whole number of bytes per second, at least 1 (not ${rate})`);
			this.#readerRate = rate;
			for (const entry of this.#table.values()) entry.readBudget.rate = rate;
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
		if (entry.connection.state !== 'LISTEN') this.#apps.start(entry);
		this.#changed();
	}

	/**
	 * Drops incoming frames that `predicate` picks before the engine sees them; they are still logged,
	 * annotated 'dropped (fault)'. Undefined removes the hook.
	 */
	dropIncoming(predicate: DropPredicate | undefined): void {
		this.#incoming.drop = predicate;
	}

	tcb(id: number): TcbSnapshot {
		return this.#entry(id).connection.snapshot();
	}

	/** The answers a conformant stack would have sent for the newest segment this connection took. */
	pendingReplies(id: number): readonly Reply[] {
		return this.#table.get(id)?.replies ?? [];
	}

	/** Switches auto policies on or off (all of them, or any subset). */
	setAuto(policies: Partial<AutoPolicies>): void {
		this.#auto = {...this.#auto, ...policies};
		for (const entry of this.#table.values()) {
			entry.autopilot.policies = this.#auto;
			// Whatever is due under the new policies happens now (a delayed ACK, a retransmission...).
			if (entry.remote) this.#emitAll(entry, entry.autopilot.poll(this.#clock.now()));
			this.#apps.startReader(entry);
			this.#rearm(entry);
		}

		this.#changed();
	}

	subscribe(listener: () => void): () => void {
		return this.#store.subscribe(listener);
	}

	/** An immutable snapshot, the same object until something changes (for useSyncExternalStore). */
	getSnapshot = (): SessionSnapshot => this.#store.snapshot(this.#buildSnapshot);

	readonly #buildSnapshot = (version: number): SessionSnapshot => {
		const {host} = this;
		const log = host.log;
		return {
			version,
			iface: {name: this.link.name, mac: host.mac, mtu: this.link.mtu},
			ip: host.ip,
			claim: host.claim,
			connections: [...this.#table.values()].map(entry => connectionView(entry, host.ip, this.#auto, this.#readerRate)),
			log: {count: log.count, size: log.size, totals: log.totals(), overloaded: host.overloaded, dropped: host.dropped, waiting: host.backlog},
			link: this.link.stats(),
			auto: this.#auto,
			faults: this.faults.view(),
		};
	};

	close(): void {
		this.#closed = true;
		for (const entry of this.#table.values()) {
			entry.deadline.stop();
			entry.readTimer.stop();
		}

		this.#outgoing.close();
		this.#incoming.close();
		this.#timers.cancelAll();
		this.host.close();
		this.link.close();
	}

	#add(connection: Connection, localPort: number, remote: Endpoint | undefined, remoteMac: MacAddress | undefined, spawned = false): number {
		this.#pruneClosed();
		const id = this.#table.nextId();
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
			replies: [],
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
		this.#table.add(entry);
		this.#changed();
		return id;
	}

	/** The list is bounded: past `keptClosed` ended connections, the oldest are forgotten. */
	#pruneClosed(): void {
		for (const entry of this.#table.closedBeyond(keptClosed - 1)) this.#forget(entry);
	}

	#entry(id: number): Entry {
		const entry = this.#table.get(id);
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
		const logged = this.#outgoing.send(entry, result, frame);
		this.#apply(entry, result.events);
		return logged;
	}

	/**
	 * A burst of auto mode's segments, and whatever else is sent in the same turn of the event loop
	 * after it, leaves back to back when the turn ends (Link.cork): the lab's reader, woken by each
	 * send() that finds it asleep, sleeps less between them (docs/performance.md). A lone segment
	 * (an ACK, a key's) goes out at once when no burst holds the link.
	 */
	#emitAll(entry: Entry, results: readonly SendResult[]): void {
		if (results.length > 1 && !this.#corked) {
			const link = this.host.link;
			if (link.cork !== undefined) {
				link.cork();
				this.#corked = true;
				setImmediate(() => {
					this.#corked = false;
					link.uncork?.();
				});
			}
		}

		for (const result of results) this.#emit(entry, result);
	}

	/** After the incoming frame is logged: the app reads, then auto mode answers and sends. */
	#afterReceive(entry: Entry, result: ReceiveResult, payloadLength: number, now: number): void {
		const {autopilot} = entry;
		this.#apply(entry, result.events);
		this.#apps.taken(entry);
		let peerClosed = false;
		for (const event of result.events) if (event.type === 'peer-closed') peerClosed = true;
		this.#emitAll(entry, autopilot.afterReceive(now, result, payloadLength));
		if (peerClosed) {
			// The fin policy closes our side for a connection no app drives, once what was written is sent.
			if (!this.#apps.peerClosed(entry) && this.#auto.fin) autopilot.close();
			this.#emitAll(entry, autopilot.output(now));
		}

		if (autopilot.flushWanted || autopilot.moreToSend) this.#scheduleFlush(entry);
		this.#rearm(entry);
	}

	/** The slow reader's tick, for a connection still in the table. */
	#slowRead(id: number): void {
		const entry = this.#table.get(id);
		if (!entry) return;
		if (this.#closed) stopReader(entry);
		else this.#apps.slowRead(entry);
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
		if (this.#table.listensOn(port, entry)) return;
		const id = this.#listen(port, entry.listening, true);
		this.#table.get(id)!.serve = entry.serve;
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

	#apply(entry: Entry, events: readonly EngineEvent[]): void {
		recordEvents(entry, events);
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
		const entry = this.#table.get(id);
		if (!entry) return;
		entry.armedAt = undefined;
		entry.deadline.stop();
		const now = this.#clock.now();
		const {events} = entry.connection.poll(now);
		if (entry.remote) this.#emitAll(entry, entry.autopilot.poll(now));
		this.#apply(entry, events);
	}

	#changed(): void {
		this.#store.changed();
	}
}

/** Linux's default ephemeral range is 32768-60999 (net.ipv4.ip_local_port_range). */
function ephemeralPort(): number {
	return 32_768 + Math.floor(Math.random() * (60_999 - 32_768));
}
