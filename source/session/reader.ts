// The application in front of a connection's receive buffer: what takes the data, and how fast.
// Reading is what frees receive window (RFC 9293 §3.8.6.2.2); a reader that does not read closes it.

/** `arrival`: takes data as it arrives; `manual`: only when asked (`R`, a script's `read`); `slow`: at a set rate. */
export const readerModes = ['arrival', 'manual', 'slow'] as const;
export type ReaderMode = typeof readerModes[number];

/** Octets per second a `slow` reader takes unless `--reader-rate` says otherwise. */
export const defaultReaderRate = 10_000;

/** How often a slow reader takes its share: often enough for a smooth rate, rarely enough to cost nothing. */
export const slowReaderTickMs = 100;

/** The read position of a connection: what the application has taken and what still waits. */
export type ReaderView = {
	readonly mode: ReaderMode;
	/** Octets per second in `slow` mode. */
	readonly rate: number;
	/** Octets the application has read (the stream offset the reader has reached, from IRS+1). */
	readonly read: number;
	/** Octets received in order and not read yet (they hold receive window). */
	readonly unread: number;
};

/** The mode after `mode` in the order `R` (Ctrl-R) cycles them. */
export function nextReaderMode(mode: ReaderMode): ReaderMode {
	return readerModes[(readerModes.indexOf(mode) + 1) % readerModes.length]!;
}

/** How the pane and the help name a mode. */
export function describeReader(mode: ReaderMode, rate: number): string {
	switch (mode) {
		case 'arrival': {
			return 'on arrival';
		}

		case 'manual': {
			return 'manual';
		}

		case 'slow': {
			return `slow ${rate} B/s`;
		}
	}
}

/** A valid rate: a whole number of octets per second, at least 1. */
export function isReaderRate(rate: number): boolean {
	return Number.isSafeInteger(rate) && rate >= 1;
}

/**
 * The slow reader's allowance: `rate` octets per second of time spent waiting for data to read. An
 * idle reader saves nothing up (`idle`), as an application blocked in read() takes what is there
 * and no more, so a burst after a pause does not exceed the rate.
 */
export class ReadBudget {
	rate: number;
	#since: number | undefined;
	/** Fractions of an octet left over from the last take, so low rates come out right. */
	#carry = 0;

	constructor(rate: number) {
		this.rate = rate;
	}

	/** Octets the reader may take at `now`, at most `readable`. */
	take(now: number, readable: number): number {
		if (this.#since === undefined) {
			this.#since = now;
			return 0;
		}

		const owed = this.#carry + (this.rate * Math.max(0, now - this.#since)) / 1000;
		this.#since = now;
		const whole = Math.floor(owed);
		const taken = Math.min(whole, readable);
		this.#carry = taken === whole ? owed - whole : 0;
		return taken;
	}

	/** Nothing to read: the clock starts again when data does. */
	idle(): void {
		this.#since = undefined;
		this.#carry = 0;
	}

	/** The clock is running (data waited since the last take). */
	get running(): boolean {
		return this.#since !== undefined;
	}
}
