import type {ReceiveResult} from '../engine/connection.js';
import {answerWithoutConnection} from '../engine/no-connection.js';
import type {Verdict} from '../engine/verdict.js';
import {encodeFrame, exactOverrides, frameSpecOf} from '../wire/encode.js';
import {blankPrediction, predictSegment} from '../wire/predicted-segment.js';
import {type DecodedFrame, type TcpRecord, tcpFlags} from '../wire/records.js';
import {looksPartial} from './checksum-offload.js';
import type {Clock, Timers} from './clock.js';
import type {Entry} from './connection-entry.js';
import type {ConnectionTable} from './connection-table.js';
import {Explainer} from './explain.js';
import type {FastIpHandler, Host, IpHandler} from './host.js';
import type {OutgoingPath} from './outgoing-path.js';
import type {Annotation} from './packet-log.js';
import {faultAnnotations, type SessionFaults} from './session-faults.js';
import {mostSevere, noAnnotations, toAnnotation, toAnnotations} from './verdict-annotations.js';

/** Decides whether an incoming frame is dropped before the engine sees it (fault injection). */
export type DropPredicate = (frame: DecodedFrame) => boolean;

/** What the incoming path needs of the session around it. */
export type IncomingParts = {
	readonly host: Host;
	readonly table: ConnectionTable;
	readonly faults: SessionFaults;
	readonly outgoing: OutgoingPath;
	readonly clock: Clock;
	readonly timers: Timers;
	/** After the segment's frame is logged: its events, the app, and auto mode's answers. */
	readonly afterReceive: (entry: Entry, result: ReceiveResult, payloadLength: number, now: number) => void;
	/** After a listener took a segment: a SYN made it a connection, so the port needs a new listener. */
	readonly listened: (entry: Entry) => void;
	/** Whether the rstUnknown policy is on. */
	readonly rstUnknown: () => boolean;
};

const droppedAnnotation: Annotation = {code: 'dropped', text: 'dropped (fault)', severity: 'warn'};
const partialAnnotation: Annotation = {code: 'checksum-partial', text: 'checksum left for the sender\'s card to fill in (CHECKSUM_PARTIAL on a veth): not judged', severity: 'info'};
const noFrames: readonly DecodedFrame[] = Object.freeze([]);

function backlogFull(backlog: number): Annotation {
	return {code: 'backlog-full', text: `dropped: the listen backlog (${backlog}) is full, as Linux drops it`, severity: 'warn'};
}

/**
 * The peer's segments on their way to a connection: found in the table, passed through the incoming
 * faults in force (dropped, held, reordered, repeated), handed to the engine, explained and annotated.
 */
export class IncomingPath implements FastIpHandler {
	/** The `dropIncoming` hook: frames it picks are logged but never reach the engine. */
	drop: DropPredicate | undefined;
	readonly #parts: IncomingParts;
	readonly #explainer = new Explainer();
	#closed = false;
	readonly #predicted = blankPrediction();
	/** The connection the last predicted segment was for: a transfer's segments all are. */
	#hot: Entry | undefined;
	/** The frame `take` took, until `after` runs: its connection, what the engine made of it, when. */
	#taken: Entry | undefined;
	#takenResult: ReceiveResult | undefined;
	#takenLength = 0;
	#takenAt = 0;
	notes: readonly Annotation[] = noAnnotations;
	/** Segments header prediction took (`take`), for the bench and tests to see it at work. */
	predicted = 0;

	constructor(parts: IncomingParts) {
		this.#parts = parts;
	}

