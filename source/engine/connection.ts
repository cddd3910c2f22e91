import type {PredictedSegment} from '../wire/predicted-segment.js';
import {type TcpOption, type TcpRecord, tcpFlags} from '../wire/records.js';
import {answerWithoutConnection} from './no-connection.js';
import {
	defaultPeerMss,
	findTimestamps,
	maxWindowScale,
	readSynOptions,
	segmentOptions,
	type SynOffer,
	synOptions,
	timestampsOverhead,
} from './options.js';
import {checkOutgoing, checkOutgoingAck, type OutgoingContext, type OutgoingEffect, type OutgoingSource, type ReplyKind} from './outgoing-check.js';
import {Reassembly} from './reassembly.js';
import {announcedWindow, connectionSegment, type Ends, rstAnswering, synSegment, windowField, withOverrides} from './segment-build.js';
import {ReceiveQueue} from './receive-queue.js';
import {RetransmissionQueue} from './retransmission-queue.js';
import {hasFlag, makeSegment, type SegmentOverrides, segmentLength} from './segment.js';
import {type Seq, seqAdd, seqBetween, seqGe, seqGt, seqLe, seqLt, seqSub} from './seq.js';
import {receivesData, type TcpState, type Transition} from './states.js';
import type {Tcb, TcbSnapshot} from './tcb.js';
import {type Verdict, type VerdictCode, verdict} from './verdict.js';

const {SYN, ACK, FIN, RST, PSH} = tcpFlags;
const maxWindowField = 0xff_ff;

export type ConnectionConfig = {
	readonly localPort: number;
	/** Learned from the first SYN when listening. */
	readonly remotePort?: number;
	/** Our initial sequence number for the first open; later opens, and opens without it, draw one from `random`. */
	readonly iss?: number;
	/** Uniform in [0, 1): picks ISS and the timestamp clock's offset. Defaults to Math.random. */
	readonly random?: () => number;
	/** The MSS we announce (default 1460: Ethernet MTU less 40 bytes of headers). */
	readonly mss?: number;
	/** Offer SACK-permitted, RFC 2018 (default true). */
	readonly sackPermitted?: boolean;
	/** Our receive window shift, RFC 7323 §2, or false not to offer it (default 7, as Linux). */
	readonly windowScale?: number | false;
	/** Offer timestamps, RFC 7323 §3 (default true). */
	readonly timestamps?: boolean;
	/** Octets of received data we hold before the window closes (default 131072). */
	readonly receiveBuffer?: number;
	/**
	 * Maximum segment lifetime in ms. RFC 9293 §3.4.2 takes MSL as 2 minutes (a 4-minute TIME-WAIT);
	 * the default here is 30 s so that TIME-WAIT lasts 60 s, as Linux's TCP_TIMEWAIT_LEN does.
	 */
	readonly msl?: number;
};

export type EngineEvent =
	| {readonly type: 'state'; readonly transition: Transition}
	/** In-order data arrived; `readable` octets now wait for `read()`. */
	| {readonly type: 'data'; readonly length: number; readonly readable: number}
	/** SND.UNA moved forward by `length`. */
	| {readonly type: 'acked'; readonly length: number; readonly sndUna: Seq}
	/** The peer's FIN arrived in order: it will send no more. */
	| {readonly type: 'peer-closed'}
	| {readonly type: 'reset'; readonly by: 'peer' | 'us'; readonly why: string};

/** What kind of answer a conformant stack gives; auto policies decide which of these to send. */
export type {ReplyKind} from './outgoing-check.js';

export type Reply = {
	readonly kind: ReplyKind;
	readonly segment: TcpRecord;
};

export type ReceiveResult = {
	readonly verdicts: readonly Verdict[];
	/** What a conformant stack would send now. Manual mode sends none of it; `sendReply` sends one. */
	readonly respond: readonly Reply[];
	readonly events: readonly EngineEvent[];
	/** The segment passed the acceptability tests and was processed. */
	readonly accepted: boolean;
	/** Why a conformant stack ACKs this segment (undefined: no ACK is called for). */
	readonly ack?: AckReason;
};

/**
 * Why an ACK is called for. `data` (in-order data, no hole filled) is the one kind a receiver may
 * delay (RFC 9293 §3.8.6.3); the others are sent at once (RFC 5681 §4.2, RFC 9293 §3.10.7.4).
 */
export type AckReason = 'data' | 'duplicate' | 'out-of-order' | 'probe' | 'handshake' | 'fin';

const ackUrgency: Readonly<Record<AckReason, number>> = {data: 0, duplicate: 1, 'out-of-order': 2, probe: 3, handshake: 4, fin: 5};
const acceptableVerdict: Verdict = verdict('acceptable', 'acceptable');

export type SendResult = {
	readonly segment: TcpRecord;
	readonly verdicts: readonly Verdict[];
	readonly events: readonly EngineEvent[];
};

export type PollResult = {
	readonly events: readonly EngineEvent[];
};

export type ReceiveInfo = {
	/** From the decoder; false means a real stack drops the segment unseen. */
	readonly checksumOk?: boolean;
};

type Settings = {
	readonly offer: SynOffer;
	readonly receiveBuffer: number;
	readonly msl: number;
	readonly random: () => number;
};

function freshTcb(mss: number): Tcb {
	return {
		iss: 0,
		irs: undefined,
		sndUna: 0,
		sndNxt: 0,
		sndWnd: 0,
		sndWl1: 0,
		sndWl2: 0,
		maxSndWnd: 0,
		rcvNxt: 0,
		mss,
		peerMss: defaultPeerMss,
		sndMss: defaultPeerMss,
		sndWscale: 0,
		rcvWscale: 0,
		wscaleOk: false,
		sackOk: false,
		tsOk: false,
		tsRecent: undefined,
		lastAckSent: undefined,
		ourSyn: undefined,
		peerSyn: undefined,
		finSeq: undefined,
		peerFinSeq: undefined,
		dupAcks: 0,
		peerWindowField: undefined,
		timeWaitUntil: undefined,
	};
}

/**
 * One TCP connection per RFC 9293, driven by hand. I/O-free: time comes in as `now` (ms), segments
 * come in through `receive` and go out as records from the `send*` actions, and nothing is ever sent
 * on the engine's own initiative. `receive` says what a conformant stack would answer (`respond`), so
 * auto policies can be layered on top by passing those answers to `sendReply`.
 *
 * Outgoing segments move the TCB only when they are what a stack could have sent: data at SND.NXT
 * advances SND.NXT; a segment whose (overridden) sequence number lies elsewhere is sent as asked, and
 * flagged, but leaves the TCB as it was, so that probing the peer never corrupts our own state.
 */
