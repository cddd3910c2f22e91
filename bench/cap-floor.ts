// The floor under synack's download: a bare receive loop over cap, with no engine, no log and no
// checks. It claims nothing (the lab's kernel gets a permanent neighbour entry for its address),
// sends SYN and the GET, and one ACK per N in-order data segments (at once for anything out of
// order or filling a gap; what is left when the capture runs dry, then), and counts octets up to
// the server's FIN. What synack's download loses against it is synack's own cost; what this loop
// loses against the kernel is cap's (a native-to-JavaScript callback per frame) and libpcap's.
// bench/bulk.ts prints it as a row; alone: node --import tsx bench/cap-floor.ts [--mib N] [--every N]
// (bench/floor-steps.ts runs it in other topologies and compares each with the kernel).
// The floor under synack's upload, bareUpload below, is the same kind of loop sending: alone,
// node --import tsx bench/cap-floor.ts --up [--mib N] [--burst N] [--gap-us N] [--ring-kib N]. Two
// knobs make it send as synack does (issue #19: why synack's send() costs more): `--gap-us N` spins
// until N µs have passed since the last send() returned before each data segment, as synack's own
// work per segment spaces its sends; `--ring-kib N` sends each segment from the next slot of an
// N-KiB ring (copied there from the template), as synack builds each in fresh slab memory.
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import type {Cap} from 'cap';
import {labDown, labUp, type LabInfo} from '../source/lab/index.js';
import {parseIpv4, parseMac} from '../source/wire/addresses.js';
import {ipv4HeaderChecksum, ipv4HeaderChecksumOk, tcpChecksum, tcpChecksumOk} from '../source/wire/checksum.js';

export type FloorOptions = {
	readonly bytes: number;
	/** ACK every this many in-order data segments. */
	readonly every: number;
	/** Our address, in the lab's subnet, used by nobody else. */
	readonly address: string;
	readonly timeLimitMs: number;
};

// Closed captures are kept: cap never closes its libuv poll handle, and collecting the object would
// leave libuv walking freed memory (as source/link/pcap-link.ts explains).
const retired: Cap[] = [];
let downloads = 0;

/** IPv4 (DF, TTL 64, ID 0) from `ours` to `theirs` for `length` octets, and the TCP ports, in a frame. */
function ipv4AndPorts(frame: Buffer, length: number, ours: number, theirs: number, sport: number, dport: number): void {
	frame.set([0x45, 0, length >> 8, length & 0xff, 0, 0, 0x40, 0, 64, 6, 0, 0], 14);
	frame.writeUInt32BE(ours, 26);
	frame.writeUInt32BE(theirs, 30);
	frame.writeUInt16BE(ipv4HeaderChecksum(frame, 14, 20), 24);
	frame.writeUInt16BE(sport, 34);
	frame.writeUInt16BE(dport, 36);
}

/** Where the bare loop downloads from: the capture interface (in this process's namespace) and both ends. */
export type BareTarget = {
	readonly interface: string;
	/** Our MAC: the capture interface's own. */
	readonly mac: string;
	readonly peerMac: string;
	readonly peerAddress: string;
	/** Our address, which the peer's kernel has a permanent neighbour entry for. */
	readonly address: string;
	/** The server's port; it is asked `GET /bytes/N`. */
	readonly port: number;
};

export type BareOptions = FloorOptions & {
	/** Verify every received frame's IPv4 header and TCP checksums, as synack does (default off). */
	readonly verify?: boolean;
	/** The receive window offered, in octets (default 65535 << 7, 8 MiB); never shrinks. */
	readonly window?: number;
};

/** Downloads `/bytes/N` from the lab's HTTP server with the bare loop; resolves to the body's octets and seconds. */
export async function capFloorDownload(info: LabInfo, options: BareOptions): Promise<{bytes: number; seconds: number}> {
	execFileSync('ip', ['-n', info.namespace, 'neigh', 'replace', options.address, 'lladdr', info.mac, 'dev', info.peerInterface, 'nud', 'permanent']);
	return bareDownload({interface: info.interface, mac: info.mac, peerMac: info.peerMac, peerAddress: info.peerAddress, address: options.address, port: 80}, options);
}

