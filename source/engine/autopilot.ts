import {tcpFlags} from '../wire/records.js';
import type {Connection, ReceiveResult, SendResult} from './connection.js';
import {DelayedAck, unacknowledgedOctets} from './delayed-ack.js';
import {NewReno} from './new-reno.js';
import {ackDelayed, type AutopilotPolicies, replyAllowed} from './reply-policy.js';
import {type RtoConfig, RttEstimator} from './rtt.js';
import {SendBuffer} from './send-buffer.js';
import {PersistTimer, RetransmissionTimer} from './send-timers.js';
import {type Seq, seqAdd, seqGe, seqGt, seqLt, seqSub} from './seq.js';
import {isSynchronized, sendsData} from './states.js';

export type {AutopilotPolicies} from './reply-policy.js';

export type AutopilotConfig = {
	readonly rto?: Partial<RtoConfig>;
	/**
	 * How long an ACK for in-order data may wait (RFC 9293 §3.8.6.3: under 0.5 s; RFC 1122 §4.2.3.2).
	 * 40 ms by default, Linux's TCP_DELACK_MIN.
	 */
	readonly delayedAckMs?: number;
	/**
	 * The most unacknowledged in-order data one receive batch may hold before an ACK goes out at once:
	 * 64 KiB, the largest segment Linux's GRO builds (and ACKs once).
	 */
	readonly coalesceLimit?: number;
};

const {SYN} = tcpFlags;
/** Segments one call sends at most: the rest go a moment later (`moreToSend`), so ACKs are not held behind a burst (docs/performance.md). */
const maxBurst = 64;

/**
 * Auto mode for one connection: the auto policies on top of a `Connection`. I/O-free like the
 * connection: every method takes `now` and returns the segments it made the connection send, in
 * order, for the session to put on the wire. Timers are deadlines (`pollAt`).
 *
 * ACKs (policy `delayed`): in-order data is ACKed at least every second full-sized segment (RFC 9293
 * §3.8.6.3), counted per receive batch as Linux's GRO merges frames, up to 64 KiB (why:
 * docs/performance.md); the ACK goes out when the batch ends (`flush`), a lone segment waits at most
 * `delayedAckMs`. Out-of-order data, hole fills, FINs, probes and duplicates are ACKed at once
 * (RFC 5681 §4.2).
 *
 * Sending: `write` queues data; it leaves in MSS-sized segments as min(cwnd, SND.WND) allows
 * (NewReno), retransmitted on RTO (RFC 6298, Karn's rule, backoff, go-back-N from SND.UNA) or on
 * three duplicate ACKs; a zero window is probed with one octet on the persist timer (RFC 9293
 * §3.8.6.1, RFC 1122 §4.2.2.17).
 */
export class Autopilot {
	readonly connection: Connection;
	policies: AutopilotPolicies;
	readonly rtt: RttEstimator;
	readonly #delayedAck: DelayedAck;
	readonly #buffer = new SendBuffer();
	/** Sequence number of the buffer's first octet, once data has been sent from it. */
	#base: Seq | undefined;
	/** BSD's snd_nxt for our data: where the next segment from the buffer starts (may trail SND.NXT after a timeout). */
	#nxt: Seq = 0;
	/** The end of the highest segment sent from the buffer. */
	#sentEnd: Seq | undefined;
	#closeWanted = false;
	#cc: NewReno | undefined;
	#synLost = false;
	/** One segment timed at a time (RFC 6298 §3: Karn's rule forbids timing retransmitted ones). */
	#timing: {end: Seq; at: number} | undefined;
	readonly #rto = new RetransmissionTimer();
	readonly #persist = new PersistTimer();
	#moreToSend = false;
	#prevUna: Seq | undefined;
	#prevDupAcks = 0;
	#prevWnd: number | undefined;
	#out: SendResult[] = [];
	/** Counters for display and tests. */
	readonly stats = {timeouts: 0, fastRetransmits: 0, retransmittedSegments: 0, zeroWindowProbes: 0, delayedAcks: 0, windowUpdates: 0};