export class Connection {
	readonly localPort: number;
	readonly #settings: Settings;
	readonly #configuredRemotePort: number | undefined;
	readonly #initialIss: number | undefined;
	#issUsed = false;
	#remotePort: number | undefined;
	#state: TcpState = 'CLOSED';
	#passive = false;
	#tcb: Tcb;
	readonly #transitions: Transition[] = [];
	readonly #reassembly = new Reassembly();
	readonly #received = new ReceiveQueue();
	readonly #unacked = new RetransmissionQueue();
	readonly #tsOffset: number;
	#lastAckOut: Seq | undefined;
	#lastWindowOut: number | undefined;
	/** The largest segment the peer has sent, as Linux's rcv_mss (0: none yet). */
	#peerSegmentMax = 0;
	#dupAcksOut = 0;
	// Collected during one call and handed back with its result.
	#verdicts: Verdict[] = [];
	#events: EngineEvent[] = [];
	#replies: Reply[] = [];
	/** Why the segment being processed calls for an ACK (the most urgent reason wins). */
	#ackDue: AckReason | undefined;
	/** An unacceptable segment we sent on purpose, whose answer the next incoming ACK may be. */
	#probe: 'data' | 'rst' | 'syn' | undefined;

	constructor(config: ConnectionConfig) {
		this.localPort = config.localPort;
		this.#configuredRemotePort = config.remotePort;
		this.#remotePort = config.remotePort;
		this.#initialIss = config.iss;
		const random = config.random ?? Math.random;
		this.#settings = {
			offer: {
				mss: config.mss ?? 1460,
				sackPermitted: config.sackPermitted ?? true,
				windowScale: config.windowScale === false ? false : Math.min(config.windowScale ?? 7, maxWindowScale),
				timestamps: config.timestamps ?? true,
			},
			receiveBuffer: config.receiveBuffer ?? 131_072,
			msl: config.msl ?? 30_000,
			random,
		};
		this.#tsOffset = Math.floor(random() * 2 ** 32);
		this.#tcb = freshTcb(this.#settings.offer.mss);
	}

	get state(): TcpState {
		return this.#state;
	}

	get remotePort(): number | undefined {
		return this.#remotePort;
	}

	/** Every state change so far, oldest first. */
	get transitions(): readonly Transition[] {
		return this.#transitions;
	}

	/** RCV.WND: free receive buffer, capped at what the window field can say (RFC 7323 §2.3). */
	get rcvWnd(): number {
		const free = Math.max(0, this.#settings.receiveBuffer - this.#received.size);
		return Math.min(free, maxWindowField * (1 << this.#tcb.rcvWscale));
	}

	/** The live TCB, read-only (no copy, unlike `snapshot`): for per-segment decisions of the auto layer. */
	get tcb(): Readonly<Tcb> {
		return this.#tcb;
	}

	/**
	 * The MSS receiver SWS avoidance counts in (RFC 9293 §3.8.6.2.2, Eff.snd.MSS): the largest segment
	 * the peer has sent, at most the MSS we offered (Linux's rcv_mss).
	 */
	get rcvMss(): number {
		const offered = this.#tcb.mss;
		return this.#peerSegmentMax === 0 ? offered : Math.min(offered, this.#peerSegmentMax);
	}

	/** The receive buffer's size in octets (the most RCV.WND can be). */
	get receiveBuffer(): number {
		return this.#settings.receiveBuffer;
	}

	/** The right edge of the window we last advertised (RFC 9293 §3.8.6.2.2), once we have sent an ACK. */
	get advertisedEdge(): Seq | undefined {
		const t = this.#tcb;
		if (t.lastAckSent === undefined || this.#lastWindowOut === undefined) return undefined;
		return seqAdd(t.lastAckSent, this.#lastWindowOut * (1 << t.rcvWscale));
	}

	/**
	 * The window field that really went out on our last segment, when a fault changed it after this
	 * connection built the segment: what the peer believes our window is.
	 */
	windowSent(field: number): void {
		this.#lastWindowOut = field;
	}

	/** Takes every in-order octet received so far as the chunks they came in (no copy). */
	readChunks(): Uint8Array[] {
		return this.#received.readChunks();
	}

	/** Octets received in order and not yet read. */
	get readable(): number {
		return this.#received.size;
	}

	/** Sent segments not yet fully acknowledged (oldest first is what `retransmit` re-sends). */
	get unackedSegments(): number {
		return this.#unacked.length;
	}

	snapshot(): TcbSnapshot {
		const t = this.#tcb;
		return {
			state: this.#state,
			localPort: this.localPort,
			remotePort: this.#remotePort,
			iss: t.iss,
			irs: t.irs,
			sndUna: t.sndUna,
			sndNxt: t.sndNxt,
			sndWnd: t.sndWnd,
			sndWl1: t.sndWl1,
			sndWl2: t.sndWl2,
			rcvNxt: t.rcvNxt,
			rcvWnd: this.rcvWnd,
			rcvWndAnnounced: this.#windowField() * (1 << t.rcvWscale),
			bytesInFlight: seqSub(t.sndNxt, t.sndUna),
			readable: this.#received.size,
			heldOutOfOrder: this.#reassembly.size,
			retransmissionQueueLength: this.#unacked.length,
			dupAcks: t.dupAcks,
			finSent: t.finSeq !== undefined,
			finReceived: t.peerFinSeq !== undefined,
			options: {
				mss: t.mss,
				peerMss: t.peerMss,
				sndMss: t.sndMss,
				windowScale: t.wscaleOk ? {snd: t.sndWscale, rcv: t.rcvWscale} : undefined,
				sackPermitted: t.sackOk,
				timestamps: t.tsOk ? {tsRecent: t.tsRecent} : undefined,
			},
			timeWaitUntil: t.timeWaitUntil,
			transitions: [...this.#transitions],
		};
	}

	/** Passive OPEN (RFC 9293 §3.10.1): CLOSED -> LISTEN. */
	listen(now: number): PollResult {
		this.#begin();
		this.#resetTcb();
		this.#passive = true;
		this.#remotePort = this.#configuredRemotePort;
		this.#transition(now, 'LISTEN', 'RFC 9293 §3.10.1: passive OPEN');
		return {events: this.#events};
	}

	/** Takes up to `max` octets of in-order received data; reading opens the receive window. */
	read(max?: number): Uint8Array {
		return this.#received.read(max);
	}

	/** The next time `poll` has work: the end of TIME-WAIT. */
	pollAt(): number | undefined {
		return this.#state === 'TIME-WAIT' ? this.#tcb.timeWaitUntil : undefined;
	}

	poll(now: number): PollResult {
		this.#begin();
		const until = this.#tcb.timeWaitUntil;
		if (this.#state === 'TIME-WAIT' && until !== undefined && now >= until) {
			this.#transition(now, 'CLOSED', 'RFC 9293 §3.10.8: the 2MSL TIME-WAIT timeout expired');
		}

		return {events: this.#events};
	}

	// --- Segment arrives -------------------------------------------------------------------------

	receive(now: number, segment: TcpRecord, info: ReceiveInfo = {}): ReceiveResult {
		this.#begin();
		const probe = this.#probe;
		this.#probe = undefined;
		let accepted = false;
		if (info.checksumOk === false) {
			this.#note('bad-checksum', 'bad checksum: a real stack drops the segment without looking at it');
		} else {
			switch (this.#state) {
				case 'CLOSED': {
					const answer = answerWithoutConnection(segment);
					this.#verdicts.push(...answer.verdicts);
					if (answer.respond) this.#replies.push({kind: 'rst', segment: answer.respond});
					break;
				}

				case 'LISTEN': {
					accepted = this.#receiveListen(now, segment);
					break;
				}

				case 'SYN-SENT': {
					accepted = this.#receiveSynSent(now, segment);
					break;
				}

				default: {
					accepted = this.#receiveOther(now, segment);
				}
			}
		}

		if (probe && accepted && segmentLength(segment) === 0 && hasFlag(segment, ACK) && !hasFlag(segment, RST)
			&& segment.ack === this.#tcb.sndUna) {
			this.#noteProbeAnswer(probe);
		}

		if (this.#ackDue !== undefined && this.#replies.length === 0) this.#replies.push(this.#lazyAck(now));
		if (accepted && this.#verdicts.length === 0) this.#verdicts.push(acceptableVerdict);
		return {verdicts: this.#verdicts, respond: this.#replies, events: this.#events, accepted, ack: this.#ackDue};
	}

	/**
	 * Header prediction (Van Jacobson's; what RFC 9293 §3.10.7.4's steps come to in the common case of
	 * a bulk transfer): in-order data on an ESTABLISHED connection that acknowledges nothing new,
	 * leaves the peer's window as it was and passes PAWS. Does exactly what `receive` does with such a
	 * segment, without its general tests; undefined, with nothing changed, for any other segment,
	 * which the caller then hands to `receive`.
	 */
	receivePredicted(now: number, segment: Readonly<PredictedSegment>, payload: Uint8Array): ReceiveResult | undefined {
		const t = this.#tcb;
		const {seq, ack, window} = segment;
		if (this.#state !== 'ESTABLISHED' || this.#probe !== undefined || seq !== t.rcvNxt || ack !== t.sndUna
			|| window !== t.peerWindowField || window === 0 || this.#reassembly.blockCount > 0) return undefined;
		if (payload.length === 0 || payload.length > this.rcvWnd) return undefined;
		// RFC 7323 §5.3 (PAWS), and §3.2: with timestamps negotiated, a segment without them is the full path's to name.
		const tsValue = segment.tsValue;
		if (t.tsOk && (tsValue < 0 || (t.tsRecent !== undefined && seqLt(tsValue, t.tsRecent)))) return undefined;
		this.#begin();
		// RFC 7323 §4.3, as in #receiveOther.
		if (t.tsOk && (t.tsRecent === undefined || seqGe(tsValue, t.tsRecent)) && seqLe(seq, t.lastAckSent ?? t.rcvNxt)) t.tsRecent = tsValue;
		// RFC 9293 §3.10.7.4 (fifth), as in #processAck: the same window, from a newer segment.
		if (seqLt(t.sndWl1, seq) || (t.sndWl1 === seq && seqLe(t.sndWl2, ack))) this.#setSendWindow(window * (1 << t.sndWscale), seq, ack);
		if (payload.length > this.#peerSegmentMax) this.#peerSegmentMax = payload.length;
		this.#wantAck('data');
		this.#deliver(now, payload);
		this.#replies.push(this.#lazyAck(now));
		this.#verdicts.push(acceptableVerdict);
		return {verdicts: this.#verdicts, respond: this.#replies, events: this.#events, accepted: true, ack: this.#ackDue};
	}

	#noteProbeAnswer(probe: 'data' | 'rst' | 'syn'): void {
		if (probe === 'data') {
			this.#note('probe-answer', 'ACK answering our unacceptable segment: the peer dropped it and ACKed');
		} else {
			const rfc = probe === 'rst' ? 'RFC 5961 §3.2' : 'RFC 5961 §4.2';
			this.#note('challenge-ack', `challenge ACK answering our ${probe === 'rst' ? 'RST with an inexact seq' : 'SYN'}: the connection survives`, rfc);
		}
	}

	// RFC 9293 §3.10.7.2
	#receiveListen(now: number, segment: TcpRecord): boolean {
		if (hasFlag(segment, RST)) {
			this.#note('ignored', 'RST in LISTEN: ignored', 'RFC 9293 §3.10.7.2');
			return false;
		}

		if (hasFlag(segment, ACK)) {
			this.#note('would-reset', `ACK in LISTEN: a real stack answers with RST <SEQ=${segment.ack}>`, 'RFC 9293 §3.10.7.2');
			this.#reply('rst', rstAnswering(this.localPort, segment));
			return false;
		}

		if (!hasFlag(segment, SYN)) {
			this.#note('ignored', 'neither SYN, ACK nor RST in LISTEN: dropped', 'RFC 9293 §3.10.7.2');
			return false;
		}

		this.#remotePort = segment.sourcePort;
		const t = this.#resetTcb();
		t.iss = this.#nextIss();
		t.sndUna = t.iss;
		// Our SYN-ACK has not gone out: SND.NXT stays at ISS until `sendSyn` (or the reply) sends it.
		t.sndNxt = t.iss;
		this.#acceptPeerSyn(segment);
		if (segment.payload.length > 0) {
			this.#note('data-on-syn', `${segment.payload.length} octets of data on the SYN not accepted (as Linux without TCP Fast Open): the peer re-sends them`);
		}

		this.#transition(now, 'SYN-RECEIVED', 'RFC 9293 §3.10.7.2: SYN in LISTEN');
		this.#reply('syn-ack', this.#synSegment(now));
		return true;
	}

	// RFC 9293 §3.10.7.3
	#receiveSynSent(now: number, segment: TcpRecord): boolean {
		const t = this.#tcb;
		const rst = hasFlag(segment, RST);
		let ackOk = false;
		if (hasFlag(segment, ACK)) {
			if (seqLe(segment.ack, t.iss) || seqGt(segment.ack, t.sndNxt)) {
				if (rst) {
					this.#note('ignored', `RST with ACK ${this.#relOut(segment.ack)} that does not acknowledge our SYN: dropped`, 'RFC 9293 §3.10.7.3');
				} else {
					this.#note('would-reset', `ACK ${this.#relOut(segment.ack)} does not acknowledge our SYN: a real stack answers with RST <SEQ=SEG.ACK>`, 'RFC 9293 §3.10.7.3');
					this.#reply('rst', rstAnswering(this.localPort, segment));
				}

				return false;
			}

			ackOk = seqLt(t.sndUna, segment.ack) && seqLe(segment.ack, t.sndNxt);
		}

		if (rst) {
			if (!ackOk) {
				this.#note('ignored', 'RST without ACK in SYN-SENT: dropped', 'RFC 9293 §3.10.7.3, RFC 5961 §3');
				return false;
			}

			this.#resetByPeer(now, 'connection refused: RST acknowledging our SYN', 'RFC 9293 §3.10.7.3');
			return true;
		}

		if (!hasFlag(segment, SYN)) {
			this.#note('ignored', 'neither SYN nor RST in SYN-SENT: dropped', 'RFC 9293 §3.10.7.3');
			return false;
		}

		this.#remotePort ??= segment.sourcePort;
		this.#acceptPeerSyn(segment);
		this.#negotiate();
		if (!ackOk) {
			this.#transition(now, 'SYN-RECEIVED', 'RFC 9293 §3.10.7.3: SYN without ACK in SYN-SENT (simultaneous open)');
			this.#reply('syn-ack', this.#synSegment(now));
			return true;
		}

		const acked = seqSub(segment.ack, t.sndUna);
		t.sndUna = segment.ack;
		this.#unacked.acknowledge(segment.ack);
		this.#events.push({type: 'acked', length: acked, sndUna: segment.ack});
		this.#setSendWindow(segment.window, segment.seq, segment.ack);
		this.#transition(now, 'ESTABLISHED', 'RFC 9293 §3.10.7.3: SYN-ACK acknowledges our SYN');
		this.#wantAck('handshake');
		if (segment.payload.length > 0 || hasFlag(segment, FIN)) {
			this.#processText(now, seqAdd(segment.seq, 1), segment.payload, hasFlag(segment, FIN));
		}

		return true;
	}

	// RFC 9293 §3.10.7.4, with RFC 5961 and RFC 7323 §5 (PAWS) woven in.
	#receiveOther(now: number, segment: TcpRecord): boolean {
		const t = this.#tcb;
		const rst = hasFlag(segment, RST);
		const syn = hasFlag(segment, SYN);
		if (this.#state === 'SYN-RECEIVED' && syn && !rst && !hasFlag(segment, ACK) && segment.seq === t.irs) {
			this.#note('retransmission', 'SYN retransmitted: the peer has not seen our SYN-ACK; a real stack re-sends it', 'RFC 9293 §3.8.1');
			this.#reply('syn-ack', this.#synSegment(now));
			return false;
		}

		// RFC 5961 §4.2: a SYN in a synchronized state draws a challenge ACK, whatever its sequence number.
		if (syn && !rst) {
			if (this.#state === 'SYN-RECEIVED' && this.#passive) {
				this.#note('ignored', 'new SYN in a passively opened SYN-RECEIVED: back to LISTEN', 'RFC 9293 §3.10.7.4');
				this.#resetTcb();
				this.#transition(now, 'LISTEN', 'RFC 9293 §3.10.7.4 (fourth): SYN in passive SYN-RECEIVED returns to LISTEN');
				this.#remotePort = this.#configuredRemotePort;
				return false;
			}

			this.#note('challenge-ack', `SYN in ${this.#state}: a real stack answers with a challenge ACK and drops it`, 'RFC 5961 §4.2');
			this.#reply('challenge-ack', this.#ackSegment(now));
			return false;
		}

		const timestamps = findTimestamps(segment.options);
		if (t.tsOk && !rst) {
			if (timestamps === undefined) {
				// RFC 7323 §3.2 says SHOULD drop; Linux accepts such segments, and so do we.
				this.#note('missing-timestamp', 'no timestamps option though both SYNs negotiated it: RFC 7323 says drop it, Linux accepts it');
			} else if (t.tsRecent !== undefined && seqLt(timestamps.value, t.tsRecent)) {
				this.#note('paws', `TSval ${timestamps.value} is older than TS.Recent ${t.tsRecent}: a real stack drops it and ACKs`);
				this.#wantAck('duplicate');
				return false;
			}
		}

		const length = segmentLength(segment);
		const rcvWnd = this.rcvWnd;
		const acceptable = this.#acceptable(segment.seq, length, rcvWnd);
		// RFC 9293 §3.10.7.4: with a zero window "special allowance should be made to accept valid ACKs, URGs, and RSTs".
		const zeroWindowAllowance = !acceptable && rcvWnd === 0 && segment.seq === t.rcvNxt;
		if (!acceptable && !zeroWindowAllowance) {
			this.#unacceptable(now, segment, length, rcvWnd);
			return false;
		}

		// RFC 7323 §4.3: TS.Recent follows the segment that Last.ACK.sent acknowledges.
		if (timestamps && t.tsOk && (t.tsRecent === undefined || seqGe(timestamps.value, t.tsRecent))
			&& seqLe(segment.seq, t.lastAckSent ?? t.rcvNxt)) {
			t.tsRecent = timestamps.value;
		}

		if (rst) {
			if (segment.seq === t.rcvNxt) {
				this.#resetByPeer(now, 'connection reset by peer (RST at RCV.NXT)', 'RFC 9293 §3.10.7.4, RFC 5961 §3.2');
				return true;
			}

			this.#note('challenge-ack', `RST seq ${this.#relIn(segment.seq)} is in the window but not RCV.NXT ${this.#relIn(t.rcvNxt)}: a real stack answers with a challenge ACK`, 'RFC 5961 §3.2');
			this.#reply('challenge-ack', this.#ackSegment(now));
			return false;
		}

		if (!hasFlag(segment, ACK)) {
			this.#note('ignored', 'no ACK bit: dropped', 'RFC 9293 §3.10.7.4 (fifth)');
			return false;
		}

		if (!this.#processAck(now, segment)) return false;
		if (this.#state === 'CLOSED') return true;
		if (zeroWindowAllowance && segment.payload.length > 0) {
			this.#note('zero-window-probe', `zero-window probe: ${segment.payload.length} octet(s) at RCV.NXT while our window is 0; not accepted, ACKed`);
			this.#wantAck('probe');
			return true;
		}

		if (segment.payload.length > 0 || hasFlag(segment, FIN)) {
			this.#processText(now, segment.seq, segment.payload, hasFlag(segment, FIN));
		}

		return true;
	}

	// RFC 9293 §3.4 and §3.10.7.4 (first): the four cases of segment acceptability.
	#acceptable(seq: Seq, length: number, rcvWnd: number): boolean {
		const {rcvNxt} = this.#tcb;
		const rightEdge = seqAdd(rcvNxt, rcvWnd);
		if (length === 0) return rcvWnd === 0 ? seq === rcvNxt : seqBetween(rcvNxt, seq, rightEdge);
		if (rcvWnd === 0) return false;
		return seqBetween(rcvNxt, seq, rightEdge) || seqBetween(rcvNxt, seqAdd(seq, length - 1), rightEdge);
	}

	/** Names an unacceptable segment and answers it as RFC 9293 §3.10.7.4 (first) says: ACK, unless it is a RST. */
	#unacceptable(now: number, segment: TcpRecord, length: number, rcvWnd: number): void {
		const t = this.#tcb;
		const end = seqAdd(segment.seq, length);
		const window = `[${this.#relIn(t.rcvNxt)}, ${this.#relIn(seqAdd(t.rcvNxt, rcvWnd))})`;
		if (hasFlag(segment, RST)) {
			this.#note('out-of-window', `RST out of window: seq ${this.#relIn(segment.seq)} not in ${window}; dropped silently`, 'RFC 5961 §3.2');
			return;
		}

		this.#wantAck('duplicate');
		if (this.#state === 'TIME-WAIT' && hasFlag(segment, FIN) && end === t.rcvNxt) {
			this.#wantAck('fin');
			t.timeWaitUntil = now + 2 * this.#settings.msl;
			this.#note('retransmission', 'FIN retransmitted in TIME-WAIT: a real stack ACKs it and restarts the 2MSL timer', 'RFC 9293 §3.10.7.4');
			return;
		}

		const payload = segment.payload.length;
		const bare = !hasFlag(segment, SYN) && !hasFlag(segment, FIN);
		if (bare && payload <= 1 && segment.seq === seqAdd(t.rcvNxt, -1)) {
			this.#wantAck('probe');
			// The window the peer saw is the one on the wire, which a fault may have closed (windowSent).
			if (rcvWnd === 0 || this.#lastWindowOut === 0) {
				this.#note('zero-window-probe', 'zero-window probe (seq RCV.NXT-1, as Linux sends it): a real stack answers with an ACK', 'RFC 9293 §3.8.6.1');
			} else {
				this.#note('keepalive', `keepalive: seq RCV.NXT-1 with ${payload} octet(s): a real stack answers with an ACK`, 'RFC 9293 §3.8.4, RFC 1122 §4.2.3.6');
			}

			return;
		}

		const old = t.irs === undefined || seqLt(segment.seq, t.irs) || seqSub(t.rcvNxt, segment.seq) > 2 ** 30;
		if (length > 0 && seqLe(end, t.rcvNxt)) {
			if (old) this.#note('old-duplicate', `old duplicate: seq ${this.#relIn(segment.seq)} lies before this connection's data; ACKed`);
			else this.#note('retransmission', `retransmission: ${this.#relIn(segment.seq)}..${this.#relIn(end)} already received (RCV.NXT ${this.#relIn(t.rcvNxt)}); a real stack ACKs it`);
			return;
		}

		if (length === 0 && seqLt(segment.seq, t.rcvNxt) && !old) {
			this.#note('old-duplicate', `old segment: seq ${this.#relIn(segment.seq)} before RCV.NXT ${this.#relIn(t.rcvNxt)}; ACKed`);
			return;
		}

		const why = rcvWnd === 0 && length > 0 ? ' (our window is zero)' : '';
		this.#note('out-of-window', `out of window: seq ${this.#relIn(segment.seq)} not in ${window}${why}; a real stack drops it and ACKs`);
	}

	/** RFC 9293 §3.10.7.4 (fifth) with RFC 5961 §5; false when the segment is dropped. */
	#processAck(now: number, segment: TcpRecord): boolean {
		const t = this.#tcb;
		const {ack} = segment;
		if (this.#state === 'SYN-RECEIVED') {
			if (!(seqLt(t.sndUna, ack) && seqLe(ack, t.sndNxt))) {
				this.#note('would-reset', `ACK ${this.#relOut(ack)} does not acknowledge our SYN-ACK: a real stack answers with RST <SEQ=SEG.ACK>`, 'RFC 9293 §3.10.7.4');
				this.#reply('rst', rstAnswering(this.localPort, segment));
				return false;
			}

			this.#setSendWindow(segment.window * (1 << t.sndWscale), segment.seq, ack);
			this.#transition(now, 'ESTABLISHED', 'RFC 9293 §3.10.7.4: ACK of our SYN in SYN-RECEIVED');
		}

		if (seqGt(ack, t.sndNxt)) {
			this.#note('unsent-ack', `acknowledges data never sent: ACK ${this.#relOut(ack)} beyond SND.NXT ${this.#relOut(t.sndNxt)}; a real stack drops it and sends an ACK`, 'RFC 9293 §3.10.7.4, RFC 5961 §5.2');
			this.#reply('challenge-ack', this.#ackSegment(now));
			return false;
		}

		if (seqLt(ack, seqAdd(t.sndUna, -t.maxSndWnd))) {
			this.#note('challenge-ack', `ACK ${this.#relOut(ack)} is older than SND.UNA - MAX.SND.WND: dropped, challenge ACK`, 'RFC 5961 §5.2');
			this.#reply('challenge-ack', this.#ackSegment(now));
			return false;
		}

		const length = segmentLength(segment);
		const field = segment.window;
		const sndUna = t.sndUna;
		if (seqLt(ack, sndUna)) {
			this.#note('old-ack', `old ACK ${this.#relOut(ack)} (SND.UNA ${this.#relOut(sndUna)}): ignored`);
		} else if (seqGt(ack, sndUna)) {
			const acked = seqSub(ack, sndUna);
			t.sndUna = ack;
			t.dupAcks = 0;
			this.#unacked.acknowledge(ack);
			this.#events.push({type: 'acked', length: acked, sndUna: ack});
		} else if (t.sndUna !== t.sndNxt && length === 0 && field === t.peerWindowField) {
			t.dupAcks++;
			this.#note('duplicate-ack', `duplicate ACK #${t.dupAcks}: ACK ${this.#relOut(ack)} again, no data, same window`);
		}

		if (!seqLt(ack, t.sndUna) && (seqLt(t.sndWl1, segment.seq) || (t.sndWl1 === segment.seq && seqLe(t.sndWl2, ack)))) {
			const before = t.sndWnd;
			this.#setSendWindow(field * (1 << t.sndWscale), segment.seq, ack);
			if (t.sndWnd !== before && length === 0 && ack === sndUna) {
				this.#note('window-update', `window update: SND.WND ${before} -> ${t.sndWnd}`);
			}
		}

		if (field === 0) this.#note('zero-window', 'zero window: the peer takes no more data until it opens; probe it', 'RFC 9293 §3.8.6.1');
		t.peerWindowField = field;
		const finAcked = t.finSeq !== undefined && seqGt(t.sndUna, t.finSeq);
		if (finAcked) {
			if (this.#state === 'FIN-WAIT-1') this.#transition(now, 'FIN-WAIT-2', 'RFC 9293 §3.10.7.4: our FIN is acknowledged in FIN-WAIT-1');
			else if (this.#state === 'CLOSING') this.#transition(now, 'TIME-WAIT', 'RFC 9293 §3.10.7.4: our FIN is acknowledged in CLOSING');
			else if (this.#state === 'LAST-ACK') this.#transition(now, 'CLOSED', 'RFC 9293 §3.10.7.4: our FIN is acknowledged in LAST-ACK');
		}

		return true;
	}

	/** RFC 9293 §3.10.7.4, seventh and eighth steps: data in order to the queue, the rest held; then FIN. */
	#processText(now: number, seq: Seq, payload: Uint8Array, fin: boolean): void {
		const t = this.#tcb;
		const finAt = seqAdd(seq, payload.length);
		let data = payload;
		let start = seq;
		if (data.length > 0) {
			if (!receivesData(this.#state)) {
				this.#note('ignored', `data in ${this.#state}, after the peer's FIN: ignored`, 'RFC 9293 §3.10.7.4 (seventh)');
				return;
			}

			if (data.length > this.#peerSegmentMax) this.#peerSegmentMax = data.length;
			// RFC 5681 §4.2: out-of-order data, and data that fills a hole, are ACKed at once.
			this.#wantAck(start === t.rcvNxt && this.#reassembly.blockCount === 0 ? 'data' : 'out-of-order');
			if (seqLt(start, t.rcvNxt)) {
				const cut = seqSub(t.rcvNxt, start);
				this.#note('retransmission', `partly a retransmission: the first ${cut} of ${data.length} octets were already received; trimmed, the rest kept`);
				data = data.subarray(cut);
				start = t.rcvNxt;
			}

			const rightEdge = seqAdd(t.rcvNxt, this.rcvWnd);
			if (seqGt(seqAdd(start, data.length), rightEdge)) {
				const keep = seqSub(rightEdge, start);
				this.#note('trimmed', `${data.length - keep} octets beyond the window's right edge trimmed`);
				data = data.subarray(0, keep);
				fin = false;
			}

			if (start === t.rcvNxt) {
				this.#deliver(now, data);
			} else {
				const {added} = this.#reassembly.hold(start, data, t.rcvNxt);
				if (added === 0) {
					this.#note('retransmission', `retransmission of out-of-order data already held (seq ${this.#relIn(start)})`);
				} else {
					this.#note('out-of-order', `out of order: seq ${this.#relIn(start)}, expected ${this.#relIn(t.rcvNxt)}; ${added} octets held`);
				}
			}
		}

		if (fin) {
			this.#wantAck('fin');
			if (finAt === t.rcvNxt) {
				this.#receiveFin(now, finAt);
			} else if (seqGt(finAt, t.rcvNxt)) {
				this.#reassembly.holdFin(finAt);
				if (data.length === 0) this.#note('out-of-order', `FIN out of order at ${this.#relIn(finAt)}, expected ${this.#relIn(t.rcvNxt)}: held`);
			}
		}
	}

	#deliver(now: number, data: Uint8Array): void {
		const t = this.#tcb;
		let length = data.length;
		this.#received.push(data);
		t.rcvNxt = seqAdd(t.rcvNxt, data.length);
		if (this.#reassembly.blockCount > 0) {
			for (const chunk of this.#reassembly.take(t.rcvNxt)) {
				this.#received.push(chunk);
				t.rcvNxt = seqAdd(t.rcvNxt, chunk.length);
				length += chunk.length;
			}
		}

		if (length > 0) this.#events.push({type: 'data', length, readable: this.#received.size});
		const heldFin = this.#reassembly.fin;
		if (heldFin !== undefined && heldFin === t.rcvNxt) {
			this.#reassembly.clear();
			this.#receiveFin(now, heldFin);
		}
	}

	#receiveFin(at: number, finSeq: Seq): void {
		const t = this.#tcb;
		t.peerFinSeq = finSeq;
		t.rcvNxt = seqAdd(finSeq, 1);
		this.#wantAck('fin');
		this.#events.push({type: 'peer-closed'});
		this.#note('fin', 'FIN: the peer has finished sending');
		const why = 'RFC 9293 §3.10.7.4 (eighth): FIN received';
		switch (this.#state) {
			case 'SYN-RECEIVED':
			case 'ESTABLISHED': {
				this.#transition(at, 'CLOSE-WAIT', why);
				break;
			}

			case 'FIN-WAIT-1': {
				const finAcked = t.finSeq !== undefined && seqGt(t.sndUna, t.finSeq);
				this.#transition(at, finAcked ? 'TIME-WAIT' : 'CLOSING', why);
				break;
			}

			case 'FIN-WAIT-2': {
				this.#transition(at, 'TIME-WAIT', why);
				break;
			}

			case 'TIME-WAIT': {
				t.timeWaitUntil = at + 2 * this.#settings.msl;
				break;
			}

			default:
		}
	}

	#resetByPeer(now: number, text: string, rfc: string): void {
		this.#note('reset', text, rfc);
		this.#events.push({type: 'reset', by: 'peer', why: text});
		this.#received.read();
		if (this.#state === 'SYN-RECEIVED' && this.#passive) {
			this.#resetTcb();
			this.#remotePort = this.#configuredRemotePort;
			this.#transition(now, 'LISTEN', `${rfc}: RST in a passively opened SYN-RECEIVED returns to LISTEN`);
		} else {
			this.#transition(now, 'CLOSED', `${rfc}: ${text}`);
		}
	}

	#acceptPeerSyn(segment: TcpRecord): void {
		const t = this.#tcb;
		t.irs = segment.seq;
		t.rcvNxt = seqAdd(segment.seq, 1);
		t.peerSyn = readSynOptions(segment.options);
		t.tsRecent = t.peerSyn.timestamps?.value;
		// RFC 7323 §2.2: the window in a SYN is never scaled.
		t.sndWnd = segment.window;
		t.maxSndWnd = Math.max(t.maxSndWnd, t.sndWnd);
		t.sndWl1 = segment.seq;
		t.peerWindowField = segment.window;
	}

	/** Both SYNs known: settle MSS, window scale, SACK and timestamps. */
	#negotiate(): void {
		const t = this.#tcb;
		const ours = t.ourSyn;
		const theirs = t.peerSyn;
		if (ours === undefined || theirs === undefined) return;
		t.wscaleOk = ours.windowScale !== undefined && theirs.windowScale !== undefined;
		if (t.wscaleOk) {
			if (theirs.windowScale! > maxWindowScale) {
				this.#note('option-ignored', `peer window scale ${theirs.windowScale} is above 14: using 14`);
			}

			// Shifts stay at most 14 (RFC 7323 §2.3), so `1 << shift` is exact where windows are scaled.
			t.sndWscale = Math.min(theirs.windowScale!, maxWindowScale);
			t.rcvWscale = Math.min(ours.windowScale!, maxWindowScale);
		} else {
			t.sndWscale = 0;
			t.rcvWscale = 0;
		}

		t.sackOk = ours.sackPermitted && theirs.sackPermitted;
		t.tsOk = ours.timestamps !== undefined && theirs.timestamps !== undefined;
		t.mss = ours.mss ?? this.#settings.offer.mss;
		t.peerMss = theirs.mss ?? defaultPeerMss;
		t.sndMss = t.peerMss - (t.tsOk ? timestampsOverhead : 0);
	}

	#setSendWindow(window: number, wl1: Seq, wl2: Seq): void {
		const t = this.#tcb;
		t.sndWnd = window;
		t.maxSndWnd = Math.max(t.maxSndWnd, window);
		t.sndWl1 = wl1;
		t.sndWl2 = wl2;
	}

	// --- Manual actions --------------------------------------------------------------------------

	/**
	 * SYN (active open from CLOSED or LISTEN: the segment's seq becomes ISS) or, once the peer's SYN is
	 * known, SYN-ACK. Sent again in SYN-SENT or SYN-RECEIVED, it is a retransmission.
	 */
	sendSyn(now: number, overrides: SegmentOverrides = {}): SendResult {
		this.#begin();
		const opening = this.#state === 'CLOSED' || this.#state === 'LISTEN';
		const seq = opening ? (overrides.seq ?? this.#nextIss()) : this.#tcb.iss;
		return this.#emit(now, this.#build(now, this.#synSegment(now, opening), {...overrides, seq: overrides.seq ?? seq}), {kind: 'manual'});
	}

	/** A bare ACK of everything received: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
	sendAck(now: number, overrides: SegmentOverrides = {}): SendResult {
		this.#begin();
		return this.#emit(now, this.#build(now, this.#ackSegment(now), overrides), {kind: 'manual'});
	}

	/** `bytes` at SND.NXT with ACK and PSH. */
	sendData(now: number, bytes: Uint8Array, overrides: SegmentOverrides = {}): SendResult {
		this.#begin();
		const t = this.#tcb;
		const flags = PSH | (this.#irsKnown() ? ACK : 0);
		const base = this.#segment(now, {seq: t.sndNxt, flags, payload: bytes});
		return this.#emit(now, this.#build(now, base, overrides), {kind: 'manual'});
	}

	/** FIN+ACK at SND.NXT; once our FIN is out, the same FIN again (a retransmission). */
	sendFin(now: number, overrides: SegmentOverrides = {}): SendResult {
		this.#begin();
		const t = this.#tcb;
		const seq = t.finSeq ?? t.sndNxt;
		const base = this.#segment(now, {seq, flags: FIN | (this.#irsKnown() ? ACK : 0)});
		return this.#emit(now, this.#build(now, base, overrides), {kind: 'manual'});
	}

	/**
	 * ABORT (RFC 9293 §3.10.5): RST at SND.NXT; with ACK once synchronized, as Linux sends it. Only a
	 * RST at SND.NXT closes our side: one with another seq is a probe of the peer (RFC 5961 §3).
	 */
	sendRst(now: number, overrides: SegmentOverrides = {}): SendResult {
		this.#begin();
		const t = this.#tcb;
		const withAck = this.#irsKnown() && this.#state !== 'SYN-SENT';
		const base = makeSegment({
			sourcePort: this.localPort,
			destinationPort: this.#remotePort ?? 0,
			seq: t.sndNxt,
			ack: withAck ? t.rcvNxt : 0,
			flags: RST | (withAck ? ACK : 0),
			window: 0,
			options: [],
		});
		return this.#emit(now, this.#build(now, base, overrides), {kind: 'manual'});
	}

	/** Any segment: ACK at SND.NXT/RCV.NXT unless overridden. Effects follow the segment's flags. */
	sendSegment(now: number, overrides: SegmentOverrides = {}): SendResult {
		this.#begin();
		return this.#emit(now, this.#build(now, this.#ackSegment(now), overrides), {kind: 'manual'});
	}

	/** Sends one of `receive`'s answers (what auto policies do). Send it before the next input. */
	sendReply(now: number, reply: Reply): SendResult {
		this.#begin();
		return this.#emit(now, reply.segment, {kind: 'reply', reply: reply.kind});
	}

	/** Re-sends the oldest unacknowledged segment with the current ACK, window and timestamps. */
	retransmit(now: number): SendResult | undefined {
		const entry = this.#unacked.oldest();
		if (entry === undefined) return undefined;
		this.#begin();
		entry.transmissions++;
		entry.lastSentAt = now;
		const irsKnown = this.#irsKnown();
		const base = entry.syn
			? {...this.#synSegment(now), seq: entry.seq, payload: entry.payload}
			: this.#segment(now, {
				seq: entry.seq,
				flags: (irsKnown ? ACK : 0) | (entry.fin ? FIN : 0) | (entry.payload.length > 0 ? PSH : 0),
				payload: entry.payload,
			});
		return this.#emit(now, makeSegment(base), {kind: 'retransmit'});
	}

	// --- Segment leaves --------------------------------------------------------------------------

	/** Judges an outgoing segment (outgoing-check.ts) and moves the TCB as sending it would. */
	#emit(now: number, segment: TcpRecord, source: OutgoingSource): SendResult {
		const check = checkOutgoing(this.#outgoingContext(), segment, source);
		this.#verdicts.push(...check.verdicts);
		if (check.probe !== undefined) this.#probe = check.probe;
		this.#apply(now, segment, check.effect);
		if (hasFlag(segment, ACK) && !hasFlag(segment, RST)) {
			const previous = {ack: this.#lastAckOut, window: this.#lastWindowOut, duplicates: this.#dupAcksOut};
			const {verdicts, history} = checkOutgoingAck(this.#outgoingContext(), segment, previous);
			this.#verdicts.push(...verdicts);
			if (this.#irsKnown()) {
				this.#lastAckOut = history.ack;
				this.#lastWindowOut = history.window;
				this.#dupAcksOut = history.duplicates;
				this.#tcb.lastAckSent = segment.ack;
			}
		}

		return {segment, verdicts: this.#verdicts, events: this.#events};
	}

	#outgoingContext(): OutgoingContext {
		return {state: this.#state, tcb: this.#tcb, irsKnown: this.#irsKnown(), remotePortKnown: this.#remotePort !== undefined};
	}

	/** What sending a segment does to the TCB and the state, as the check found. */
	#apply(now: number, segment: TcpRecord, effect: OutgoingEffect): void {
		switch (effect.kind) {
			case 'none': {
				return;
			}

			case 'abort': {
				this.#events.push({type: 'reset', by: 'us', why: effect.why});
				this.#received.read();
				this.#transition(now, 'CLOSED', `RFC 9293 §3.10.5 ABORT: ${effect.why}`);
				return;
			}

			case 'open': {
				const fresh = this.#resetTcb();
				this.#passive = false;
				this.#startSyn(fresh, segment, now);
				this.#transition(now, 'SYN-SENT', `RFC 9293 §3.10.1: active OPEN, SYN sent${effect.from === 'LISTEN' ? ' from LISTEN' : ''}`);
				return;
			}

			case 'syn-ack': {
				this.#startSyn(this.#tcb, segment, now);
				this.#negotiate();
				return;
			}

			case 'advance': {
				const t = this.#tcb;
				const skip = seqSub(t.sndNxt, segment.seq);
				this.#unacked.push({
					seq: t.sndNxt,
					syn: false,
					fin: effect.fin,
					payload: skip === 0 ? segment.payload : segment.payload.subarray(skip),
					firstSentAt: now,
					lastSentAt: now,
					transmissions: 1,
				});
				t.sndNxt = effect.end;
				if (effect.fin) {
					t.finSeq = seqAdd(effect.end, -1);
					this.#transition(now, this.#state === 'CLOSE-WAIT' ? 'LAST-ACK' : 'FIN-WAIT-1', 'RFC 9293 §3.10.4: CLOSE, FIN sent');
				}
			}
		}
	}

	/** Our SYN leaves: its seq is ISS (chosen by the caller, or overridden: nothing was sent before it). */
	#startSyn(t: Tcb, segment: TcpRecord, now: number): void {
		t.iss = segment.seq;
		t.sndUna = segment.seq;
		t.sndNxt = seqAdd(segment.seq, segmentLength(segment));
		t.ourSyn = readSynOptions(segment.options);
		this.#unacked.push({
			seq: segment.seq,
			syn: true,
			fin: false,
			payload: segment.payload,
			firstSentAt: now,
			lastSentAt: now,
			transmissions: 1,
		});
	}

	// --- Building segments -----------------------------------------------------------------------

	#synSegment(now: number, opening = false): TcpRecord {
		const t = this.#tcb;
		const irsKnown = !opening && this.#irsKnown();
		const options = synOptions(this.#settings.offer, this.#tsVal(now), irsKnown ? (t.tsRecent ?? 0) : 0, opening ? undefined : t.peerSyn);
		return synSegment(this.#ends(), t, irsKnown, this.#synRcvWnd(), options);
	}

	#ackSegment(now: number): TcpRecord {
		return this.#segment(now, {seq: this.#tcb.sndNxt, flags: ACK});
	}

	#segment(now: number, fields: {readonly seq: Seq; readonly flags: number; readonly payload?: Uint8Array}): TcpRecord {
		return connectionSegment(this.#ends(), this.#tcb, this.#irsKnown(), {...fields, window: this.#windowField(), options: this.#options(now)});
	}

	#ends(): Ends {
		return {localPort: this.localPort, remotePort: this.#remotePort};
	}

	#windowField(): number {
		return windowField(this.#announcedWnd(), this.#tcb.rcvWscale);
	}

	#announcedWnd(): number {
		const edge = this.#irsKnown() ? this.advertisedEdge : undefined;
		return announcedWindow(this.rcvWnd, edge, this.#tcb.rcvNxt, this.#settings.receiveBuffer, this.rcvMss);
	}

	#synRcvWnd(): number {
		return Math.max(0, this.#settings.receiveBuffer - this.#received.size);
	}

	#options(now: number): TcpOption[] {
		const t = this.#tcb;
		const timestamps = t.tsOk ? {value: this.#tsVal(now), echo: t.tsRecent ?? 0} : undefined;
		const blocks = t.sackOk && this.#reassembly.blockCount > 0 ? this.#reassembly.ranges() : [];
		return segmentOptions(timestamps, blocks);
	}

	/** RFC 7323 §5.4: a 1 ms timestamp clock from a random offset. */
	#tsVal(now: number): number {
		return (this.#tsOffset + Math.floor(now)) >>> 0;
	}

	#build(now: number, base: TcpRecord, overrides: SegmentOverrides): TcpRecord {
		return withOverrides(base, overrides, flags => ((flags & SYN) === 0 ? this.#options(now) : this.#synSegment(now).options));
	}

	// --- Bookkeeping -----------------------------------------------------------------------------

	#begin(): void {
		this.#verdicts = [];
		this.#events = [];
		this.#replies = [];
		this.#ackDue = undefined;
	}

	#note(code: VerdictCode, text: string, rfc?: string, severity?: Verdict['severity']): void {
		this.#verdicts.push(verdict(code, text, rfc, severity));
	}

	#wantAck(reason: AckReason): void {
		const current = this.#ackDue;
		if (current === undefined || ackUrgency[reason] > ackUrgency[current]) this.#ackDue = reason;
	}

	/**
	 * The ACK reply, built only when someone looks at it: on the bulk receive path auto mode delays
	 * most ACKs, and building a record per segment that nobody sends is most of the cost.
	 */
	#lazyAck(now: number): Reply {
		return new LazyAck(() => this.#ackSegment(now));
	}

	#reply(kind: ReplyKind, segment: TcpRecord): void {
		this.#replies.push({kind, segment});
	}

	/** The one place the state changes. */
	#transition(now: number, to: TcpState, why: string): void {
		const from = this.#state;
		if (from === to) return;
		const transition: Transition = {at: now, from, to, why};
		this.#transitions.push(transition);
		this.#state = to;
		this.#events.push({type: 'state', transition});
		if (to === 'TIME-WAIT') this.#tcb.timeWaitUntil = now + 2 * this.#settings.msl;
		if (to === 'CLOSED' || to === 'LISTEN') {
			this.#unacked.clear();
			this.#reassembly.clear();
			this.#tcb.timeWaitUntil = undefined;
		}
	}

	#resetTcb(): Tcb {
		this.#tcb = freshTcb(this.#settings.offer.mss);
		this.#unacked.clear();
		this.#reassembly.clear();
		this.#lastAckOut = undefined;
		this.#lastWindowOut = undefined;
		this.#peerSegmentMax = 0;
		this.#dupAcksOut = 0;
		return this.#tcb;
	}

	#irsKnown(): boolean {
		return this.#tcb.irs !== undefined && this.#state !== 'CLOSED' && this.#state !== 'LISTEN';
	}

	#nextIss(): number {
		if (!this.#issUsed && this.#initialIss !== undefined) {
			this.#issUsed = true;
			return this.#initialIss >>> 0;
		}

		this.#issUsed = true;
		return Math.floor(this.#settings.random() * 2 ** 32) >>> 0;
	}

	#relIn(seq: Seq): number {
		return this.#tcb.irs === undefined ? seq : seqSub(seq, this.#tcb.irs);
	}

	#relOut(seq: Seq): number {
		return seqSub(seq, this.#tcb.iss);
	}
}

/**
 * An ACK reply whose segment is built on first read. A class, not an object literal with a getter:
 * V8 defines a literal's accessor anew on every object, which cost more than the ACK itself.
 */
class LazyAck implements Reply {
	readonly kind = 'ack';
	#segment: TcpRecord | undefined;
	readonly #build: () => TcpRecord;

	constructor(build: () => TcpRecord) {
		this.#build = build;
	}

	get segment(): TcpRecord {
		this.#segment ??= this.#build();
		return this.#segment;
	}
}
