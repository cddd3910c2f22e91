/**
 * Collects text and hands it to a stream in large writes, waiting for 'drain' when the stream is
 * full so memory stays flat however much is printed. When the reader goes away (EPIPE, as with
 * `synack ... | head`), `closed` turns true and further text is dropped: the caller stops quietly.
 */
export class BufferedOutput {
	readonly #stream: NodeJS.WritableStream;
	readonly #highWaterMark: number;
	#pending: string[] = [];
	#pendingLength = 0;
	#mustDrain = false;
	#closed = false;
	#error: Error | undefined;
	#wake: (() => void) | undefined;

	constructor(stream: NodeJS.WritableStream, highWaterMark = 64 * 1024) {
		this.#stream = stream;
		this.#highWaterMark = highWaterMark;
		stream.on('error', this.#onError);
		stream.on('drain', this.#onDrain);
	}

	/** The reader has gone; nothing more will be written. */
	get closed(): boolean {
		return this.#closed;
	}

	/** True when the caller should `await ready()` before writing more. */
	get full(): boolean {
		return this.#mustDrain;
	}

	write(text: string): void {
		if (this.#closed) {
			return;
		}

		this.#pending.push(text);
		this.#pendingLength += text.length;
		if (this.#pendingLength >= this.#highWaterMark) {
			this.flush();
		}
	}

	flush(): void {
		if (this.#closed || this.#pending.length === 0) {
			return;
		}

		const text = this.#pending.join('');
		this.#pending = [];
		this.#pendingLength = 0;
		if (!this.#stream.write(text)) {
			this.#mustDrain = true;
		}
	}

	/** Resolves when the stream can take more (or has closed); rejects on a write error other than EPIPE. */
	async ready(): Promise<void> {
		while (this.#mustDrain && !this.#closed && this.#error === undefined) {
			await new Promise<void>(resolve => {
				this.#wake = resolve;
			});
		}

		if (this.#error !== undefined) {
			throw this.#error;
		}
	}

	/** Flushes what is pending, waits until the stream has taken it, and stops listening. */
	async end(): Promise<void> {
		this.flush();
		try {
			await this.ready();
		} finally {
			this.#stream.off('drain', this.#onDrain);
			// The error listener stays: an EPIPE can still arrive for bytes already handed over.
		}
	}

	readonly #onDrain = (): void => {
		this.#mustDrain = false;
		this.#wakeUp();
	};

	readonly #onError = (error: NodeJS.ErrnoException): void => {
		if (error.code === 'EPIPE') {
			this.#closed = true;
			this.#pending = [];
		} else {
			this.#error ??= error;
		}

		this.#wakeUp();
	};

	#wakeUp(): void {
		const wake = this.#wake;
		this.#wake = undefined;
		wake?.();
	}
}