	/** The host's IP handler: what to note on the frame's log entry, and what follows once it is logged. */
	receive(frame: DecodedFrame, late = false): ReturnType<IpHandler> {
		const tcp = frame.tcp;
		const ipv4 = frame.ipv4!;
		if (!tcp) return undefined;
		const parts = this.#parts;
		const entry = parts.table.find(ipv4.source, tcp);
		if (!late && this.drop?.(frame)) return entry ? {annotations: [droppedAnnotation], connection: entry.id} : {annotations: [droppedAnnotation]};
		let again = 0;
		let faultNotes: readonly Annotation[] = noAnnotations;
		if (entry && !late && parts.faults.any) {
			const effect = parts.faults.incoming(tcp, entry.id);
			faultNotes = faultAnnotations(effect.notes);
			if (!effect.deliver) {
				this.#explainer.dropped(entry.id, tcp, parts.clock.now() / 1000);
				return {annotations: faultNotes, connection: entry.id};
			}

			if (effect.reorder) {
				entry.reordered.push(frame);
				return {annotations: faultNotes, connection: entry.id};
			}

			if (effect.delayMs > 0) {
				parts.timers.after(effect.delayMs, () => this.#deliverLate(frame, `taken ${effect.delayMs} ms late (fault)`));
				return {annotations: faultNotes, connection: entry.id};
			}

			again = effect.copies - 1;
		}

		if (!entry) {
			const answer = answerWithoutConnection(tcp);
			const rst = answer.respond;
			const then = rst && parts.rstUnknown() && frame.ethernet
				? () => parts.outgoing.sendRst(frame.ethernet!.source, ipv4.source, rst)
				: undefined;
			return {annotations: answer.verdicts.map(toAnnotation), then};
		}

		const listening = entry.connection.state === 'LISTEN';
		if (listening && entry.listening && (tcp.flags & (tcpFlags.SYN | tcpFlags.ACK | tcpFlags.RST)) === tcpFlags.SYN && parts.table.halfOpen(entry.localPort) >= entry.listening.backlog) {
			return {annotations: [backlogFull(entry.listening.backlog)], connection: entry.id};
		}

		if (!entry.remote) {
			entry.remote = {ip: ipv4.source, port: tcp.sourcePort};
			entry.remoteMac = frame.ethernet!.source;
		}

		const now = parts.clock.now();
		// A peer on a veth with tx checksum offload hands over frames whose checksum field holds only
		// the pseudo-header sum: nothing damaged them, so they are not judged. Any other wrong checksum is.
		const partial = frame.tcpChecksumOk === false && looksPartial(frame);
		const result = entry.connection.receive(now, tcp, frame.tcpChecksumOk === undefined || partial ? {} : {checksumOk: frame.tcpChecksumOk});
		entry.replies = result.respond;
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
				parts.afterReceive(entry, result, tcp.payload.length, now);
				if (listening) parts.listened(entry);
				for (let copy = 0; copy < again; copy++) this.#deliverLate(frame, 'taken again (fault)');
				for (const held of reordered) this.#deliverLate(held, 'taken after the segment behind it (fault)');
			},
		};
	}

	/**
	 * The host's fast lane: header prediction. A frame of in-order data on an established connection,
	 * with no fault in force and nothing to explain, goes to the engine (`receivePredicted`) without
	 * being decoded into records; the rest, and any segment the engine does not predict, return -1 and
	 * are decoded in full and handed to `receive`. What the engine does with it, and what follows it,
	 * are the same either way (test/session/incoming-path.test.ts).
	 */
	take(bytes: Uint8Array): number {
		const parts = this.#parts;
		const segment = this.#predicted;
		if (this.drop !== undefined || parts.faults.any || !predictSegment(bytes, segment) || segment.destination !== parts.host.ip) return -1;
		let entry = this.#hot;
		if (entry === undefined || entry.localPort !== segment.destinationPort || entry.remote?.ip !== segment.source
			|| entry.remote.port !== segment.sourcePort || parts.table.get(entry.id) !== entry) {
			entry = parts.table.findPeer(segment.source, segment.sourcePort, segment.destinationPort);
			this.#hot = entry;
		}

		if (entry === undefined || entry.reordered.length > 0 || this.#explainer.watching(entry.id)) return -1;
		const now = parts.clock.now();
		const payload = bytes.subarray(segment.payloadStart, segment.payloadEnd);
		const result = entry.connection.receivePredicted(now, segment, payload);
		if (result === undefined) return -1;
		entry.replies = result.respond;
		entry.bytesIn += payload.length;
		entry.lastVerdict = mostSevere(result.verdicts);
		this.notes = toAnnotations(result.verdicts);
		this.#taken = entry;
		this.#takenResult = result;
		this.#takenLength = payload.length;
		this.#takenAt = now;
		this.predicted++;
		return entry.id;
	}

	/** Once the frame `take` took is logged: as `receive`'s `then`. */
	after(): void {
		const entry = this.#taken;
		const result = this.#takenResult;
		if (entry === undefined || result === undefined) return;
		this.#taken = undefined;
		this.#takenResult = undefined;
		this.#parts.afterReceive(entry, result, this.#takenLength, this.#takenAt);
	}

	/** A frame a fault holds is not taken after this. */
	close(): void {
		this.#closed = true;
	}

	/**
	 * Explanations need each segment's history, which costs a map entry per segment: kept only while
	 * faults are in force or the peer is retransmitting, never on a clean bulk transfer's hot path.
	 */
	#explain(entry: Entry, tcp: TcpRecord, now: number, verdicts: readonly Verdict[]): readonly Annotation[] {
		const retransmission = verdicts.some(verdict => verdict.code === 'retransmission');
		if (!retransmission && !this.#parts.faults.any && !this.#explainer.watching(entry.id)) return noAnnotations;
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
		const handled = this.receive(frame, true);
		this.#parts.host.note('in', bytes, [...faultAnnotations([why]), ...(handled?.annotations ?? [])], handled?.connection);
		handled?.then?.();
	}
}
