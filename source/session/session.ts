import {Connection, type ConnectionConfig, type EngineEvent, type Reply, type SendResult} from '../engine/connection.js';
import {answerWithoutConnection} from '../engine/no-connection.js';
import type {SegmentOverrides} from '../engine/segment.js';
import type {TcbSnapshot} from '../engine/tcb.js';
import type {Verdict} from '../engine/verdict.js';
import type {ArpClaimSnapshot} from '../iface/arp-claim.js';
import type {Link, LinkStats} from '../link/link.js';
import type {Endpoint} from '../wire/addresses.js';
import {encodeFrame, type FrameOverrides} from '../wire/encode.js';
import type {DecodedFrame, MacAddress, TcpRecord} from '../wire/records.js';
import {type Clock, Deadline, realClock} from './clock.js';
import {type AutoPolicies, manualPolicies} from './auto-policies.js';
import {Host, type HostOptions, type IpHandler} from './host.js';
import type {Annotation, LogEntry, LogTotals} from './packet-log.js';

export type SessionOptions = HostOptions & {
	/** Defaults for every connection's engine (options offered, buffers, ISS...). */
	readonly connection?: Partial<Omit<ConnectionConfig, 'localPort' | 'remotePort'>>;
};

export type ConnectionView = {
	readonly id: number;
	readonly local: Endpoint;
	/** Unknown for a listener until a SYN arrives. */
	readonly remote: Endpoint | undefined;
	readonly tcb: TcbSnapshot;
	/** Octets the application side has read from this connection so far. */
	readonly bytesRead: number;
	/** The newest events, oldest first (bounded). */
	readonly events: readonly EngineEvent[];
};

export type SessionSnapshot = {
	/** Grows on every change; a UI re-renders when it moves. */
	readonly version: number;
	readonly iface: {readonly name: string; readonly mac: MacAddress; readonly mtu: number};
	readonly ip: number;
	readonly claim: ArpClaimSnapshot;
	readonly connections: readonly ConnectionView[];
	readonly log: {readonly count: number; readonly size: number; readonly totals: LogTotals};
	readonly link: LinkStats;
	readonly auto: AutoPolicies;
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
	bytesRead: number;
	events: EngineEvent[];
};

const keptEvents = 50;
let ipIdentification = 0;

/**
 * Runs the host (ARP) and TCP connections on a link with a real clock: the one API the TUI, scripts
 * and tests drive, and the one store they read. Manual by design: nothing is sent that the caller did
 * not ask for, apart from ARP.
 */
export class Session {
	readonly host: Host;
	readonly #clock: Clock;
	readonly #entries = new Map<number, Entry>();
	readonly #listeners = new Set<() => void>();
	readonly #defaults: SessionOptions['connection'];
	readonly #replies = new Map<number, readonly Reply[]>();
	#auto: AutoPolicies = manualPolicies;
	#nextId = 1;
	#version = 0;
	#snapshot: SessionSnapshot | undefined;

	constructor(options: SessionOptions) {
		this.#clock = options.clock ?? realClock;
		this.#defaults = options.connection;
		this.host = new Host(options);
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

	/** A connection in LISTEN on `port`; the peer is learned from the first SYN. */
	listen(port: number, config: Partial<Omit<ConnectionConfig, 'localPort' | 'remotePort'>> = {}): number {
		const connection = new Connection({...this.#defaults, ...config, localPort: port});
		const id = this.#add(connection, port, undefined, undefined);
		this.#apply(this.#entries.get(id)!, connection.listen(this.#clock.now()).events);
		return id;
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
		const result = entry.connection.retransmit(this.#clock.now());
		return result ? this.#emit(entry, result) : undefined;
	}

	/** Takes the data received so far in order (frees receive window, as an application's read does). */
	read(id: number, max?: number): Uint8Array {
		const entry = this.#entry(id);
		const bytes = entry.connection.read(max);
		entry.bytesRead += bytes.length;
		this.#changed();
		return bytes;
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
				events: entry.events,
			})),
			log: {count: log.count, size: log.size, totals: log.totals()},
			link: this.link.stats(),
			auto: this.#auto,
		};
		return this.#snapshot;
	};

	close(): void {
		for (const entry of this.#entries.values()) entry.deadline.stop();
		this.host.close();
		this.link.close();
	}

	#add(connection: Connection, localPort: number, remote: Endpoint | undefined, remoteMac: MacAddress | undefined): number {
		const id = this.#nextId++;
		const entry: Entry = {id, connection, localPort, remote, remoteMac, bytesRead: 0, events: [], deadline: new Deadline(this.#clock, () => this.#poll(id))};
		this.#entries.set(id, entry);
		this.#changed();
		return id;
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

		return this.#emit(entry, act(entry.connection, this.#clock.now()), frame);
	}

	#emit(entry: Entry, result: SendResult, frame?: FrameOverrides): LogEntry {
		const remote = entry.remote!;
		const bytes = encodeFrame(
			{
				ethernet: {destination: entry.remoteMac!, source: this.host.mac},
				// RFC 791 §3.2 / RFC 6864: a fresh identification per datagram; DF set, as Linux sends TCP.
				ipv4: {source: this.host.ip, destination: remote.ip, ttl: 64, dontFragment: true, identification: (ipIdentification = (ipIdentification + 1) & 0xff_ff)},
				tcp: result.segment,
			},
			frame,
		);
		const logged = this.host.send(bytes, result.verdicts.map(toAnnotation), entry.id);
		this.#apply(entry, result.events);
		return logged;
	}

	#receive(frame: DecodedFrame): ReturnType<IpHandler> {
		const tcp = frame.tcp;
		const ipv4 = frame.ipv4!;
		if (!tcp) return undefined;
		const entry = this.#find(ipv4.source, tcp);
		if (!entry) {
			const answer = answerWithoutConnection(tcp);
			return {annotations: answer.verdicts.map(toAnnotation)};
		}

		if (!entry.remote) {
			entry.remote = {ip: ipv4.source, port: tcp.sourcePort};
			entry.remoteMac = frame.ethernet!.source;
		}

		const now = this.#clock.now();
		const result = entry.connection.receive(now, tcp, frame.tcpChecksumOk === undefined ? {} : {checksumOk: frame.tcpChecksumOk});
		this.#replies.set(entry.id, result.respond);
		return {
			annotations: result.verdicts.map(toAnnotation),
			connection: entry.id,
			then: () => this.#apply(entry, result.events),
		};
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
			entry.events = [...entry.events, ...events].slice(-keptEvents);
		}

		entry.deadline.arm(entry.connection.pollAt());
		this.#changed();
	}

	#poll(id: number): void {
		const entry = this.#entries.get(id);
		if (!entry) return;
		this.#apply(entry, entry.connection.poll(this.#clock.now()).events);
	}

	#changed(): void {
		this.#version++;
		for (const listener of [...this.#listeners]) listener();
	}
}

function toAnnotation(verdict: Verdict): Annotation {
	return verdict.rfc === undefined
		? {code: verdict.code, text: verdict.text, severity: verdict.severity}
		: {code: verdict.code, text: verdict.text, severity: verdict.severity, rfc: verdict.rfc};
}

/** Linux's default ephemeral range is 32768-60999 (net.ipv4.ip_local_port_range). */
function ephemeralPort(): number {
	return 32_768 + Math.floor(Math.random() * (60_999 - 32_768));
}
