import {ArpClaim, type ArpClaimSnapshot, type ArpClaimTimings, type ArpOut} from '../iface/arp-claim.js';
import {Neighbours, type NeighbourConfig} from '../iface/neighbours.js';
import type {CapturedFrame, Link} from '../link/link.js';
import {timestampNow} from '../link/link.js';
import {formatIpv4, formatMac} from '../wire/addresses.js';
import {arpKind} from '../wire/arp.js';
import {decodeFrame} from '../wire/decode.js';
import {encodeFrame} from '../wire/encode.js';
import type {DecodedFrame, Ipv4Address, MacAddress} from '../wire/records.js';
import {type Clock, Deadline, realClock} from './clock.js';
import {type Annotation, type Direction, type LogEntry, PacketLog} from './packet-log.js';

export type HostOptions = {
	readonly link: Link;
	readonly ip: Ipv4Address;
	/** `--mac`: the MAC we claim and send from, when not the interface's own (the capture is promiscuous). */
	readonly mac?: MacAddress;
	readonly network: Ipv4Address;
	readonly prefixLength: number;
	readonly gateway?: Ipv4Address;
	readonly timings?: ArpClaimTimings;
	readonly probe?: boolean;
	readonly neighbours?: Pick<NeighbourConfig, 'tries' | 'retryInterval' | 'lifetime'>;
	readonly clock?: Clock;
	readonly log?: PacketLog;
	readonly backlog?: Partial<BacklogConfig>;
};

/**
 * How much of the event loop frames may take. Frames are handled as they arrive while the current
 * turn has spent less than `turnMs` on them; after that they queue, and the queue is worked through
 * `turnMs` at a time between turns, so that keys, timers and the screen keep getting their turn when
 * a peer floods us. Past `limit` waiting frames, further ones are only logged, marked as not handled.
 */
export type BacklogConfig = {
	readonly turnMs: number;
	readonly limit: number;
};

const defaultBacklog: BacklogConfig = {turnMs: 10, limit: 50_000};

export class ClaimConflictError extends Error {
	override readonly name = 'ClaimConflictError';
}

export class ResolveError extends Error {
	override readonly name = 'ResolveError';
}

/**
 * Takes an IPv4 frame for our address before it is logged: returns what to note on its log entry,
 * and what to do once it is logged (answers go out after the frame they answer, in the log too).
 */
export type IpHandler = (frame: DecodedFrame) => {annotations?: readonly Annotation[]; connection?: number; then?: () => void} | undefined;

/**
 * A fast lane for IPv4 frames, asked before a frame is decoded: `take` returns the connection's id
 * when it handled the frame, or -1 to have it decoded and given to the `IpHandler`. `notes` are the
 * taken frame's annotations; `after` runs once it is logged.
 */
export type FastIpHandler = {
	take(bytes: Uint8Array): number;
	readonly notes: readonly Annotation[];
	after(): void;
};

type Overflowed = {readonly overflow: number; readonly frame: CapturedFrame};

const overloadNote: Annotation = {code: 'overload', text: 'not handled (synack overloaded)', severity: 'warn'};

const arpNotes: Record<string, Annotation> = {
	probe: {code: 'arp-probe', text: 'ARP probe', severity: 'info', rfc: 'RFC 5227 §2.1.1'},
	announcement: {code: 'arp-announcement', text: 'ARP announcement', severity: 'info', rfc: 'RFC 5227 §2.3'},
	request: {code: 'arp-request', text: 'ARP request', severity: 'info', rfc: 'RFC 826'},
	reply: {code: 'arp-reply', text: 'ARP reply', severity: 'info', rfc: 'RFC 826'},
	other: {code: 'arp-other', text: 'ARP', severity: 'info', rfc: 'RFC 826'},
};

/**
 * The host synack pretends to be on a link: claims its address (RFC 5227), resolves neighbours,
 * logs every frame in and out, and hands IPv4 frames for our address to the layer above.
 */
