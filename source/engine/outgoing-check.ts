// What a conformant stack would say of a segment we send, and what sending it does to the TCB, as
// pure functions of (TCB, state, segment): the connection applies the effect and keeps the verdicts.
import {type TcpRecord, tcpFlags} from '../wire/records.js';
import {hasFlag, segmentLength} from './segment.js';
import {type Seq, seqAdd, seqBetween, seqGt, seqLt, seqSub} from './seq.js';
import {isSynchronized, type TcpState} from './states.js';
import type {Tcb} from './tcb.js';
import {type Verdict, verdict} from './verdict.js';

const {SYN, ACK, FIN, RST} = tcpFlags;

/** The answers `Connection.receive` proposes. */
export type ReplyKind = 'ack' | 'challenge-ack' | 'syn-ack' | 'rst';

/** Who made the segment: a manual action, an answer the engine proposed, or a retransmission. */
export type OutgoingSource = {readonly kind: 'manual'} | {readonly kind: 'reply'; readonly reply: ReplyKind} | {readonly kind: 'retransmit'};

/** The connection as a check sees it; nothing here is changed. */
export type OutgoingContext = {
	readonly state: TcpState;
	readonly tcb: Readonly<Tcb>;
	/** The peer's SYN is known and the connection is not CLOSED or LISTEN. */
	readonly irsKnown: boolean;
	readonly remotePortKnown: boolean;
};

/** What sending the segment does to our side, for the connection to apply. */
export type OutgoingEffect =
	| {readonly kind: 'none'}
	/** Our RST at SND.NXT: RFC 9293 §3.10.5 ABORT. */
	| {readonly kind: 'abort'; readonly why: string}
	/** An opening SYN: a fresh TCB from this segment, then SYN-SENT (RFC 9293 §3.10.1). */
	| {readonly kind: 'open'; readonly from: 'CLOSED' | 'LISTEN'}
	/** Our first SYN-ACK in SYN-RECEIVED: ISS from this segment, options negotiated. */
	| {readonly kind: 'syn-ack'}
	/** New sequence space (data, FIN or both) from SND.NXT up to `end`. */
	| {readonly kind: 'advance'; readonly end: Seq; readonly fin: boolean};

export type OutgoingCheck = {
	readonly verdicts: readonly Verdict[];
	readonly effect: OutgoingEffect;
	/** An unacceptable segment sent on purpose, whose answer the next incoming ACK may be. */
	readonly probe?: 'data' | 'rst' | 'syn';
};

/** The ACK field of our previous segments, for telling duplicate ACKs and window updates. */
export type AckHistory = {readonly ack: Seq | undefined; readonly window: number | undefined; readonly duplicates: number};

export type OutgoingAckCheck = {readonly verdicts: readonly Verdict[]; readonly history: AckHistory};

const none: OutgoingEffect = {kind: 'none'};

/** Sequence numbers as the log prints ours: relative to ISS. */
function relOut(tcb: Readonly<Tcb>, seq: Seq): number {
	return seqSub(seq, tcb.iss);
}

function relIn(tcb: Readonly<Tcb>, seq: Seq): number {
	return tcb.irs === undefined ? seq : seqSub(seq, tcb.irs);
}

/** Judges a segment we send (its ACK field aside: `checkOutgoingAck`, once the effect is applied). */
export function checkOutgoing(context: OutgoingContext, segment: TcpRecord, source: OutgoingSource): OutgoingCheck {
	const verdicts: Verdict[] = [];
	if (source.kind === 'reply' && source.reply === 'challenge-ack') {
		verdicts.push(verdict('challenge-ack', 'challenge ACK: tells the sender where our window is', 'RFC 5961 §3.2'));
	}

	const checked = hasFlag(segment, RST)
		? checkRst(context, segment, source, verdicts)
		: hasFlag(segment, SYN)
			? checkSyn(context, segment, verdicts)
			: segmentLength(segment) > 0
				? checkData(context, segment, verdicts)
				: checkBare(context, segment, verdicts);
	return {verdicts, ...checked};
}

type Checked = {readonly effect: OutgoingEffect; readonly probe?: 'data' | 'rst' | 'syn'};

