import {Worker} from 'node:worker_threads';

// The worker's whole job: make a SharedArrayBuffer, write one octet per page so that the kernel maps
// every page now, on the worker's CPU, and hand the buffer over.
const workerCode = `
const {parentPort} = require('node:worker_threads');
parentPort.on('message', size => {
	const memory = new SharedArrayBuffer(size);
	const bytes = new Uint8Array(memory);
	for (let at = 0; at < size; at += 4096) bytes[at] = 0;
	parentPort.postMessage(memory);
});
`;

export type PrefaultOptions = {
	/** Octets per buffer: 4 MiB. */
	readonly size?: number;
	/** Buffers kept ready: 2. */
	readonly ahead?: number;
	/** Octets made in all, after which the worker ends: no limit by default. */
	readonly total?: number;
};

/**
 * Memory whose pages are already mapped, made by a worker thread ahead of need, for the frames a link
 * receives: first-touch page faults are a large part of a bulk download (docs/performance.md), and
 * the worker takes them on another CPU. It keeps doing so for as long as frames come: memory the log
 * lets go is not reused warm in practice (it is freed only at a major GC, in 4 MiB buffers), so a
 * worker that stopped after the log's first fill left every later frame to fault its page in.
 * When no buffer is ready, `take` gives nothing and the caller allocates as before.
 */
export class PrefaultedMemory {
	readonly #ready: SharedArrayBuffer[] = [];
	readonly #worker: Worker;
	readonly #size: number;
	readonly #ahead: number;
	readonly #total: number;
	#requested = 0;
	#waiting = 0;
	#closed = false;

	constructor(options: PrefaultOptions = {}) {
		this.#size = options.size ?? 4 << 20;
		this.#ahead = options.ahead ?? 2;
		this.#total = options.total ?? Number.POSITIVE_INFINITY;
		this.#worker = new Worker(workerCode, {eval: true});
		// Never the reason the process stays up.
		this.#worker.unref();
		this.#worker.on('message', (memory: SharedArrayBuffer) => {
			this.#waiting--;
			if (!this.#closed) this.#ready.push(memory);
		});
		// A worker that cannot start leaves callers allocating as before.
		this.#worker.on('error', () => {
			this.close();
		});
		this.#topUp();
	}

	/** Octets handed out or on their way, in all. */
	get requested(): number {
		return this.#requested;
	}

	get closed(): boolean {
		return this.#closed;
	}

	/** A buffer of `size` octets, every page mapped, or undefined when none is ready. */
	take(): SharedArrayBuffer | undefined {
		const memory = this.#ready.shift();
		this.#topUp();
		if (this.#ready.length === 0 && this.#waiting === 0 && !this.#canAsk()) this.close();
		return memory;
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#ready.length = 0;
		void this.#worker.terminate();
	}

	#canAsk(): boolean {
		return this.#requested + this.#size <= this.#total;
	}

	#topUp(): void {
		while (!this.#closed && this.#ready.length + this.#waiting < this.#ahead && this.#canAsk()) {
			this.#waiting++;
			this.#requested += this.#size;
			this.#worker.postMessage(this.#size);
		}
	}
}
