import type {Cap as CapType} from 'cap';
import {formatIpv4} from '../wire/addresses.js';
import type {Ipv4Address} from '../wire/records.js';
import {FrameSlab} from './frame-slab.js';
import {PrefaultedMemory} from './prefaulted-memory.js';
import {SendQueue} from './send-queue.js';
import {interfaceCounters, interfaceInfo} from './interface-info.js';
import {type CapturedFrame, type Link, type LinkStats, LinkError, type Timestamp} from './link.js';
import {Listeners} from './listeners.js';
import {catchNativeStderr} from './native-stderr.js';

export type PcapLinkOptions = {
	readonly iface: string;
	/** Our claimed address: the capture keeps ARP and IPv4 to or from it, nothing else. */
	readonly ip: Ipv4Address;
	/**
	 * libpcap's ring in bytes. `cap` always asks for 65535-byte snapshots, so a small ring holds few
	 * frames; one smaller than the peer's window snowballs into losses. 64 MiB by default.
	 */
	readonly bufferSize?: number;
	/**
	 * Octets of received frames to copy into memory a worker thread mapped ahead of need
	 * (`PrefaultedMemory`); 0 for none. No limit by default: a 256 MiB download ran 25 % faster than
	 * with the 128 MiB this once was.
	 */
	readonly prefaultBytes?: number;
};

export const defaultBufferSize = 64 * 1024 * 1024;

// cap copies each frame into this buffer before emitting; its snap length is fixed at 65535, and a
// coalesced (GRO/TSO) frame can be that large, so the buffer must never be the thing that truncates.
const receiveBufferSize = 65_536;

// cap embeds its libuv poll handle in the native object and only stops it on close, never closes
// it: if the object were garbage-collected, libuv would later walk freed memory (seen here as a
// SIGSEGV at random after a link closed). Closed captures and their buffers are kept for the life of
// the process instead; each costs a few hundred bytes.
const retired: Array<{cap: CapType; buffer: Buffer}> = [];

export function captureFilter(ip: Ipv4Address): string {
	return `arp or (ip host ${formatIpv4(ip)})`;
}

/** Opens a live capture on an Ethernet interface through libpcap. */
export async function openPcapLink(options: PcapLinkOptions): Promise<Link> {
	const info = interfaceInfo(options.iface);
	const Cap = await loadCap();
	const cap = new Cap();
	const buffer = Buffer.alloc(receiveBufferSize);
	let linkType: string;
	try {
		const opened = catchNativeStderr(() => cap.open(options.iface, captureFilter(options.ip), options.bufferSize ?? defaultBufferSize, buffer));
		linkType = opened.value;
		const said = libpcapWarnings(opened.written);
		if (said.length > 0) process.stderr.write(said.map(line => `synack: ${options.iface}: libpcap: ${line}\n`).join(''));
	} catch (error) {
		throw explainOpenError(options.iface, error);
	}

	if (linkType !== 'ETHERNET') {
		cap.close();
		retired.push({cap, buffer});
		throw new LinkError(`${options.iface} is not an Ethernet interface (link type ${linkType}); synack speaks Ethernet only`);
	}

	return new PcapLink(cap, buffer, info.name, info.mac, info.mtu, options.prefaultBytes ?? Number.POSITIVE_INFINITY);
}

/**
 * What cap's open printed, less what is expected: it looks up the interface's IPv4 network for the
 * filter and warns (`IF: no IPv4 address assigned - This may not actually work`) when there is none.
 * That network only matters to filters that say `net` or `broadcast`; ours names hosts, and synack
 * brings its own address (the lab's interface has none by design), so the warning never applies.
 */
export function libpcapWarnings(written: string): string[] {
	return written.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '' && !/no IPv4 address assigned/.test(line))
		.map(line => line.replace(/^Warning: /, '').replace(/ - This may not actually work$/, ''));
}

async function loadCap(): Promise<typeof CapType> {
	try {
		const module = (await import('cap')) as unknown as {default?: {Cap: typeof CapType}; Cap?: typeof CapType};
		const Cap = module.default?.Cap ?? module.Cap;
		if (!Cap) throw new Error('the cap module has no Cap export');
		return Cap;
	} catch (error) {
		throw new LinkError(`cannot load libpcap through the cap module (${firstLine(error)}); install it with: apt-get install libpcap-dev, then npm rebuild cap`);
	}
}