function checkRst({state, tcb}: OutgoingContext, segment: TcpRecord, source: OutgoingSource, verdicts: Verdict[]): Checked {
	// A RST we answer with concerns the bogus segment, not our connection (RFC 9293 §3.10.7).
	if (source.kind === 'reply') return {effect: none};
	if (state === 'CLOSED' || state === 'LISTEN') {
		verdicts.push(verdict('not-in-state', `RST in ${state}: there is no connection to reset`));
		return {effect: none};
	}

	if (segment.seq !== tcb.sndNxt) {
		verdicts.push(verdict('tcb-unchanged', `RST seq ${relOut(tcb, segment.seq)} is not SND.NXT ${relOut(tcb, tcb.sndNxt)}: the peer answers with a challenge ACK if it falls in its window, else drops it; our TCB is kept`, 'RFC 5961 §3.2'));
		return {effect: none, probe: 'rst'};
	}

	const why = 'we abort: RST sent, TCB deleted';
	verdicts.push(verdict('reset', why, 'RFC 9293 §3.10.5'));
	return {effect: {kind: 'abort', why}};
}

function dataOnSyn(segment: TcpRecord, verdicts: Verdict[]): void {
	if (segment.payload.length > 0) verdicts.push(verdict('data-on-syn', `${segment.payload.length} octets of data on our SYN: Linux without TCP Fast Open ignores them`));
}

function checkSyn({state, tcb, remotePortKnown}: OutgoingContext, segment: TcpRecord, verdicts: Verdict[]): Checked {
	const ack = hasFlag(segment, ACK);
	if (state === 'CLOSED' || state === 'LISTEN') {
		if (!remotePortKnown) verdicts.push(verdict('not-in-state', 'SYN with no remote port: the segment goes to port 0'));
		if (ack) verdicts.push(verdict('not-in-state', 'ACK on an opening SYN acknowledges nothing: a real stack would not set it'));
		dataOnSyn(segment, verdicts);
		return {effect: {kind: 'open', from: state}};
	}

	if (state === 'SYN-RECEIVED' && tcb.sndNxt === tcb.iss) {
		if (!ack) verdicts.push(verdict('not-in-state', 'SYN without ACK in SYN-RECEIVED: a real stack sends SYN-ACK'));
		dataOnSyn(segment, verdicts);
		return {effect: {kind: 'syn-ack'}};
	}

	if ((state === 'SYN-SENT' || state === 'SYN-RECEIVED') && segment.seq === tcb.iss) {
		verdicts.push(verdict('retransmission', 'SYN retransmitted', 'RFC 9293 §3.8.1'));
		return {effect: none};
	}

	if (isSynchronized(state)) {
		verdicts.push(verdict('not-in-state', `SYN in ${state}: the peer answers with a challenge ACK; our TCB is kept`, 'RFC 5961 §4.2'));
		return {effect: none, probe: 'syn'};
	}

	verdicts.push(verdict('tcb-unchanged', `SYN seq ${segment.seq} is not ISS ${tcb.iss}: our TCB is kept`));
	return {effect: none};
}

function checkData({state, tcb: t, irsKnown}: OutgoingContext, segment: TcpRecord, verdicts: Verdict[]): Checked {
	const fin = hasFlag(segment, FIN);
	const payload = segment.payload.length;
	const end = seqAdd(segment.seq, segmentLength(segment));
	const what = payload > 0 ? `${payload} octets of data` : 'FIN';
	if (state === 'CLOSED' || state === 'LISTEN') {
		verdicts.push(verdict('not-in-state', `${what} in ${state}: there is no connection; a real stack would not send this`));
		return {effect: none};
	}

	if (payload === 1 && !fin && segment.seq === seqAdd(t.sndUna, -1)) {
		verdicts.push(verdict('keepalive', 'keepalive: one octet at SND.UNA-1; the peer answers with an ACK', 'RFC 9293 §3.8.4, RFC 1122 §4.2.3.6'));
		return {effect: none};
	}

	if (payload > 0 && (state === 'SYN-SENT' || state === 'SYN-RECEIVED')) {
		verdicts.push(verdict('not-in-state', `data before the handshake completed (${state}): a real stack would not send this`));
	}

	const fresh = segment.seq === t.sndNxt || (seqBetween(t.sndUna, segment.seq, t.sndNxt) && seqGt(end, t.sndNxt));
	if (!fresh) {
		if (t.sndUna !== t.sndNxt && seqBetween(t.sndUna, segment.seq, t.sndNxt)) {
			verdicts.push(verdict('retransmission', `retransmission: ${relOut(t, segment.seq)}..${relOut(t, end)} was sent before`));
			return {effect: none};
		}

		if (seqLt(segment.seq, t.sndUna)) {
			verdicts.push(verdict('tcb-unchanged', `seq ${relOut(t, segment.seq)} is before SND.UNA ${relOut(t, t.sndUna)}: the peer has it already and will ACK; our TCB is kept`));
		} else {
			verdicts.push(verdict('tcb-unchanged', `seq ${relOut(t, segment.seq)} is beyond SND.NXT ${relOut(t, t.sndNxt)}: leaves a hole the peer holds or drops; SND.NXT unchanged`));
		}

		return {effect: none, probe: 'data'};
	}

	if (t.finSeq !== undefined) {
		verdicts.push(verdict('data-after-fin', `${what} after our FIN: a real stack cannot send this; our TCB is kept`));
		return {effect: none};
	}

	if (fin && state !== 'ESTABLISHED' && state !== 'CLOSE-WAIT' && state !== 'SYN-RECEIVED') {
		verdicts.push(verdict('not-in-state', `FIN in ${state}: a real stack would not send this; our TCB is kept`));
		return {effect: none};
	}

	if (segment.seq !== t.sndNxt) {
		verdicts.push(verdict('retransmission', `retransmission of ${relOut(t, segment.seq)}..${relOut(t, t.sndNxt)} with ${seqSub(end, t.sndNxt)} new octets`));
	}

	if (irsKnown) {
		const dataEnd = fin ? seqAdd(end, -1) : end;
		const windowEnd = seqAdd(t.sndUna, t.sndWnd);
		if (t.sndWnd === 0 && payload === 1 && segment.seq === t.sndNxt) {
			verdicts.push(verdict('zero-window-probe', 'zero-window probe: one new octet while the peer\'s window is zero', 'RFC 9293 §3.8.6.1'));
		} else if (seqGt(dataEnd, windowEnd)) {
			verdicts.push(verdict('beyond-window', `data beyond the peer's window: ends at ${relOut(t, dataEnd)}, window ends at ${relOut(t, windowEnd)}; a real stack would wait`));
		}

		if (payload > t.sndMss) verdicts.push(verdict('exceeds-mss', `${payload} octets exceed the send MSS ${t.sndMss}: a real stack would split them`));
	}

	return {effect: {kind: 'advance', end, fin}};
}