/** The bare loop itself, on any veth whose peer knows our address (bench/floor-steps.ts runs it in other topologies). */
export async function bareDownload(target: BareTarget, options: BareOptions): Promise<{bytes: number; seconds: number; acks: number; bad: number; frames: number; largest: number}> {
	const {Cap: CapClass} = (await import('cap')).default;
	const cap = new CapClass();
	const buffer = Buffer.alloc(65_536);
	// A new port and ISN per download: the server's end of the last one may still be in TIME-WAIT.
	const sport = 40_000 + ((process.pid + (downloads++ * 7919)) % 20_000);
	cap.open(target.interface, `tcp and src host ${target.peerAddress} and src port ${target.port} and dst port ${sport}`, 64 << 20, buffer);
	const ours = parseIpv4(options.address);
	const theirs = parseIpv4(target.peerAddress);
	const verify = options.verify ?? false;
	const window = options.window ?? 0xff_ff * 128;
	// RFC 7323 §2.3: the smallest shift that fits the window in the 16-bit field.
	const windowScale = window > 0xff_ff ? Math.min(14, Math.ceil(Math.log2(window / 0xff_ff))) : 0;
	const windowField = Math.min(0xff_ff, Math.floor(window / 2 ** windowScale));
	let acks = 0;
	let bad = 0;
	// Frames seen and the largest payload: above the MSS means GRO merged segments before the capture.
	let frames = 0;
	let largest = 0;
	// Built in place, by hand: building each ACK with synack's encoder (wire/builders) halved this
	// loop's speed, and that cost is synack's to measure, not cap's.
	const frame = Buffer.alloc(128);
	frame.writeUIntBE(parseMac(target.peerMac), 0, 6);
	frame.writeUIntBE(parseMac(target.mac), 6, 6);
	frame.writeUInt16BE(0x08_00, 12);
	let snd = Math.floor(Math.random() * 2 ** 32);
	let rcv = 0;
	// cap's send() on a closed capture hands libpcap a null handle (a segfault): nothing goes out
	// once the download is over, not even an ACK a `flush` still had scheduled.
	let over = false;
	const send = (flags: number, payload: Uint8Array = new Uint8Array(0), tcpOptions: readonly number[] = []) => {
		if (over) return;
		const header = 20 + tcpOptions.length;
		ipv4AndPorts(frame, 20 + header + payload.length, ours, theirs, sport, target.port);
		frame.writeUInt32BE(snd >>> 0, 38);
		frame.writeUInt32BE(rcv >>> 0, 42);
		frame[46] = (header / 4) << 4;
		frame[47] = flags;
		// RFC 7323 §2.2: the window on a SYN is never scaled.
		frame.writeUInt16BE(flags & 0x02 ? Math.min(0xff_ff, window) : windowField, 48);
		frame.writeUInt32BE(0, 50);
		frame.set(tcpOptions, 54);
		frame.set(payload, 34 + header);
		frame.writeUInt16BE(tcpChecksum(frame, 34, header + payload.length, ours, theirs), 50);
		acks++;
		try {
			cap.send(frame, 34 + header + payload.length);
		} catch (error) {
			// The socket's send buffer is full (the lab kernel works on another CPU): this ACK is lost,
			// the next one covers it.
			if (!/temporarily unavailable/i.test(String(error))) throw error;
		}
	};

	try {
		return await new Promise((resolve, reject) => {
			let received = 0;
			let unacked = 0;
			let start = 0;
			const ahead = new Map<number, number>();
			let flushing = false;
			const flush = () => {
				flushing = false;
				if (unacked === 0) return;
				unacked = 0;
				send(0x10);
			};
			const timer = setTimeout(() => reject(new Error(`cap floor: not done within ${options.timeLimitMs} ms (${received} octets)`)), options.timeLimitMs);
			cap.on('packet', () => {
				const tcp = 14 + ((buffer[14]! & 15) * 4);
				// As synack's decoder does: a frame whose checksums fail is dropped (RFC 9293 §3.1).
				if (verify && (!ipv4HeaderChecksumOk(buffer, 14, tcp - 14) || !tcpChecksumOk(buffer, tcp, 14 + buffer.readUInt16BE(16) - tcp, theirs, ours))) {
					bad++;
					return;
				}

				const flags = buffer[tcp + 13]!;
				const seq = buffer.readUInt32BE(tcp + 4);
				const data = 14 + buffer.readUInt16BE(16) - (tcp + ((buffer[tcp + 12]! >> 4) * 4));
				if ((flags & 0x12) === 0x12) {
					if (start !== 0) return;
					rcv = (seq + 1) >>> 0;
					snd = (snd + 1) >>> 0;
					const request = Buffer.from(`GET /bytes/${options.bytes} HTTP/1.0\r\n\r\n`);
					send(0x10);
					send(0x18, request);
					snd = (snd + request.length) >>> 0;
					start = performance.now();
					return;
				}

				// Octets of this segment not received yet, when it starts at or before RCV.NXT (a
				// retransmission may start before it, with boundaries of its own).
				const behind = (rcv - seq) >>> 0;
				if (data > 0 && behind >= data) {
					// Ahead of RCV.NXT: frames crossing the veth on two CPUs arrive out of order now and
					// then. Only where it ends is kept (octets are counted, not kept).
					if (((seq - rcv) >>> 0) < 2 ** 31) ahead.set(seq, (seq + data) >>> 0);
					send(0x10);
					return;
				}

				if (data > 0) {
					frames++;
					if (data > largest) largest = data;
					rcv = (seq + data) >>> 0;
					received += data - behind;
					let filled = false;
					for (let end = ahead.get(rcv); end !== undefined; end = ahead.get(rcv)) {
						ahead.delete(rcv);
						received += (end - rcv) >>> 0;
						rcv = end;
						filled = true;
					}

					if (filled) {
						// RFC 5681 §4.2: a segment that fills a gap is ACKed at once.
						unacked = 0;
						send(0x10);
					} else if (++unacked >= options.every) {
						unacked = 0;
						send(0x10);
					} else if (!flushing) {
						// What is left unACKed when the capture has nothing more goes out then, as a
						// delayed ACK would: after a loss the kernel sends one segment per ACK.
						flushing = true;
						setImmediate(flush);
					}
				}

				if ((flags & 1) !== 0 && ((seq + data) >>> 0) === rcv) {
					rcv = (rcv + 1) >>> 0;
					send(0x11);
					clearTimeout(timer);
					over = true;
					resolve({bytes: received, seconds: (performance.now() - start) / 1000, acks, bad, frames, largest});
				}
			});
			// SYN with MSS 1460, NOP, window scale.
			send(0x02, undefined, [2, 4, 0x05, 0xb4, 1, 3, 3, windowScale]);
		});
	} finally {
		over = true;
		cap.close();
		retired.push(cap);
	}
}