function explainOpenError(iface: string, error: unknown): LinkError {
	const message = firstLine(error);
	if (/permission|not permitted/i.test(message)) {
		return new LinkError(`no permission to capture on ${iface}: run as root, or grant the capability with: sudo setcap cap_net_raw,cap_net_admin+eip ${process.execPath}`);
	}

	return new LinkError(`cannot capture on ${iface}: ${message}`);
}

function firstLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.split('\n')[0]!;
}

// performance.timeOrigin + performance.now() is wall-clock time with sub-millisecond resolution and
// costs far less than Date.now() plus process.hrtime.bigint() per frame.
const origin = performance.timeOrigin;

function fastTimestamp(): Timestamp {
	const ms = origin + performance.now();
	const seconds = Math.floor(ms / 1000);
	return {seconds, nanoseconds: Math.floor((ms - (seconds * 1000)) * 1_000_000)};
}

/** Memory mapped ahead by a worker thread, or nothing when no worker can start (the link works without). */
function startPrefaulting(total: number): PrefaultedMemory | undefined {
	try {
		return new PrefaultedMemory({total});
	} catch {
		return undefined;
	}
}

class PcapLink implements Link {
	readonly #listeners = new Listeners();
	readonly #cap: CapType;
	readonly #buffer: Buffer;
	readonly #countersAtOpen;
	readonly #memory: PrefaultedMemory | undefined;
	readonly #slab: FrameSlab;
	#received = 0;
	#sent = 0;
	#sendMs = 0;
	#sendWaits = 0;
	#closed = false;
	readonly #queue = new SendQueue(frame => this.#trySend(frame), retry => setImmediate(retry));

	constructor(
		cap: CapType,
		buffer: Buffer,
		readonly name: string,
		readonly mac: number,
		readonly mtu: number,
		prefaultBytes: number,
	) {
		this.#cap = cap;
		this.#buffer = buffer;
		this.#countersAtOpen = interfaceCounters(name);
		const memory = prefaultBytes > 0 ? startPrefaulting(prefaultBytes) : undefined;
		this.#memory = memory;
		const slab = new FrameSlab(undefined, memory ? () => memory.take() : undefined);
		this.#slab = slab;
		const raw = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
		cap.on('packet', (nbytes: number) => {
			this.#received++;
			// cap reuses `buffer` for the next frame: copy before anyone keeps it.
			const frame: CapturedFrame = {bytes: slab.copy(raw, nbytes), timestamp: fastTimestamp()};
			this.#listeners.emit(frame);
		});
	}

	send(frame: Uint8Array): void {
		if (this.#closed) throw new LinkError(`link ${this.name} is closed`);
		this.#queue.send(frame);
	}

	cork(): void {
		this.#queue.hold();
	}

	uncork(): void {
		this.#queue.release();
	}

	/** False when the socket's send buffer is full (EAGAIN, ENOBUFS): the queue sends it later. */
	#trySend(frame: Uint8Array): boolean {
		if (this.#closed) return true;
		const bytes = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
		const start = performance.now();
		try {
			this.#cap.send(bytes, bytes.length);
		} catch (error) {
			const why = firstLine(error);
			if (/temporarily unavailable|no buffer space/i.test(why)) {
				this.#sendWaits++;
				return false;
			}

			throw new LinkError(`cannot send a ${bytes.length}-byte frame on ${this.name}: ${why}`);
		} finally {
			this.#sendMs += performance.now() - start;
		}

		this.#sent++;
		return true;
	}

	frameBuffer(length: number): Uint8Array {
		return this.#slab.blank(length);
	}

	onFrame(listener: (frame: CapturedFrame) => void): () => void {
		return this.#listeners.add(listener);
	}

	/**
	 * The cap binding does not expose pcap_stats, so drops are estimated: frames the interface counted
	 * (received, and sent by anyone but us) minus frames the capture delivered. Frames the filter
	 * rejected count as drops too, so this is an upper bound.
	 */
	stats(): LinkStats {
		const now = interfaceCounters(this.name);
		const then = this.#countersAtOpen;
		let dropped = 0;
		if (now && then) {
			const seen = now.rxPackets - then.rxPackets + (now.txPackets - then.txPackets - this.#sent);
			dropped = Math.max(0, seen - this.#received);
		}

		return {received: this.#received, sent: this.#sent, dropped, droppedSource: 'estimate', sendMs: this.#sendMs, sendWaits: this.#sendWaits, sendDropped: this.#queue.dropped};
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#queue.clear();
		this.#cap.close();
		this.#memory?.close();
		retired.push({cap: this.#cap, buffer: this.#buffer});
	}
}