export class Host {
	readonly log: PacketLog;
	readonly link: Link;
	readonly ip: Ipv4Address;
	readonly mac: MacAddress;
	readonly #clock: Clock;
	readonly #claim: ArpClaim;
	readonly #neighbours: Neighbours;
	readonly #deadline: Deadline;
	#ipHandler: IpHandler | undefined;
	#fastIp: FastIpHandler | undefined;
	// Copied on write, not on every frame: a change is announced once per frame in and out.
	#changeListeners: ReadonlyArray<() => void> = [];
	readonly #unsubscribe: () => void;
	#claimWaiters: Array<{resolve: () => void; reject: (error: Error) => void}> = [];
	#closed = false;
	readonly #backlog: BacklogConfig;
	/** Frames waiting, from `#queueHead` on, in the order they came; overflowed ones only to be logged. */
	#queue: Array<CapturedFrame | Overflowed> = [];
	#queueHead = 0;
	#draining: NodeJS.Immediate | undefined;
	#turnStart: number | undefined;
	#overloaded = 0;
	#dropped = 0;

	constructor(options: HostOptions) {
		this.link = options.link;
		this.ip = options.ip;
		this.mac = options.mac ?? options.link.mac;
		this.#clock = options.clock ?? realClock;
		this.log = options.log ?? new PacketLog();
		const now = this.#clock.now();
		this.#claim = new ArpClaim({mac: this.mac, ip: options.ip, timings: options.timings, probe: options.probe}, now);
		this.#neighbours = new Neighbours({
			mac: this.mac,
			ip: options.ip,
			network: options.network,
			prefixLength: options.prefixLength,
			gateway: options.gateway,
			...options.neighbours,
		});
		this.#deadline = new Deadline(this.#clock, () => this.#poll());
		this.#backlog = {...defaultBacklog, ...options.backlog};
		this.#unsubscribe = this.link.onFrame(frame => this.#take(frame));
		this.#rearm();
	}

	get claim(): ArpClaimSnapshot {
		return this.#claim.snapshot();
	}

	/** Resolves once the address is ours (announcing or claimed); rejects on a conflict. */
	claimed(): Promise<void> {
		const settled = this.#claimSettlement();
		if (settled === 'owned') return Promise.resolve();
		if (settled instanceof Error) return Promise.reject(settled);
		return new Promise((resolve, reject) => this.#claimWaiters.push({resolve, reject}));
	}

	/** The MAC to send to for `destination`: its own, or the gateway's when off our subnet. */
	async resolve(destination: Ipv4Address): Promise<MacAddress> {
		const {resolution, send} = this.#neighbours.resolve(this.#clock.now(), destination);
		this.#sendArp(send);
		this.#rearm();
		if (resolution.state === 'resolved') return resolution.mac;
		return new Promise((resolve, reject) => {
			const check = () => {
				const now = this.#neighbours.lookup(this.#clock.now(), destination);
				if (now.state === 'pending') return;
				this.#removeChangeListener(check);
				if (now.state === 'resolved') resolve(now.mac);
				else reject(new ResolveError(now.error));
			};

			this.#changeListeners = [...this.#changeListeners, check];
		});
	}

	/** The one handler for IPv4 frames addressed to us (the session's TCP demux), and its fast lane. */
	handleIp(handler: IpHandler | undefined, fast?: FastIpHandler): void {
		this.#ipHandler = handler;
		this.#fastIp = fast;
	}

	/**
	 * Where frames to send are built (`encodeFrame`'s `allocate`): the link's frame memory, which the
	 * log keeps as it is. Copying every sent segment into fresh memory was a fifth of an upload.
	 */
	readonly frameBuffer = (length: number): Uint8Array => this.link.frameBuffer(length);

	/** Listens for any change: a frame in or out, a claim phase, a resolution. */
	onChange(listener: () => void): () => void {
		this.#changeListeners = [...this.#changeListeners, listener];
		return () => {
			this.#removeChangeListener(listener);
		};
	}

	#removeChangeListener(listener: () => void): void {
		const at = this.#changeListeners.indexOf(listener);
		if (at >= 0) this.#changeListeners = this.#changeListeners.toSpliced(at, 1);
	}

	/** Sends a frame and logs it. */
	send(bytes: Uint8Array, annotations: readonly Annotation[] = [], connection?: number): LogEntry {
		this.link.send(bytes);
		return this.#record('out', bytes, timestampNow(), annotations, connection);
	}

	/**
	 * Logs a frame that did not cross the wire now: one a fault kept from being sent, or an incoming
	 * frame a fault held back and hands to the engine late. The capture file never sees these.
	 */
	note(direction: Direction, bytes: Uint8Array, annotations: readonly Annotation[], connection?: number): LogEntry {
		return this.#record(direction, bytes, timestampNow(), annotations, connection);
	}

	/** Frames logged but not handled because the backlog was full (a flood). */
	get overloaded(): number {
		return this.#overloaded;
	}

	/** Frames neither handled nor logged: the backlog of frames to log was full too (see `BacklogConfig`). */
	get dropped(): number {
		return this.#dropped;
	}

	/** Frames received and not handled yet. */
	get backlog(): number {
		return this.#queue.length - this.#queueHead;
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#draining) clearImmediate(this.#draining);
		this.#queue = [];
		this.#queueHead = 0;
		this.#deadline.stop();
		this.#unsubscribe();
		for (const waiter of this.#claimWaiters) waiter.reject(new ClaimConflictError('closed before the claim completed'));
		this.#claimWaiters = [];
	}

	#take(captured: CapturedFrame): void {
		if (this.#closed) return;
		const waiting = this.#queue.length - this.#queueHead;
		if (waiting === 0 && this.#withinTurn()) {
			this.#receive(captured);
			return;
		}

		if (waiting >= this.#backlog.limit) {
			// Logged in their turn, after the frames waiting before them, but never handled; past eight
			// times the limit not even logged (the pcap file, written as frames come, still has them).
			if (waiting >= 8 * this.#backlog.limit) {
				this.#dropped++;
				return;
			}

			this.#overloaded++;
			this.#queue.push({overflow: waiting, frame: captured});
		} else {
			this.#queue.push(captured);
		}

		this.#drainSoon();
	}

	/** Whether this turn of the event loop may still take frames at once (see `BacklogConfig`). */
	#withinTurn(): boolean {
		const now = performance.now();
		if (this.#turnStart === undefined) {
			this.#turnStart = now;
			setImmediate(() => {
				this.#turnStart = undefined;
			});
			return true;
		}

		return now - this.#turnStart < this.#backlog.turnMs;
	}

	#drainSoon(): void {
		this.#draining ??= setImmediate(() => {
			this.#draining = undefined;
			const start = performance.now();
			// At least one frame a turn, whatever the budget.
			do {
				const next = this.#queue[this.#queueHead]!;
				this.#queue[this.#queueHead++] = undefined as never;
				if ('overflow' in next) {
					this.#recordIn(next.frame, [{...overloadNote, text: `not handled: ${next.overflow} frames were waiting (synack overloaded)`}]);
				} else {
					this.#receive(next);
				}

				if (this.#closed) return;
			} while (this.#queueHead < this.#queue.length && performance.now() - start < this.#backlog.turnMs);

			if (this.#queueHead < this.#queue.length) {
				// Compact now and then, not on every frame: shifting a long array is O(n).
				if (this.#queueHead > 4096) {
					this.#queue = this.#queue.slice(this.#queueHead);
					this.#queueHead = 0;
				}

				this.#drainSoon();
			} else {
				this.#queue = [];
				this.#queueHead = 0;
			}
		});
	}

	#receive(captured: CapturedFrame): void {
		if (this.#closed) return;
		const fast = this.#fastIp;
		if (fast !== undefined) {
			const connection = fast.take(captured.bytes);
			if (connection >= 0) {
				this.#recordIn(captured, fast.notes, connection);
				fast.after();
				return;
			}
		}

		const frame = decodeFrame(captured.bytes);
		if (!frame.arp) {
			const handled = frame.ipv4?.destination === this.ip ? this.#ipHandler?.(frame) : undefined;
			this.#recordIn(captured, handled?.annotations ?? [], handled?.connection);
			handled?.then?.();
			return;
		}

		const now = this.#clock.now();
		const conflictsBefore = this.#claim.snapshot().conflicts.length;
		const reply = this.#claim.receive(now, frame.arp);
		this.#neighbours.receive(now, frame.arp);
		const annotations: Annotation[] = [arpNotes[arpKind(frame.arp)]!];
		if (this.#claim.snapshot().conflicts.length > conflictsBefore) {
			annotations.push({code: 'arp-conflict', text: `conflict: ${formatMac(frame.arp.senderMac)} uses ${formatIpv4(this.ip)}`, severity: 'error', rfc: 'RFC 5227 §2.4'});
		}

		// Logged before our answer, so the log reads in the order things happened.
		this.#recordIn(captured, annotations);
		this.#sendArp(reply);
		this.#rearm();
		this.#settleClaim();
	}

	#poll(): void {
		if (this.#closed) return;
		const now = this.#clock.now();
		this.#sendArp(this.#claim.poll(now));
		this.#sendArp(this.#neighbours.poll(now));
		this.#rearm();
		this.#settleClaim();
		this.#changed();
	}

	#rearm(): void {
		const claimAt = this.#claim.pollAt();
		const neighboursAt = this.#neighbours.pollAt();
		const at = claimAt === undefined ? neighboursAt : neighboursAt === undefined ? claimAt : Math.min(claimAt, neighboursAt);
		this.#deadline.arm(at);
	}

	#sendArp(out: readonly ArpOut[]): void {
		for (const {destination, arp} of out) {
			this.send(encodeFrame({ethernet: {destination, source: this.mac}, arp}, {}, this.frameBuffer), [arpNotes[arpKind(arp)]!]);
		}
	}

	#claimSettlement(): 'owned' | 'waiting' | Error {
		if (this.#claim.owned) return 'owned';
		if (this.#claim.phase === 'conflict') {
			const conflict = this.#claim.snapshot().conflicts[0];
			const who = conflict ? ` by ${formatMac(conflict.mac)}` : '';
			return new ClaimConflictError(`${formatIpv4(this.ip)} is already in use${who} (it answered our ARP probe); pick another address with --ip`);
		}

		return 'waiting';
	}

	#settleClaim(): void {
		const settled = this.#claimSettlement();
		if (settled === 'waiting') return;
		const waiters = this.#claimWaiters;
		this.#claimWaiters = [];
		for (const waiter of waiters) {
			if (settled === 'owned') waiter.resolve();
			else waiter.reject(settled);
		}
	}

	/** Logs a frame and gives back its entry (frames we send or note: the caller may want it). */
	#record(direction: Direction, bytes: Uint8Array, timestamp: LogEntry['timestamp'], annotations: readonly Annotation[], connection?: number): LogEntry {
		const entry = this.log.append(connection === undefined ? {direction, timestamp, bytes, annotations} : {direction, timestamp, bytes, annotations, connection});
		this.#changed();
		return entry;
	}

	/** Logs a frame that came in: nobody asks for its entry, so none is made (once per frame). */
	#recordIn(captured: CapturedFrame, annotations: readonly Annotation[], connection?: number): void {
		this.log.add(connection === undefined ? {direction: 'in', timestamp: captured.timestamp, bytes: captured.bytes, annotations} : {direction: 'in', timestamp: captured.timestamp, bytes: captured.bytes, annotations, connection});
		this.#changed();
	}

	#changed(): void {
		for (const listener of this.#changeListeners) listener();
	}
}
