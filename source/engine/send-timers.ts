// The deadlines of our sending side: the retransmission timer (RFC 6298) and the persist timer
// (RFC 9293 §3.8.6.1). They only keep time; the autopilot decides what firing means.

/** RFC 6298 §5: one timer for the oldest unacknowledged segment. */
export class RetransmissionTimer {
	#at: number | undefined;

	get at(): number | undefined {
		return this.#at;
	}

	/** RFC 6298 §5.1: started when data leaves and the timer is not running. */
	arm(now: number, rto: number): void {
		this.#at ??= now + rto;
	}

	/** RFC 6298 §5.3: restarted on an ACK of new data. */
	restart(now: number, rto: number): void {
		this.#at = now + rto;
	}

	/** RFC 6298 §5.2: stopped once everything is acknowledged. */
	stop(): void {
		this.#at = undefined;
	}

	due(now: number): boolean {
		return this.#at !== undefined && now >= this.#at;
	}
}

/** RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17: probes of a zero window, backing off exponentially. */
export class PersistTimer {
	#at: number | undefined;
	#backoffs = 0;

	get at(): number | undefined {
		return this.#at;
	}

	/** Runs (if not already) for `rto` doubled per probe sent, at most `max`. */
	arm(now: number, rto: number, max: number): void {
		this.#at ??= now + Math.min(max, rto * 2 ** this.#backoffs);
	}

	stop(): void {
		this.#at = undefined;
	}

	/** A probe went out: the next waits twice as long. */
	backOff(): void {
		this.#backoffs++;
	}

	/** The peer acknowledged new data: back to the first interval. */
	resetBackoff(): void {
		this.#backoffs = 0;
	}

	due(now: number): boolean {
		return this.#at !== undefined && now >= this.#at;
	}
}
