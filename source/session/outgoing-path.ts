import type {SendResult} from '../engine/connection.js';
import type {OutgoingEffect} from '../engine/faults.js';
import {decodeFrame} from '../wire/decode.js';
import {encodeFrame, type FrameOverrides} from '../wire/encode.js';
import type {Ipv4Address, MacAddress, TcpRecord} from '../wire/records.js';
import type {Timers} from './clock.js';
import type {Entry} from './connection-entry.js';
import type {Host} from './host.js';
import type {Annotation, LogEntry} from './packet-log.js';
import {faultAnnotations, type SessionFaults} from './session-faults.js';
import {toAnnotations} from './verdict-annotations.js';

/**
 * Our segments on their way to the wire: framed (Ethernet, IPv4 with an identification of this
 * session's), passed through the outgoing faults in force, sent and logged.
 */
export class OutgoingPath {
	readonly #host: Host;
	readonly #faults: SessionFaults;
	readonly #timers: Timers;
	/** An outgoing frame a `swap` fault holds until the next one has gone out. */
	#swapped: {entry: Entry; bytes: Uint8Array} | undefined;
	#ipIdentification = 0;
	#closed = false;

	constructor(host: Host, faults: SessionFaults, timers: Timers) {
		this.#host = host;
		this.#faults = faults;
		this.#timers = timers;
	}

	/** Sends and logs a segment of `entry`'s as the faults in force have it; its events are the caller's. */
	send(entry: Entry, result: SendResult, frame?: FrameOverrides): LogEntry {
		const annotations = toAnnotations(result.verdicts);
		const effect = this.#faults.any ? this.#faults.outgoing(result.segment, entry.id) : undefined;
		if (effect === undefined || effect.notes.length === 0) return this.#transmit(entry, this.#encode(entry, result.segment, frame), result.segment.payload.length, annotations);
		return this.#emitFaulty(entry, effect, frame, [...annotations, ...faultAnnotations(effect.notes)]);
	}

	/** The rstUnknown policy's answer to a segment no connection takes (RFC 9293 §3.10.7.1). */
	sendRst(mac: MacAddress, ip: Ipv4Address, segment: TcpRecord): void {
		const bytes = encodeFrame({
			ethernet: {destination: mac, source: this.#host.mac},
			ipv4: {source: this.#host.ip, destination: ip, ttl: 64, dontFragment: true, identification: this.#nextIpIdentification()},
			tcp: segment,
		}, {}, this.#host.frameBuffer);
		this.#host.send(bytes, [{code: 'no-connection', text: 'RST: no such connection (rstUnknown policy)', severity: 'info', rfc: 'RFC 9293 §3.10.7.1'}]);
	}

	/** A frame a fault holds is not sent after this. */
	close(): void {
		this.#closed = true;
	}

	#encode(entry: Entry, segment: TcpRecord, frame?: FrameOverrides, ttl = 64): Uint8Array {
		return encodeFrame(
			{
				ethernet: {destination: entry.remoteMac!, source: this.#host.mac},
				// RFC 791 §3.2 / RFC 6864: a fresh identification per datagram; DF set, as Linux sends TCP.
				ipv4: {source: this.#host.ip, destination: entry.remote!.ip, ttl, dontFragment: true, identification: this.#nextIpIdentification()},
				tcp: segment,
			},
			frame,
			this.#host.frameBuffer,
		);
	}

	/** RFC 6864 §4.1: an atomic datagram's (DF set) ID means nothing and may be any value; a counter per session keeps sessions apart. */
	#nextIpIdentification(): number {
		this.#ipIdentification = (this.#ipIdentification + 1) & 0xff_ff;
		return this.#ipIdentification;
	}

	/** Sends and logs a frame; a frame a `swap` fault held goes out right after it. */
	#transmit(entry: Entry, bytes: Uint8Array, payloadLength: number, annotations: readonly Annotation[]): LogEntry {
		const logged = this.#host.send(bytes, annotations, entry.id);
		// Counted from the segment: the log entry's `frame` would decode (and checksum) every frame sent.
		entry.bytesOut += payloadLength;
		const held = this.#swapped;
		if (held) {
			this.#swapped = undefined;
			this.#host.send(held.bytes, faultAnnotations(['sent after the segment it was swapped with (fault)']), held.entry.id);
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
		if (effect.copies === 0) return this.#host.note('out', bytes, annotations, entry.id);
		if (effect.delayMs > 0 || effect.swap) {
			const logged = this.#host.note('out', bytes, [...annotations, ...faultAnnotations([effect.swap ? 'held until the next segment has gone out' : `held: goes out in ${effect.delayMs} ms`])], entry.id);
			const release = () => {
				if (this.#closed) return;
				if (effect.swap) this.#swapped = {entry, bytes};
				else for (let copy = 0; copy < effect.copies; copy++) this.#host.send(bytes, faultAnnotations([`sent ${effect.delayMs} ms late (fault)`]), entry.id);
			};

			if (effect.delayMs > 0) this.#timers.after(effect.delayMs, release);
			else release();
			return logged;
		}

		const logged = this.#transmit(entry, bytes, effect.segment.payload.length, annotations);
		for (let copy = 1; copy < effect.copies; copy++) this.#host.send(bytes, faultAnnotations(['the same segment again (fault)']), entry.id);
		return logged;
	}
}