export type UploadOptions = {
	readonly bytes: number;
	/** Our address, in the lab's subnet, used by nobody else. */
	readonly address: string;
	readonly timeLimitMs: number;
	/** The most segments sent in one go before the loop yields a turn (default 64). */
	readonly burst?: number;
	/**
	 * Before each data segment, spin (performance.now()) until this many µs have passed since the
	 * last send() returned (default 0: back to back). It stands for synack's own work per segment.
	 */
	readonly gapUs?: number;
	/**
	 * Send each data segment from the next slot of a ring of this many octets, copied there from its
	 * template first (the ring is written through once beforehand, so no page is new to this
	 * process). It stands for synack's frame slab, where each segment is built in memory not used
	 * before. 0 (default): every segment goes from its template.
	 */
	readonly ringBytes?: number;
};

export type UploadResult = {bytes: number; seconds: number; sends: number; sendUs: number; frames: number; stalls: number; times: SendTimes; blocked: number};

/**
 * What a sender's cap send() calls cost, by the time before each since the previous one returned
 * (the peer's reader falls asleep in that time, and the next send() wakes it). Bins: under 2, 5,
 * 10, 20, 50 µs, and the rest (the first send() and those after a pause).
 */
export class SendTimes {
	static readonly edgesUs: readonly number[] = [2, 5, 10, 20, 50];
	calls = 0;
	ms = 0;
	readonly counts = new Float64Array(SendTimes.edgesUs.length + 1);
	readonly sumsMs = new Float64Array(SendTimes.edgesUs.length + 1);
	/** performance.now() when the last send() returned. */
	lastEnd = Number.NEGATIVE_INFINITY;

