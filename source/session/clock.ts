/** Milliseconds on a monotonic clock: what the engine and iface get as `now`. */
export type Clock = {
	now(): number;
	/** Runs `callback` at `at` (or at once if that has passed); returns a cancel function. */
	at(at: number, callback: () => void): () => void;
};

export const realClock: Clock = {
	now: () => performance.now(),
	at(at, callback) {
		const timer = setTimeout(callback, Math.max(0, at - performance.now()));
		return () => clearTimeout(timer);
	},
};

/**
 * Keeps one timer for a state machine that says when it next needs time (`pollAt`). Re-arm after
 * every input; the timer never fires early and never piles up.
 */
export class Deadline {
	#cancel: (() => void) | undefined;
	#armedFor: number | undefined;

	constructor(
		private readonly clock: Clock,
		private readonly fire: () => void,
	) {}

	arm(at: number | undefined): void {
		if (at === this.#armedFor) return;
		this.#cancel?.();
		this.#cancel = undefined;
		this.#armedFor = at;
		if (at === undefined) return;
		this.#cancel = this.clock.at(at, () => {
			this.#cancel = undefined;
			this.#armedFor = undefined;
			this.fire();
		});
	}

	stop(): void {
		this.arm(undefined);
	}
}

/** One-off callbacks on a clock (what a delay fault holds), all cancelled when their owner closes. */
export class Timers {
	readonly #clock: Clock;
	readonly #pending = new Set<() => void>();

	constructor(clock: Clock) {
		this.#clock = clock;
	}

	/** Runs `callback` `ms` from now on the clock, unless `cancelAll` comes first. */
	after(ms: number, callback: () => void): void {
		const cancel = this.#clock.at(this.#clock.now() + ms, () => {
			this.#pending.delete(cancel);
			callback();
		});
		this.#pending.add(cancel);
	}

	cancelAll(): void {
		for (const cancel of this.#pending) cancel();
		this.#pending.clear();
	}
}
