import type {CapturedFrame, FrameListener} from './link.js';

export class Listeners {
	readonly #listeners = new Set<FrameListener>();

	add(listener: FrameListener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	emit(frame: CapturedFrame): void {
		for (const listener of this.#listeners) listener(frame);
	}
}
