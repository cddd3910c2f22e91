import fs from 'node:fs';
import {ChunkedFile} from './chunked-file.js';
import type {Timestamp} from '../wire/timestamp.js';
import {isPcapng} from './pcapng-format.js';
import {checkPcapng, pcapngRecords} from './pcapng-reader.js';
import {
	encodePcapHeader,
	encodeRecordHeader,
	globalHeaderLength,
	linkTypeName,
	linkTypes,
	maximumSnaplen,
	parsePcapHeader,
	parseRecordHeader,
	PcapFormatError,
	recordHeaderLength,
	type PcapHeader,
	type Precision,
} from './pcap-format.js';

export {PcapFormatError, type PcapHeader, type Precision} from './pcap-format.js';

export type PcapRecord = {
	/** 0-based position in the file. */
	readonly index: number;
	readonly timestamp: Timestamp;
	readonly capturedLength: number;
	/** The frame's length on the wire; more than `capturedLength` when the snaplen cut it. */
	readonly originalLength: number;
	/** A copy of the captured bytes: the caller may keep it. */
	readonly bytes: Uint8Array;
};

/** Why reading stopped before the end of the file. */
export type PcapProblem = {
	/** `truncated`: the file ends inside a record; `corrupt`: a record header makes no sense. */
	readonly kind: 'truncated' | 'corrupt';
	/** The record that could not be read (0-based). */
	readonly index: number;
	/** Byte offset of its record header in the file. */
	readonly offset: number;
	readonly message: string;
};

export type PcapReaderOptions = {
	/** Bytes read from the file at a time (1 MiB by default). Memory use stays near this. */
	readonly chunkSize?: number;
};

const defaultChunkSize = 1 << 20;

/**
 * Reads a classic pcap (or pcapng) file of Ethernet frames record by record, a chunk at a time, so a capture of
 * any size is read in constant memory. Damage at the end of a file (a capture cut short) does not
 * throw: reading stops and `problem` says where and why.
 */
export class PcapReader {
	static open(path: string, options: PcapReaderOptions = {}): PcapReader {
		const fd = fs.openSync(path, 'r');
		try {
			const head = new Uint8Array(globalHeaderLength);
			const got = readFully(fd, head, globalHeaderLength);
			if (isPcapng(head.subarray(0, got))) {
				const file = new ChunkedFile(fd, options.chunkSize ?? defaultChunkSize, head.subarray(0, got), 0);
				const {littleEndian, snaplen} = checkPcapng(file, path);
				const header: PcapHeader = {littleEndian, precision: 'nanosecond', versionMajor: 1, versionMinor: 0, snaplen, linkType: linkTypes.ethernet, fcsLength: 0};
				return new PcapReader(path, fd, header, options.chunkSize ?? defaultChunkSize, file);
			}

			const header = parsePcapHeader(head.subarray(0, got), path);
			if (header.linkType !== linkTypes.ethernet) {
				throw new PcapFormatError(
					`${path}: link type ${header.linkType} (${linkTypeName(header.linkType)}) is not supported; synack reads Ethernet (link type 1) captures, such as \`tcpdump -i eth0 -w FILE\` makes`,
				);
			}

			return new PcapReader(path, fd, header, options.chunkSize ?? defaultChunkSize);
		} catch (error) {
			fs.closeSync(fd);
			throw error;
		}
	}

	readonly path: string;
	readonly header: PcapHeader;
	#fd: number | undefined;
	readonly #chunkSize: number;
	#problem: PcapProblem | undefined;
	#started = false;
	/** A pcapng file: its blocks, from the start (PcapReader.open read the first of them). */
	readonly #pcapng: ChunkedFile | undefined;

	private constructor(path: string, fd: number, header: PcapHeader, chunkSize: number, pcapng?: ChunkedFile) {
		this.path = path;
		this.#pcapng = pcapng;
		this.#fd = fd;
		this.header = header;
		this.#chunkSize = Math.max(chunkSize, recordHeaderLength);
	}

