// RFC 6298: the retransmission timeout from smoothed round-trip measurements.

export type RtoConfig = {
	/** RTO before any measurement (RFC 6298 §2.1: 1 s). */
	readonly initial: number;
	/** RFC 6298 §2.4: 1 s; Linux uses 200 ms (TCP_RTO_MIN). */
	readonly min: number;
	/** RFC 6298 §2.5: at least 60 s. */
	readonly max: number;
	/** Clock granularity G (our clock has sub-millisecond resolution; 1 ms is conservative). */
	readonly granularity: number;
};

export const defaultRtoConfig: RtoConfig = {initial: 1000, min: 1000, max: 60_000, granularity: 1};

const alpha = 1 / 8;
const beta = 1 / 4;

/**
 * SRTT, RTTVAR and RTO (RFC 6298 §2), with exponential backoff (§5.5). Karn's rule is the caller's:
 * only segments sent once may be measured. A new measurement replaces the backed-off value (§5.7).
 */
export class RttEstimator {
	readonly config: RtoConfig;
	#srtt: number | undefined;
	#rttvar = 0;
	#base: number;
	#backoffs = 0;

	constructor(config: Partial<RtoConfig> = {}) {
		this.config = {...defaultRtoConfig, ...config};
		this.#base = this.config.initial;
	}

	get srtt(): number | undefined {
		return this.#srtt;
	}

	get rttvar(): number {
		return this.#rttvar;
	}

	/** Times the timer has been backed off since the last measurement. */
	get backoffs(): number {
		return this.#backoffs;
	}

	/** The current RTO, backoff included, within [min, max]. */
	get rto(): number {
		return Math.min(this.config.max, this.#base * 2 ** this.#backoffs);
	}

	/** RFC 6298 §2.2 (first measurement) and §2.3 (later ones). */
	sample(rtt: number): void {
		const r = Math.max(0, rtt);
		if (this.#srtt === undefined) {
			this.#srtt = r;
			this.#rttvar = r / 2;
		} else {
			this.#rttvar = ((1 - beta) * this.#rttvar) + (beta * Math.abs(this.#srtt - r));
			this.#srtt = ((1 - alpha) * this.#srtt) + (alpha * r);
		}

		const {granularity, min, max} = this.config;
		this.#base = Math.min(max, Math.max(min, this.#srtt + Math.max(granularity, 4 * this.#rttvar)));
		this.#backoffs = 0;
	}

	/** RFC 6298 §5.5: RTO <- RTO * 2 when the timer expires. */
	backoff(): void {
		if (this.rto < this.config.max) this.#backoffs++;
	}

	/**
	 * RFC 6298 §5.7: after the SYN was retransmitted and no measurement came of it, RTO is set back to
	 * 3 s once data transmission begins.
	 */
	resetAfterSynLoss(): void {
		if (this.#srtt === undefined) {
			this.#base = Math.max(this.config.min, 3000);
			this.#backoffs = 0;
		}
	}
}