	/** Records one send() that ran from `start` to `end` (performance.now(), ms). */
	record(start: number, end: number): void {
		const gapUs = (start - this.lastEnd) * 1000;
		const {edgesUs} = SendTimes;
		let bin = 0;
		while (bin < edgesUs.length && gapUs >= edgesUs[bin]!) bin++;
		this.counts[bin]++;
		this.sumsMs[bin] += end - start;
		this.calls++;
		this.ms += end - start;
		this.lastEnd = end;
	}

	/** One line: per bin of the time before a send(), its share of the calls and their mean µs. */
	describe(): string {
		const {edgesUs} = SendTimes;
		const parts: string[] = [];
		for (let bin = 0; bin < this.counts.length; bin++) {
			const count = this.counts[bin]!;
			if (count === 0) continue;
			const range = bin === 0 ? `<${edgesUs[0]}` : bin === edgesUs.length ? `${edgesUs[bin - 1]}+` : `${edgesUs[bin - 1]}-${edgesUs[bin]}`;
			parts.push(`${range} µs: ${(count / this.calls * 100).toFixed(0)} % at ${(this.sumsMs[bin]! * 1000 / count).toFixed(1)}`);
		}

		return `idle before send() ${parts.join(', ')} µs`;
	}
}

let uploads = 0;
const mss = 1460;
// When nothing is ACKed for this long, everything from SND.UNA goes again (a bounded number of times).
const stallMs = 200;
const stallLimit = 20;
const inLab = (address: number) => (address >>> 17) === (0xc6_12_00_00 >>> 17);

/** Uploads N octets to the lab's discard server (port 9) with the bare send loop, as the kernel's client does. */
export async function capFloorUpload(info: LabInfo, options: UploadOptions): Promise<UploadResult> {
	execFileSync('ip', ['-n', info.namespace, 'neigh', 'replace', options.address, 'lladdr', info.mac, 'dev', info.peerInterface, 'nud', 'permanent']);
	return bareUpload({interface: info.interface, mac: info.mac, peerMac: info.peerMac, peerAddress: info.peerAddress, address: options.address, port: 9}, options);
}

/**
 * The floor under synack's upload: connect, send N octets in full-sized segments as fast as the
 * peer's window allows (SND.UNA and the window from its ACKs, no congestion control), FIN, and wait
 * for the server's FIN (the discard server closes once it has read everything). The seconds run
 * from the SYN-ACK to that FIN, as the kernel client's do from connect() to the end of its reads.
 * No retransmission but one: when nothing is ACKed for 200 ms, everything from SND.UNA goes again.
 */