function checkBare({tcb: t, irsKnown}: OutgoingContext, segment: TcpRecord, verdicts: Verdict[]): Checked {
	if (!irsKnown) return {effect: none};
	if (segment.seq === seqAdd(t.sndUna, -1)) {
		if (t.sndWnd === 0) verdicts.push(verdict('zero-window-probe', 'zero-window probe (seq SND.UNA-1, as Linux sends it): the peer answers with an ACK', 'RFC 9293 §3.8.6.1'));
		else verdicts.push(verdict('keepalive', 'keepalive: seq SND.UNA-1, no data; the peer answers with an ACK', 'RFC 9293 §3.8.4, RFC 1122 §4.2.3.6'));
	} else if (segment.seq !== t.sndNxt) {
		verdicts.push(verdict('tcb-unchanged', `seq ${relOut(t, segment.seq)} is not SND.NXT ${relOut(t, t.sndNxt)}`, undefined, 'info'));
	}

	return {effect: none};
}

/**
 * Judges the ACK field of a segment we send (not a RST), after its effect is applied: what it
 * acknowledges, and whether it repeats our previous ACK (a duplicate, or a window update).
 */
export function checkOutgoingAck({state, tcb: t, irsKnown}: OutgoingContext, segment: TcpRecord, previous: AckHistory): OutgoingAckCheck {
	const verdicts: Verdict[] = [];
	if (!irsKnown) {
		verdicts.push(verdict('not-in-state', `ACK flag in ${state} before the peer's SYN: it acknowledges nothing`));
		return {verdicts, history: previous};
	}

	if (seqGt(segment.ack, t.rcvNxt)) {
		verdicts.push(verdict('ack-unreceived', `ACK ${relIn(t, segment.ack)} acknowledges data we never received (RCV.NXT ${relIn(t, t.rcvNxt)})`));
	} else if (seqLt(segment.ack, t.rcvNxt)) {
		verdicts.push(verdict('old-ack', `ACK ${relIn(t, segment.ack)} is behind RCV.NXT ${relIn(t, t.rcvNxt)}`));
	}

	if (segment.window === 0) verdicts.push(verdict('zero-window', 'we advertise a zero window'));
	// Keepalives and probes (seq below SND.NXT) repeat the ACK too, but are not duplicate ACKs.
	const pure = segmentLength(segment) === 0 && segment.seq === t.sndNxt;
	let duplicates = previous.duplicates;
	if (pure && segment.ack === previous.ack) {
		if (segment.window === previous.window) {
			duplicates++;
			verdicts.push(verdict('duplicate-ack', `duplicate ACK #${duplicates} (ours): the peer counts it if it has data in flight`));
		} else {
			verdicts.push(verdict('window-update', `window update: field ${previous.window ?? '?'} -> ${segment.window}`));
		}
	} else if (segment.ack !== previous.ack) {
		duplicates = 0;
	}

	return {verdicts, history: {ack: segment.ack, window: segment.window, duplicates}};
}