	constructor(connection: Connection, policies: AutopilotPolicies, config: AutopilotConfig = {}) {
		this.connection = connection;
		this.policies = policies;
		this.rtt = new RttEstimator(config.rto);
		this.#delayedAck = new DelayedAck(config.delayedAckMs ?? 40, config.coalesceLimit ?? 65_536);
	}

	/** Octets written and not yet acknowledged (sent or not). */
	get queued(): number {
		return this.#buffer.size;
	}

	/** Octets written and not yet sent. */
	get unsent(): number {
		if (this.#base === undefined) return this.#buffer.size;
		return Math.max(0, this.#buffer.size - seqSub(this.#connectionNxt(), this.#base));
	}

	get congestion(): {readonly cwnd: number; readonly ssthresh: number; readonly inRecovery: boolean} | undefined {
		return this.#cc;
	}

	get closeWanted(): boolean {
		return this.#closeWanted;
	}

	/** A delayed ACK is waiting for the end of the receive batch. */
	get flushWanted(): boolean {
		return this.#delayedAck.flushWanted;
	}

	/** The last call stopped at its burst limit with more the windows allow: call `output` again soon. */
	get moreToSend(): boolean {
		return this.#moreToSend;
	}

	/** Queues data to send; call `output` to send what the windows allow. */
	write(bytes: Uint8Array): void {
		this.#buffer.write(bytes);
	}

	/** Our FIN goes out once everything written has been sent (RFC 9293 §3.10.4 CLOSE). */
	close(): void {
		this.#closeWanted = true;
	}

	/** Acts on what `connection.receive` just did with a segment. */
	afterReceive(now: number, result: ReceiveResult, payloadLength: number): SendResult[] {
		this.#out = [];
		this.#delayedAck.sawSegment(payloadLength);
		this.#answer(now, result);
		this.#onAck(now);
		this.#output(now);
		this.#checkPersist(now);
		return this.#out;
	}

	/** The receive batch ended: send a delayed ACK that is due (RFC 9293 §3.8.6.3: every second full-sized segment). */
	flush(now: number): SendResult[] {
		this.#out = [];
		if (this.#delayedAck.flush(this.#pendingAckBytes())) this.#sendAck(now);
		return this.#out;
	}

	/** Sends what the windows allow (after `write`, `close`, or a policy switched on). */
	output(now: number): SendResult[] {
		this.#out = [];
		this.#output(now);
		this.#checkPersist(now);
		return this.#out;
	}

	/**
	 * The application read data: RFC 9293 §3.8.6.2.2 (receiver SWS avoidance) and Linux's
	 * tcp_cleanup_rbuf: announce the window when it has at least doubled from what the peer may still
	 * send, and by at least one MSS.
	 */
	afterRead(now: number): SendResult[] {
		this.#out = [];
		const c = this.connection;
		const edge = c.advertisedEdge;
		if (!this.policies.windowUpdate || edge === undefined || c.tcb.irs === undefined) return this.#out;
		const {rcvNxt} = c.tcb;
		const left = seqGe(edge, rcvNxt) ? seqSub(edge, rcvNxt) : 0;
		const open = c.rcvWnd;
		if (2 * left <= c.receiveBuffer && open >= 2 * left && open - left >= Math.min(c.rcvMss, c.receiveBuffer / 2)) {
			this.stats.windowUpdates++;
			this.#sendAck(now);
		}

		return this.#out;
	}

	/**
	 * A segment left that the autopilot did not send (a manual action): it may need the retransmission
	 * timer (RFC 6298 §5.1), and its ACK covers pending data.
	 */
	sent(now: number): void {
		const t = this.connection.tcb;
		// A SYN re-bases the sequence space; ACKs are counted from there.
		if (this.#prevUna === undefined || !isSynchronized(this.connection.state)) this.#prevUna = t.sndUna;
		if (t.sndUna !== t.sndNxt) this.#rto.arm(now, this.rtt.rto);
		if (this.#pendingAckBytes() === 0) this.#delayedAck.clear();
	}

	pollAt(): number | undefined {
		let at = this.connection.pollAt();
		const p = this.policies;
		const ackDue = this.#delayedAck.dueAt();
		if (p.retransmit && this.#rto.at !== undefined) at = min(at, this.#rto.at);
		if (p.ack !== 'off' && ackDue !== undefined) at = min(at, ackDue);
		if (this.#persist.at !== undefined) at = min(at, this.#persist.at);
		return at;
	}

	/** Runs the timers that are due; returns what they sent (`events` of TIME-WAIT's end come from the connection's poll). */
	poll(now: number): SendResult[] {
		this.#out = [];
		const p = this.policies;
		if (p.ack !== 'off' && this.#delayedAck.expired(now) && this.#pendingAckBytes() > 0) {
			this.stats.delayedAcks++;
			this.#sendAck(now);
		}

		if (this.#rto.due(now)) {
			if (p.retransmit) this.#timeout(now);
			else this.#rto.stop();
		}

		if (this.#persist.due(now)) this.#probe(now);
		this.#output(now);
		this.#checkPersist(now);
		return this.#out;
	}

	// --- Answers ---------------------------------------------------------------------------------

	#answer(now: number, result: ReceiveResult): void {
		for (const reply of result.respond) {
			if (replyAllowed(this.policies, reply, result.ack)) this.#emit(this.connection.sendReply(now, reply));
			else if (ackDelayed(this.policies, reply, result.ack) && this.#delayedAck.hold(now, this.#pendingAckBytes())) this.#sendAck(now);
		}
	}

	#pendingAckBytes(): number {
		return unacknowledgedOctets(this.connection.tcb);
	}

	#sendAck(now: number): void {
		this.#emit(this.connection.sendAck(now));
	}

	// --- ACKs of what we sent --------------------------------------------------------------------

	#onAck(now: number): void {
		const c = this.connection;
		const t = c.tcb;
		const una = t.sndUna;
		const previous = this.#prevUna;
		this.#prevUna = una;
		const reopened = this.#prevWnd === 0 && t.sndWnd > 0;
		this.#prevWnd = t.sndWnd;
		// The window opened after a zero window: an unacknowledged probe octet was dropped; send it again with what follows.
		if (reopened && this.#base !== undefined && seqLt(una, this.#nxt) && seqGe(una, this.#base)) this.#nxt = una;
		const dupAcks = t.dupAcks;
		const previousDup = this.#prevDupAcks;
		this.#prevDupAcks = dupAcks;
		if (previous === undefined || t.irs === undefined) return;
		if (seqGt(una, previous)) {
			const acked = seqSub(una, previous);
			if (this.#timing && seqGe(una, this.#timing.end)) {
				this.rtt.sample(now - this.#timing.at);
				this.#timing = undefined;
			}

			if (this.#base !== undefined && seqGt(una, this.#base)) {
				const drop = Math.min(seqSub(una, this.#base), this.#buffer.size);
				this.#buffer.drop(drop);
				this.#base = seqAdd(this.#base, drop);
			}

			if (seqLt(this.#nxt, una)) this.#nxt = una;
			this.#persist.resetBackoff();
			const flight = seqSub(t.sndNxt, una);
			const cc = this.#cc;
			const cwndLimited = cc !== undefined && flight + acked + t.sndMss > cc.cwnd;
			const action = cc?.onNewAck(una, acked, flight, cwndLimited) ?? 'none';
			if (flight === 0) this.#rto.stop();
			// RFC 6298 §5.3; RFC 6582 §3.2 step 5 restarts it on the first partial ACK only.
			else if (action === 'none' || this.#cc?.firstPartialAck) this.#rto.restart(now, this.rtt.rto);
			if (action === 'retransmit' && this.policies.retransmit) this.#retransmitFirst(now);
			return;
		}

		if (dupAcks > previousDup && this.#cc && this.policies.retransmit) {
			const action = this.#cc.onDuplicateAck(dupAcks, una, t.sndNxt);
			if (action === 'retransmit') {
				this.stats.fastRetransmits++;
				this.#retransmitFirst(now);
			}
		}
	}

	// --- Sending ---------------------------------------------------------------------------------

	#connectionNxt(): Seq {
		return this.connection.tcb.sndNxt;
	}

	#output(now: number): void {
		const c = this.connection;
		const t = c.tcb;
		if (t.irs === undefined || !this.#canSend()) return;
		// None of our data is out: it starts at SND.NXT, wherever manual segments have moved it. (Manual
		// data sent while ours is in flight would interleave with it: `write` and `data` do not mix then.)
		const noneOut = this.#base === undefined || this.#sentEnd === undefined || !seqGt(this.#sentEnd, this.#base);
		if (noneOut && t.finSeq === undefined && this.#base !== t.sndNxt) {
			this.#base = t.sndNxt;
			this.#nxt = t.sndNxt;
		}

		if (this.#base === undefined) return;
		this.#cc ??= new NewReno(t.sndMss, t.iss, this.#synLost);
		if (this.#synLost) {
			this.rtt.resetAfterSynLoss();
			this.#synLost = false;
		}

		const mss = t.sndMss;
		this.#moreToSend = false;
		for (let i = 0; ; i++) {
			if (i === maxBurst) {
				this.#moreToSend = true;
				break;
			}

			const end = seqAdd(this.#base, this.#buffer.size);
			const unsent = seqLt(this.#nxt, end) ? seqSub(end, this.#nxt) : 0;
			if (unsent > 0) {
				const inFlight = seqSub(this.#nxt, t.sndUna);
				const usable = Math.min(this.#cc.cwnd, t.sndWnd) - inFlight;
				if (usable <= 0) break;
				const size = Math.min(mss, unsent, usable);
				// RFC 9293 §3.8.6.2.1 (sender SWS avoidance): a short segment only when it is all we have, or half the largest window fits.
				if (size < mss && size < unsent && usable < t.maxSndWnd / 2 && inFlight > 0) break;
				this.#sendFromBuffer(now, this.#nxt, size);
				continue;
			}

			if (t.finSeq === undefined) {
				if (!this.#closeWanted || !sendsData(c.state)) break;
				this.#emit(c.sendFin(now));
				this.#nxt = c.tcb.sndNxt;
				this.#armRto(now);
			} else if (this.#nxt === t.finSeq) {
				// Going back after a timeout: the FIN again (ours, or one sent by hand).
				this.#emit(c.sendFin(now));
				this.#nxt = seqAdd(t.finSeq, 1);
			}

			break;
		}
	}

	#canSend(): boolean {
		const {state} = this.connection;
		return sendsData(state) || state === 'FIN-WAIT-1' || state === 'LAST-ACK' || state === 'CLOSING';
	}

	#sendFromBuffer(now: number, seq: Seq, size: number): void {
		const c = this.connection;
		const bytes = this.#buffer.slice(seqSub(seq, this.#base!), size);
		const fresh = seq === c.tcb.sndNxt;
		if (fresh) {
			this.#emit(c.sendData(now, bytes));
			this.#timing ??= {end: c.tcb.sndNxt, at: now};
		} else {
			// Karn's rule (RFC 6298 §3): a retransmitted segment gives no RTT sample, nor does any timed one it overlaps.
			this.#timing = undefined;
			this.stats.retransmittedSegments++;
			this.#emit(c.sendData(now, bytes, {seq}));
		}

		this.#nxt = seqAdd(seq, size);
		if (this.#sentEnd === undefined || seqGt(this.#nxt, this.#sentEnd)) this.#sentEnd = this.#nxt;
		this.#armRto(now);
	}

	/** RFC 5681 §3.2 step 4 / RFC 6582 step 5: the first unacknowledged segment again. */
	#retransmitFirst(now: number): void {
		const c = this.connection;
		const t = c.tcb;
		if (this.#base !== undefined && t.sndUna === this.#base && this.#buffer.size > 0) {
			this.#sendFromBuffer(now, t.sndUna, Math.min(t.sndMss, this.#buffer.size, seqSub(t.sndNxt, t.sndUna)));
			// A one-off: new data continues where it was.
			if (seqLt(this.#nxt, t.sndNxt)) this.#nxt = t.sndNxt;
			return;
		}

		this.#timing = undefined;
		const result = c.retransmit(now);
		if (result) {
			this.stats.retransmittedSegments++;
			this.#emit(result);
		}
	}

	#armRto(now: number): void {
		const t = this.connection.tcb;
		if (t.sndUna !== t.sndNxt) this.#rto.arm(now, this.rtt.rto);
	}

	/** RFC 6298 §5.4-5.6 and RFC 5681 §3.1. */
	#timeout(now: number): void {
		const c = this.connection;
		const t = c.tcb;
		this.#rto.stop();
		if (t.sndUna === t.sndNxt) return;
		if (t.sndWnd === 0 && t.irs !== undefined && (c.state === 'ESTABLISHED' || c.state === 'CLOSE-WAIT')) {
			// The peer's window is closed: the persist timer, not the retransmission timer, probes it.
			this.#checkPersist(now);
			return;
		}

		this.stats.timeouts++;
		this.#timing = undefined;
		this.rtt.backoff();
		const handshake = c.state === 'SYN-SENT' || c.state === 'SYN-RECEIVED';
		if (handshake) {
			this.#synLost = true;
			const result = c.retransmit(now);
			if (result) this.#emit(result);
		} else {
			this.#cc?.onTimeout(seqSub(t.sndNxt, t.sndUna), t.sndNxt);
			if (this.#base !== undefined && t.sndUna === this.#base && this.#buffer.size > 0) {
				// Go back N: everything from SND.UNA again, as the congestion window allows.
				this.#nxt = t.sndUna;
				this.#output(now);
			} else {
				const result = c.retransmit(now);
				if (result) this.#emit(result);
			}

			this.stats.retransmittedSegments++;
		}

		this.#rto.restart(now, this.rtt.rto);
	}

	// --- Persist timer (RFC 9293 §3.8.6.1) -------------------------------------------------------

	#checkPersist(now: number): void {
		const c = this.connection;
		const t = c.tcb;
		const waiting = this.policies.probes && t.irs !== undefined && t.sndWnd === 0 && sendsData(c.state)
			&& this.#base !== undefined && this.#buffer.size > 0;
		if (!waiting) {
			this.#persist.stop();
			return;
		}

		// Data in flight beyond the probe is the retransmission timer's; the persist timer runs alone.
		this.#rto.stop();
		this.#persist.arm(now, this.rtt.rto, this.rtt.config.max);
	}

	#probe(now: number): void {
		const c = this.connection;
		const t = c.tcb;
		this.#persist.stop();
		if (t.sndWnd !== 0 || this.#base === undefined || this.#buffer.size === 0) return;
		// One octet: the oldest unacknowledged one again, or the next new one.
		const seq = t.sndUna !== t.sndNxt ? t.sndUna : t.sndNxt;
		this.stats.zeroWindowProbes++;
		const bytes = this.#buffer.slice(seqSub(seq, this.#base), 1);
		this.#emit(seq === t.sndNxt ? c.sendData(now, bytes) : c.sendData(now, bytes, {seq}));
		this.#timing = undefined;
		if (seqLt(this.#nxt, c.tcb.sndNxt)) this.#nxt = c.tcb.sndNxt;
		if (this.#sentEnd === undefined || seqGt(c.tcb.sndNxt, this.#sentEnd)) this.#sentEnd = c.tcb.sndNxt;
		this.#persist.backOff();
		this.#checkPersist(now);
	}

	#emit(result: SendResult): void {
		this.#out.push(result);
		if ((result.segment.flags & SYN) === 0 && this.#pendingAckBytes() === 0) this.#delayedAck.clear();
	}
}

function min(a: number | undefined, b: number): number {
	return a === undefined || b < a ? b : a;
}