export async function bareUpload(target: BareTarget, options: UploadOptions): Promise<UploadResult> {
	const ours = parseIpv4(options.address);
	const theirs = parseIpv4(target.peerAddress);
	if (!inLab(ours) || !inLab(theirs)) throw new Error(`cap floor upload: ${options.address} and ${target.peerAddress} must both be in 198.18.0.0/15`);
	const burst = options.burst ?? 64;
	const gapMs = (options.gapUs ?? 0) / 1000;
	const ring = Buffer.alloc(Math.max(0, options.ringBytes ?? 0));
	ring.fill(0x5a);
	let ringAt = 0;
	const {Cap: CapClass} = (await import('cap')).default;
	const cap = new CapClass();
	const buffer = Buffer.alloc(65_536);
	const sport = 40_000 + ((process.pid + 10_007 + (uploads++ * 7919)) % 20_000);
	cap.open(target.interface, `tcp and src host ${target.peerAddress} and src port ${target.port} and dst port ${sport}`, 64 << 20, buffer);
	// Every sequence number below is an offset from ISS + 1: data is [0, N), the FIN is N.
	const iss = Math.floor(Math.random() * 2 ** 32);
	const end = options.bytes;
	let rcv = 0;
	const times = new SendTimes();
	// send()s refused with EAGAIN: the socket's send buffer is full when the peer's softirqs run
	// later than the send() (under load, in ksoftirqd). The segment is sent again a turn later.
	let blocked = 0;
	let over = false;
	const send = (frame: Buffer, length: number): boolean => {
		// cap's send() on a closed capture hands libpcap a null handle (a segfault).
		if (over) return false;
		const start = performance.now();
		try {
			cap.send(frame, length);
		} catch (error) {
			if (!/temporarily unavailable/i.test(String(error))) throw error;
			blocked++;
			return false;
		}

		times.record(start, performance.now());
		return true;
	};

	// Ethernet, IPv4 (DF, ID 0: the header is the same for every full segment) and TCP with no options.
	const header = (frame: Buffer, payload: number, tcpOptions: readonly number[] = []) => {
		frame.writeUIntBE(parseMac(target.peerMac), 0, 6);
		frame.writeUIntBE(parseMac(target.mac), 6, 6);
		frame.writeUInt16BE(0x08_00, 12);
		ipv4AndPorts(frame, 40 + tcpOptions.length + payload, ours, theirs, sport, target.port);
		frame[46] = ((20 + tcpOptions.length) / 4) << 4;
		frame.writeUInt16BE(0xff_ff, 48);
		frame.set(tcpOptions, 54);
		return 34 + 20 + tcpOptions.length + payload;
	};

	// A control segment (SYN, FIN, the last ACK), built in full each time: there are three or four.
	const control = Buffer.alloc(128);
	const sendControl = (flags: number, seq: number, tcpOptions: readonly number[] = []) => {
		const length = header(control, 0, tcpOptions);
		control.writeUInt32BE((iss + 1 + seq) >>> 0, 38);
		control.writeUInt32BE(rcv >>> 0, 42);
		control[47] = flags;
		control.writeUInt16BE(0, 50);
		control.writeUInt16BE(tcpChecksum(control, 34, length - 34, ours, theirs), 50);
		return send(control, length);
	};

	// One template frame per kind of data segment (full-sized, and the shorter last one), built after
	// the SYN-ACK (ACK and window never change after it). Each send patches the sequence number and
	// the checksum: the sum without the sequence number is kept, and the number's two words added in.
	// cap's send() copies the frame before it returns, so one buffer per kind is enough.
	type Template = {frame: Buffer; length: number; sum: number};
	const template = (payload: number): Template => {
		const frame = Buffer.alloc(34 + 20 + payload);
		const length = header(frame, payload);
		frame.writeUInt32BE(0, 38);
		frame.writeUInt32BE(rcv >>> 0, 42);
		frame[47] = 0x10;
		frame.writeUInt16BE(0, 50);
		// The payload: zeros, as the kernel client's (the discard server does not look at it).
		const sum = ~tcpChecksum(frame, 34, 20 + payload, ours, theirs) & 0xff_ff;
		return {frame, length, sum};
	};

	let full: Template | undefined;
	let last: Template | undefined;
	/** Sends the segment at `offset`; gives its size, or 0 when send() was refused. */
	const sendData = (offset: number) => {
		const size = Math.min(mss, end - offset);
		const kind = size === mss ? full! : (last ??= template(size));
		const seq = (iss + 1 + offset) >>> 0;
		kind.frame.writeUInt32BE(seq, 38);
		let sum = kind.sum + (seq >>> 16) + (seq & 0xff_ff);
		sum = (sum & 0xff_ff) + (sum >>> 16);
		sum = (sum & 0xff_ff) + (sum >>> 16);
		kind.frame.writeUInt16BE(~sum & 0xff_ff, 50);
		if (gapMs > 0) {
			// Bounded: performance.now() only grows, and the wait is gapUs at most.
			const until = times.lastEnd + gapMs;
			while (performance.now() < until);
		}

		if (ring.length < kind.length) return send(kind.frame, kind.length) ? size : 0;
		if (ringAt + kind.length > ring.length) ringAt = 0;
		const slot = ring.subarray(ringAt, ringAt + kind.length);
		kind.frame.copy(slot, 0, 0, kind.length);
		ringAt += kind.length;
		return send(slot, kind.length) ? size : 0;
	};

	try {
		return await new Promise<UploadResult>((resolve, reject) => {
			let established = false;
			let start = 0;
			let una = 0;
			let nxt = 0;
			// SND.MAX: after going back to SND.UNA, ACKs for what had been sent before still count.
			let sentMax = 0;
			// The peer's window, its scale (from its SYN-ACK) and the right edge it allows: SND.UNA + SND.WND.
			let scale = 0;
			let edge = 0;
			let frames = 0;
			let stalls = 0;
			let lastProgress = performance.now();
			let pumping = false;
			const fail = (error: Error) => {
				over = true;
				clearTimeout(timer);
				clearInterval(watch);
				reject(error);
			};

			// Sends what the window allows, `burst` segments at most; the rest a turn later.
			const pump = () => {
				pumping = false;
				if (over || !established) return;
				let count = 0;
				let refused = false;
				// A segment must end within the window: Linux drops one that crosses its right edge.
				while (nxt < end && nxt + Math.min(mss, end - nxt) <= edge && count < burst) {
					const size = sendData(nxt);
					if (size === 0) {
						refused = true;
						break;
					}

					nxt += size;
					count++;
				}

				if (nxt === end) {
					if (sendControl(0x11, end)) nxt = end + 1;
					else refused = true;
				}

				if (nxt > sentMax) sentMax = nxt;

				if ((count === burst || refused) && !pumping) {
					pumping = true;
					setImmediate(pump);
				}
			};

			const timer = setTimeout(() => fail(new Error(`cap floor upload: not done within ${options.timeLimitMs} ms (${una} octets ACKed)`)), options.timeLimitMs);
			const watch = setInterval(() => {
				if (over || performance.now() - lastProgress < stallMs) return;
				if (++stalls > stallLimit) {
					fail(new Error(`cap floor upload: no progress after ${stallLimit} resends (${una} octets ACKed)`));
					return;
				}

				lastProgress = performance.now();
				if (!established) {
					sendControl(0x02, -1, [2, 4, 0x05, 0xb4, 1, 3, 3, 0]);
					return;
				}

				// Go back to SND.UNA; one segment goes even into a closed window, as a probe.
				nxt = una;
				if (nxt < end) nxt += sendData(nxt);
				if (nxt > sentMax) sentMax = nxt;
				pump();
			}, stallMs / 4);

			cap.on('packet', () => {
				if (over) return;
				frames++;
				const tcp = 14 + ((buffer[14]! & 15) * 4);
				const flags = buffer[tcp + 13]!;
				if ((flags & 0x04) !== 0) {
					fail(new Error(`cap floor upload: reset by the peer (${una} octets ACKed)`));
					return;
				}

				const seq = buffer.readUInt32BE(tcp + 4);
				const ack = (buffer.readUInt32BE(tcp + 8) - iss - 1) >>> 0;
				if ((flags & 0x12) === 0x12) {
					if (established || ack !== 0) return;
					// The peer's window scale (RFC 7323 §2.2), from its options.
					const optionsEnd = tcp + ((buffer[tcp + 12]! >> 4) * 4);
					for (let at = tcp + 20; at < optionsEnd && buffer[at] !== 0;) {
						if (buffer[at] === 1) {
							at++;
							continue;
						}

						if (buffer[at] === 3) scale = buffer[at + 2]!;
						at += Math.max(2, buffer[at + 1]!);
					}

					rcv = (seq + 1) >>> 0;
					edge = buffer.readUInt16BE(tcp + 14);
					full = template(mss);
					established = true;
					sendControl(0x10, 0);
					start = performance.now();
					lastProgress = start;
					pump();
					return;
				}

				if (!established || (flags & 0x10) === 0) return;
				// An ACK for nothing sent yet, or one older than SND.UNA (reordered): ignored.
				if (ack > sentMax || ack < una) return;
				if (ack > una) {
					una = ack;
					if (nxt < una) nxt = una;
					lastProgress = performance.now();
				}

				edge = Math.max(edge, ack + (buffer.readUInt16BE(tcp + 14) * (2 ** scale)));
				const data = 14 + buffer.readUInt16BE(16) - (tcp + ((buffer[tcp + 12]! >> 4) * 4));
				// The server's FIN, once all ours is ACKed: everything arrived and was read.
				if ((flags & 0x01) !== 0 && una === end + 1) {
					rcv = (seq + data + 1) >>> 0;
					sendControl(0x10, end + 1);
					const seconds = (performance.now() - start) / 1000;
					over = true;
					clearTimeout(timer);
					clearInterval(watch);
					resolve({bytes: end, seconds, sends: times.calls, sendUs: times.ms * 1000 / times.calls, frames, stalls, times, blocked});
					return;
				}

				pump();
			});
			// SYN with MSS 1460, NOP, window scale 0: the peer scales its own window only if we send one.
			sendControl(0x02, -1, [2, 4, 0x05, 0xb4, 1, 3, 3, 0]);
		});
	} finally {
		over = true;
		cap.close();
		retired.push(cap);
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {mib: {type: 'string', default: '64'}, every: {type: 'string', default: '4'}, up: {type: 'boolean', default: false}, burst: {type: 'string', default: '64'}, 'gap-us': {type: 'string', default: '0'}, 'ring-kib': {type: 'string', default: '0'}}});
	const name = `f${process.pid}`;
	const info = await labUp({name, subnet: '198.18.210.0/24', held: true});
	try {
		if (values.up) {
			const gapUs = Number(values['gap-us']);
			const ringKib = Number(values['ring-kib']);
			const result = await capFloorUpload(info, {bytes: Number(values.mib) << 20, burst: Number(values.burst), gapUs, ringBytes: ringKib * 1024, address: '198.18.210.13', timeLimitMs: 60_000});
			console.log(`cap floor upload, bursts of ${values.burst}${gapUs > 0 ? `, ${gapUs} µs between sends` : ''}${ringKib > 0 ? `, from a ${ringKib} KiB ring` : ''}: ${(result.bytes / result.seconds / 1e6).toFixed(0)} MB/s (${result.bytes} octets, ${result.seconds.toFixed(2)} s, ${result.sends} sends at ${result.sendUs.toFixed(1)} µs, ${result.frames} frames in, ${result.stalls} stalls, ${result.blocked} sends refused (EAGAIN); ${result.times.describe()})`);
		} else {
			const result = await capFloorDownload(info, {bytes: Number(values.mib) << 20, every: Number(values.every), address: '198.18.210.12', timeLimitMs: 60_000});
			console.log(`cap floor, ACK every ${values.every}: ${(result.bytes / result.seconds / 1e6).toFixed(0)} MB/s (${result.bytes} octets, ${result.seconds.toFixed(2)} s)`);
		}
	} finally {
		await labDown(name);
	}
}
