// Congestion control for what auto mode sends: RFC 5681 (slow start, congestion avoidance, fast
// retransmit and fast recovery) with the NewReno modification of RFC 6582, counting bytes as
// RFC 3465 allows.
import {type Seq, seqGt, seqSub} from './seq.js';

/** What the sender must do after an ACK, besides sending whatever the window now allows. */
export type CongestionAction = 'none' | 'retransmit';

/** RFC 6928 (as Linux): IW = min(10*MSS, max(2*MSS, 14600)). RFC 5681 §3.1: 1 MSS after a lost SYN. */
export function initialWindow(mss: number, synLost = false): number {
	return synLost ? mss : Math.min(10 * mss, Math.max(2 * mss, 14_600));
}

export class NewReno {
	readonly mss: number;
	cwnd: number;
	/** RFC 5681 §3.1: "arbitrarily high" at first. */
	ssthresh = Number.POSITIVE_INFINITY;
	/** RFC 6582 §3.2: the highest sequence number sent when fast recovery (or a timeout) began. */
	recover: Seq;
	inRecovery = false;
	/** Bytes acknowledged in congestion avoidance toward the next MSS of growth (RFC 3465 §2.1). */
	#bytesAcked = 0;
	#partialAcks = 0;
	/** Fast retransmits so far (for display and tests). */
	fastRetransmits = 0;

	constructor(mss: number, iss: Seq, synLost = false) {
		this.mss = mss;
		this.cwnd = initialWindow(mss, synLost);
		this.recover = iss;
	}

	/**
	 * SND.UNA moved forward by `acked` to `sndUna`; `flight` is SND.NXT - SND.UNA after the ACK;
	 * `cwndLimited` says whether the flight before the ACK filled the window.
	 * Returns 'retransmit' for a partial ACK in recovery (RFC 6582 §3.2 step 5).
	 */
	onNewAck(sndUna: Seq, acked: number, flight: number, cwndLimited = true): CongestionAction {
		const {mss} = this;
		if (this.inRecovery) {
			if (seqGt(sndUna, this.recover) || sndUna === this.recover) {
				// Full acknowledgment (step 6): deflate, option (1) of RFC 6582 §3.2.
				this.cwnd = Math.min(this.ssthresh, Math.max(flight, mss) + mss);
				this.inRecovery = false;
				this.#bytesAcked = 0;
				return 'none';
			}

			// Partial acknowledgment (step 5): deflate by what was acknowledged, add back one MSS if at least one was.
			this.cwnd = Math.max(mss, this.cwnd - acked + (acked >= mss ? mss : 0));
			this.#partialAcks++;
			return 'retransmit';
		}

		// RFC 7661 §4.3 (in spirit): a window the sender did not fill says nothing about the path; do not grow it.
		if (!cwndLimited) return 'none';
		if (this.cwnd < this.ssthresh) {
			// RFC 3465 §2.2: slow start by bytes acknowledged, at most L = 2*SMSS per ACK.
			this.cwnd += Math.min(acked, 2 * mss);
		} else {
			// RFC 3465 §2.1: one MSS per cwnd's worth of acknowledged bytes.
			this.#bytesAcked += acked;
			if (this.#bytesAcked >= this.cwnd) {
				this.#bytesAcked -= this.cwnd;
				this.cwnd += mss;
			}
		}

		return 'none';
	}

	/** The first partial ACK of a recovery restarts the retransmission timer (RFC 6582 §3.2 step 5, "impatient" variant off). */
	get firstPartialAck(): boolean {
		return this.#partialAcks === 1;
	}

	/**
	 * The `count`-th duplicate ACK in a row (RFC 5681 §3.2). The third starts fast retransmit unless
	 * the ACK does not cover `recover` (RFC 6582 §3.2 step 1: duplicates of an earlier recovery).
	 */
	onDuplicateAck(count: number, sndUna: Seq, sndNxt: Seq): CongestionAction {
		const {mss} = this;
		if (this.inRecovery) {
			// Step 3: inflate for each segment that has left the network.
			this.cwnd += mss;
			return 'none';
		}

		if (count !== 3) return 'none';
		if (!seqGt(sndUna, this.recover)) return 'none';
		const flight = seqSub(sndNxt, sndUna);
		// RFC 5681 §3.2 steps 2-4, RFC 6582 §3.2 step 2.
		this.ssthresh = Math.max(flight / 2, 2 * mss);
		this.recover = sndNxt;
		this.cwnd = this.ssthresh + (3 * mss);
		this.inRecovery = true;
		this.#partialAcks = 0;
		this.fastRetransmits++;
		return 'retransmit';
	}

	/** RFC 5681 §3.1 eq. 4 and the loss window; RFC 6582 §3.2 step 4 (recover := highest sent). */
	onTimeout(flight: number, sndNxt: Seq): void {
		this.ssthresh = Math.max(flight / 2, 2 * this.mss);
		this.cwnd = this.mss;
		this.recover = sndNxt;
		this.inRecovery = false;
		this.#bytesAcked = 0;
	}
}
