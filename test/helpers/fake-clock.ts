import type {Clock} from '../../source/session/clock.js';

/** A session clock that moves only on `advance`, running the timers that fall due on the way, in order. */
export class FakeClock implements Clock {
	current = 0;
	readonly #timers: Array<{at: number; callback: () => void; live: boolean}> = [];

	now(): number {
		return this.current;
	}

	at(at: number, callback: () => void): () => void {
		const timer = {at, callback, live: true};
		this.#timers.push(timer);
		return () => {
			timer.live = false;
		};
	}

	advance(ms: number): void {
		const end = this.current + ms;
		for (;;) {
			const due = this.#timers.filter(timer => timer.live && timer.at <= end).sort((a, b) => a.at - b.at)[0];
			if (!due) break;
			due.live = false;
			this.current = Math.max(this.current, due.at);
			due.callback();
		}

		this.current = end;
	}
}