	/** Set once `records()` has stopped early on a damaged file. */
	get problem(): PcapProblem | undefined {
		return this.#problem;
	}

	/** The records in file order. Iterate once; the reader closes its file when iteration ends. */
	* records(): Generator<PcapRecord, void, undefined> {
		if (this.#started) {
			throw new Error('PcapReader.records() can be iterated only once');
		}

		this.#started = true;
		const fd = this.#fd;
		if (fd === undefined) {
			return;
		}

		if (this.#pcapng) {
			try {
				yield * pcapngRecords(this.#pcapng, this.path, (kind, index, offset, detail) => this.#stop(kind, index, offset, detail));
			} finally {
				this.close();
			}

			return;
		}

		const {header} = this;
		let chunk = new Uint8Array(this.#chunkSize);
		let view = new DataView(chunk.buffer);
		let start = 0; // first unconsumed byte in chunk
		let end = 0; // one past the last byte read into chunk
		let filePosition = globalHeaderLength; // file offset of chunk[end]
		let eof = false;

		// Makes `count` bytes available at chunk[start..]; false when the file ends first.
		const ensure = (count: number): boolean => {
			while (end - start < count && !eof) {
				if (start > 0) {
					chunk.copyWithin(0, start, end);
					end -= start;
					start = 0;
				}

				if (chunk.length < count) {
					const larger = new Uint8Array(count);
					larger.set(chunk.subarray(0, end));
					chunk = larger;
					view = new DataView(chunk.buffer);
				}

				// Position null: read on from where the last read stopped, so a pipe works too (`<(tcpdump -w -)`).
				const got = fs.readSync(fd, chunk, end, chunk.length - end, null);
				if (got === 0) {
					eof = true;
				}

				end += got;
				filePosition += got;
			}

			return end - start >= count;
		};

		try {
			for (let index = 0; ; index++) {
				const offset = filePosition - (end - start);
				if (!ensure(recordHeaderLength)) {
					if (end > start) {
						this.#stop('truncated', index, offset, `the file ends inside the header of record ${index + 1} (${end - start} of ${recordHeaderLength} bytes)`);
					}

					return;
				}

				const record = parseRecordHeader(view, start, header);
				if (record.capturedLength > maximumSnaplen) {
					this.#stop('corrupt', index, offset, `record ${index + 1} claims ${record.capturedLength} captured bytes, more than the maximum of ${maximumSnaplen}`);
					return;
				}

				if (!ensure(recordHeaderLength + record.capturedLength)) {
					const available = end - start - recordHeaderLength;
					this.#stop('truncated', index, offset, `the file ends inside record ${index + 1} (${available} of ${record.capturedLength} captured bytes)`);
					return;
				}

				const dataStart = start + recordHeaderLength;
				start = dataStart + record.capturedLength;
				yield {index, ...record, bytes: chunk.slice(dataStart, start)};
			}
		} finally {
			this.close();
		}
	}

	close(): void {
		if (this.#fd !== undefined) {
			fs.closeSync(this.#fd);
			this.#fd = undefined;
		}
	}

	#stop(kind: PcapProblem['kind'], index: number, offset: number, detail: string): void {
		this.#problem = {kind, index, offset, message: `${this.path}: ${detail}, at byte ${offset}`};
	}
}

function readFully(fd: number, into: Uint8Array, length: number): number {
	let total = 0;
	while (total < length) {
		const got = fs.readSync(fd, into, total, length - total, null);
		if (got === 0) {
			break;
		}

		total += got;
	}

	return total;
}

export type PcapWriterOptions = {
	/** Write nanosecond timestamps (magic 0xa1b23c4d) instead of microseconds. */
	readonly nanosecond?: boolean;
	/** Frames longer than this are cut to it; the original length is kept. 262144 by default. */
	readonly snaplen?: number;
	/**
	 * Gather records in memory until `flush` (or until 256 KiB are waiting) instead of one write per
	 * record: what a busy capture needs, where a system call per frame costs more than the frame.
	 */
	readonly buffered?: boolean;
};

const writeBufferSize = 256 * 1024;

/**
 * Writes Ethernet frames to a classic pcap file. Unbuffered, every `write` reaches the kernel before
 * it returns (one `fs.writeSync` per record), so a frame synack has already shown is in the file even
 * if the process dies the next moment. Buffered, records reach it on `flush`, `close`, or when the
 * buffer fills; a record is never split across two writes.
 */
export class PcapWriter {
	static open(path: string, options: PcapWriterOptions = {}): PcapWriter {
		const precision: Precision = options.nanosecond ? 'nanosecond' : 'microsecond';
		const snaplen = options.snaplen ?? maximumSnaplen;
		if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > maximumSnaplen) {
			throw new RangeError(`snaplen must be an integer from 1 to ${maximumSnaplen}, not ${snaplen}`);
		}

		const fd = fs.openSync(path, 'w');
		try {
			writeFully(fd, encodePcapHeader({precision, snaplen, linkType: linkTypes.ethernet}));
		} catch (error) {
			fs.closeSync(fd);
			throw error;
		}

		return new PcapWriter(path, fd, precision, snaplen, options.buffered === true);
	}

	readonly path: string;
	readonly precision: Precision;
	readonly snaplen: number;
	#fd: number | undefined;
	#count = 0;
	readonly #buffer: Uint8Array | undefined;
	#used = 0;

	private constructor(path: string, fd: number, precision: Precision, snaplen: number, buffered: boolean) {
		this.path = path;
		this.#fd = fd;
		this.precision = precision;
		this.snaplen = snaplen;
		if (buffered) this.#buffer = new Uint8Array(writeBufferSize);
	}

	/** Records are waiting in the buffer for `flush`. */
	get waiting(): boolean {
		return this.#used > 0;
	}

	/** Records written so far. */
	get count(): number {
		return this.#count;
	}

	write(frame: Uint8Array, timestamp: Timestamp): void {
		if (this.#fd === undefined) {
			throw new Error(`${this.path}: write after close`);
		}

		const capturedLength = Math.min(frame.length, this.snaplen);
		const length = recordHeaderLength + capturedLength;
		const buffer = this.#buffer;
		if (buffer === undefined || length > buffer.length) {
			this.flush();
			// Header and data in one buffer and one write: a record is never half in the file because a
			// second write failed.
			const record = new Uint8Array(length);
			this.#encode(record, 0, frame, capturedLength, timestamp);
			writeFully(this.#fd, record);
		} else {
			if (this.#used + length > buffer.length) this.flush();
			this.#encode(buffer, this.#used, frame, capturedLength, timestamp);
			this.#used += length;
		}

		this.#count++;
	}

	/** Writes what the buffer holds. */
	flush(): void {
		if (this.#used === 0 || this.#fd === undefined || this.#buffer === undefined) return;
		const used = this.#used;
		this.#used = 0;
		writeFully(this.#fd, this.#buffer.subarray(0, used));
	}

	#encode(target: Uint8Array, at: number, frame: Uint8Array, capturedLength: number, timestamp: Timestamp): void {
		encodeRecordHeader(new DataView(target.buffer, target.byteOffset + at, recordHeaderLength), 0, {timestamp, capturedLength, originalLength: frame.length}, this.precision);
		target.set(capturedLength === frame.length ? frame : frame.subarray(0, capturedLength), at + recordHeaderLength);
	}

	close(): void {
		if (this.#fd === undefined) return;
		try {
			this.flush();
		} finally {
			fs.closeSync(this.#fd);
			this.#fd = undefined;
		}
	}
}

function writeFully(fd: number, bytes: Uint8Array): void {
	let written = 0;
	while (written < bytes.length) {
		written += fs.writeSync(fd, bytes, written, bytes.length - written);
	}
}
