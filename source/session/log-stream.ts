import {looksPartial} from './checksum-offload.js';
import type {PacketLog} from './packet-log.js';
import {StreamReassembler} from './stream-reassembly.js';

/**
 * One connection's stream followed from the live packet log: each call takes only the frames logged
 * since the last one. Frames the log no longer holds when first asked for are missing (a gap).
 */
export class LogStreamFollower {
	readonly connection: number;
	readonly stream = new StreamReassembler();
	readonly #log: Pick<PacketLog, 'count' | 'size' | 'at'>;
	/** The number of the last frame taken. */
	#seen = 0;

	constructor(log: Pick<PacketLog, 'count' | 'size' | 'at'>, connection: number) {
		this.#log = log;
		this.connection = connection;
	}

	/** Takes the frames logged since; true when the stream changed. */
	catchUp(): boolean {
		const log = this.#log;
		const version = this.stream.version;
		const oldest = log.count - log.size + 1;
		for (let number = Math.max(this.#seen + 1, oldest); number <= log.count; number++) {
			const entry = log.at(number - oldest);
			if (!entry || entry.connection !== this.connection) continue;
			const frame = entry.frame;
			if (!frame.tcp) continue;
			// A segment with a wrong checksum never reached the receiver's application; one whose checksum
			// was left to the card (CHECKSUM_PARTIAL on a veth) did.
			if (frame.tcpChecksumOk === false && !looksPartial(frame)) continue;
			this.stream.add({side: entry.direction, seq: frame.tcp.seq, flags: frame.tcp.flags, payload: frame.tcp.payload});
		}

		this.#seen = log.count;
		return this.stream.version !== version;
	}
}
