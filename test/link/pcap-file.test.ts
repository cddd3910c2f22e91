import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import fc from 'fast-check';
import {PcapFormatError, PcapReader, PcapWriter, type PcapRecord} from '../../source/link/pcap-file.js';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-pcap-'));
after(() => {
	fs.rmSync(directory, {recursive: true, force: true});
});

let fileCount = 0;
function temporaryPath(): string {
	return path.join(directory, `${fileCount++}.pcap`);
}

type RawRecord = {seconds: number; fraction: number; data: Uint8Array; originalLength?: number; capturedLength?: number};
type RawFile = {littleEndian?: boolean; magic?: number; linkType?: number; snaplen?: number; records?: RawRecord[]};

// Builds a file byte by byte from the format's description, independently of PcapWriter.
function buildPcap(file: RawFile): Uint8Array {
	const littleEndian = file.littleEndian ?? true;
	const records = file.records ?? [];
	const size = 24 + records.reduce((sum, record) => sum + 16 + record.data.length, 0);
	const bytes = new Uint8Array(size);
	const view = new DataView(bytes.buffer);
	view.setUint32(0, file.magic ?? 0xa1_b2_c3_d4, littleEndian);
	view.setUint16(4, 2, littleEndian);
	view.setUint16(6, 4, littleEndian);
	view.setUint32(16, file.snaplen ?? 65_535, littleEndian);
	view.setUint32(20, file.linkType ?? 1, littleEndian);
	let offset = 24;
	for (const record of records) {
		view.setUint32(offset, record.seconds, littleEndian);
		view.setUint32(offset + 4, record.fraction, littleEndian);
		view.setUint32(offset + 8, record.capturedLength ?? record.data.length, littleEndian);
		view.setUint32(offset + 12, record.originalLength ?? record.data.length, littleEndian);
		bytes.set(record.data, offset + 16);
		offset += 16 + record.data.length;
	}

	return bytes;
}

function writeFile(bytes: Uint8Array): string {
	const file = temporaryPath();
	fs.writeFileSync(file, bytes);
	return file;
}

function readAll(file: string, chunkSize?: number): {reader: PcapReader; records: PcapRecord[]} {
	const reader = PcapReader.open(file, chunkSize === undefined ? {} : {chunkSize});
	return {reader, records: [...reader.records()]};
}

function frame(length: number, seed: number): Uint8Array {
	return Uint8Array.from({length}, (_, index) => (index * 31 + seed * 7) & 0xff);
}

describe('PcapReader', () => {
	for (const littleEndian of [true, false]) {
		const order = littleEndian ? 'little-endian' : 'big-endian';
		test(`reads a ${order} microsecond file`, () => {
			const data = [frame(60, 1), frame(1514, 2)];
			const file = writeFile(buildPcap({
				littleEndian,
				snaplen: 1600,
				records: [
					{seconds: 1_700_000_000, fraction: 1, data: data[0]!},
					{seconds: 1_700_000_001, fraction: 999_999, data: data[1]!, originalLength: 3000},
				],
			}));
			const {reader, records} = readAll(file);
			assert.equal(reader.header.littleEndian, littleEndian);
			assert.equal(reader.header.precision, 'microsecond');
			assert.equal(reader.header.snaplen, 1600);
			assert.equal(reader.header.linkType, 1);
			assert.deepEqual(records.map(record => record.timestamp), [
				{seconds: 1_700_000_000, nanoseconds: 1000},
				{seconds: 1_700_000_001, nanoseconds: 999_999_000},
			]);
			assert.deepEqual(records.map(record => [record.index, record.capturedLength, record.originalLength]), [[0, 60, 60], [1, 1514, 3000]]);
			assert.deepEqual(records.map(record => record.bytes), data);
			assert.equal(reader.problem, undefined);
		});

		test(`reads a ${order} nanosecond file`, () => {
			const file = writeFile(buildPcap({
				littleEndian,
				magic: 0xa1_b2_3c_4d,
				records: [{seconds: 5, fraction: 123_456_789, data: frame(42, 3)}],
			}));
			const {reader, records} = readAll(file);
			assert.equal(reader.header.precision, 'nanosecond');
			assert.deepEqual(records[0]!.timestamp, {seconds: 5, nanoseconds: 123_456_789});
			assert.deepEqual(records[0]!.bytes, frame(42, 3));
		});
	}

	test('returns records that stay intact after later reads (copies, not views of its chunk)', () => {
		const data = Array.from({length: 50}, (_, index) => frame(100 + index, index));
		const file = writeFile(buildPcap({records: data.map((bytes, index) => ({seconds: index, fraction: 0, data: bytes}))}));
		const {records} = readAll(file, 256);
		assert.deepEqual(records.map(record => record.bytes), data);
	});

	test('reads any file the same whatever its chunk size', () => {
		const recordArbitrary = fc.record({
			seconds: fc.nat(),
			fraction: fc.nat({max: 999_999}),
			data: fc.uint8Array({maxLength: 3000}),
		});
		fc.assert(fc.property(fc.array(recordArbitrary, {maxLength: 20}), fc.integer({min: 1, max: 5000}), (raw, chunkSize) => {
			const file = writeFile(buildPcap({snaplen: 65_535, records: raw}));
			try {
				const {reader, records} = readAll(file, chunkSize);
				assert.equal(reader.problem, undefined);
				assert.deepEqual(records.map(record => record.bytes), raw.map(record => record.data));
				assert.deepEqual(
					records.map(record => record.timestamp),
					raw.map(record => ({seconds: record.seconds, nanoseconds: record.fraction * 1000})),
				);
			} finally {
				fs.rmSync(file);
			}
		}), {numRuns: 60});
	});

	test('reports a file that ends inside a record\'s data, after yielding the records before it', () => {
		const whole = buildPcap({records: [
			{seconds: 1, fraction: 0, data: frame(60, 1)},
			{seconds: 2, fraction: 0, data: frame(74, 2)},
		]});
		const file = writeFile(whole.subarray(0, whole.length - 10));
		const {reader, records} = readAll(file);
		assert.equal(records.length, 1);
		assert.deepEqual(records[0]!.bytes, frame(60, 1));
		assert.equal(reader.problem?.kind, 'truncated');
		assert.equal(reader.problem?.index, 1);
		assert.equal(reader.problem?.offset, 24 + 16 + 60);
		assert.match(reader.problem?.message ?? '', /64 of 74 captured bytes/);
	});

	test('reports a file that ends inside a record header', () => {
		const whole = buildPcap({records: [{seconds: 1, fraction: 0, data: frame(60, 1)}]});
		const file = writeFile(Uint8Array.from([...whole, 1, 2, 3, 4, 5]));
		const {reader, records} = readAll(file);
		assert.equal(records.length, 1);
		assert.equal(reader.problem?.kind, 'truncated');
		assert.match(reader.problem?.message ?? '', /header of record 2 \(5 of 16 bytes\)/);
	});

	test('stops at a record claiming more bytes than any capture holds', () => {
		const file = writeFile(buildPcap({records: [
			{seconds: 1, fraction: 0, data: frame(60, 1)},
			{seconds: 2, fraction: 0, data: frame(20, 2), capturedLength: 0x7f_ff_ff_ff},
		]}));
		const {reader, records} = readAll(file);
		assert.equal(records.length, 1);
		assert.equal(reader.problem?.kind, 'corrupt');
		assert.equal(reader.problem?.index, 1);
	});

	test('reads a file with a header and no records', () => {
		const {reader, records} = readAll(writeFile(buildPcap({})));
		assert.deepEqual(records, []);
		assert.equal(reader.problem, undefined);
	});

	test('stops reading when the consumer stops, and closes the file', () => {
		const file = writeFile(buildPcap({records: [1, 2, 3].map(seconds => ({seconds, fraction: 0, data: frame(60, seconds)}))}));
		const reader = PcapReader.open(file);
		for (const record of reader.records()) {
			assert.equal(record.index, 0);
			break;
		}

		assert.throws(() => [...reader.records()], /only once/);
	});

	const rejects: Array<[string, Uint8Array, RegExp]> = [
		['text', new TextEncoder().encode('hello, this is not a capture file\n'), /not a pcap file \(starts with 0x68656c6c\)/],
		['an empty file', new Uint8Array(0), /not a pcap file \(0 bytes long\)/],
		['pcapng', Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a]), /truncated pcapng section header \(12 of 28 bytes\)/],
		['a cut file header', buildPcap({}).subarray(0, 10), /truncated pcap file header \(10 of 24 bytes\)/],
		['Linux cooked capture', buildPcap({linkType: 113}), /link type 113 \(Linux cooked capture\) is not supported/],
		['an unknown link type', buildPcap({linkType: 4242}), /link type 4242 \(unknown\) is not supported/],
	];
	for (const [name, bytes, message] of rejects) {
		test(`rejects ${name} with a PcapFormatError naming the file`, () => {
			const file = writeFile(bytes);
			assert.throws(() => PcapReader.open(file), (error: unknown) => {
				assert.ok(error instanceof PcapFormatError);
				assert.match(error.message, message);
				assert.ok(error.message.startsWith(`${file}: `));
				return true;
			});
		});
	}

	test('reads Ethernet with an FCS length in the link type field, and reports it', () => {
		// draft-ietf-opsawg-pcap §4: F bit (26) set, FCS length 2 words = 4 bytes.
		const file = writeFile(buildPcap({linkType: 0x24_00_00_01}));
		const {reader} = readAll(file);
		assert.equal(reader.header.linkType, 1);
		assert.equal(reader.header.fcsLength, 4);
	});

	test('reads from a pipe, which cannot seek', () => {
		const data = Array.from({length: 30}, (_, index) => frame(60 + index * 10, index));
		const file = writeFile(buildPcap({records: data.map((bytes, index) => ({seconds: index, fraction: 0, data: bytes}))}));
		const fifo = path.join(directory, 'fifo');
		spawnSync('mkfifo', [fifo]);
		// The writer is another process: opening a FIFO for reading blocks until someone opens it to write.
		const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', file, fifo]);
		try {
			const {reader, records} = readAll(fifo, 100);
			assert.equal(reader.problem, undefined);
			assert.deepEqual(records.map(record => record.bytes), data);
		} finally {
			writer.kill();
		}
	});

	test('throws the operating system\'s error for a missing file', () => {
		assert.throws(() => PcapReader.open(path.join(directory, 'missing.pcap')), {code: 'ENOENT'});
	});
});

describe('PcapWriter', () => {
	test('round-trips frames and timestamps through PcapReader', () => {
		for (const nanosecond of [false, true]) {
			const file = temporaryPath();
			const writer = PcapWriter.open(file, {nanosecond});
			const frames = [frame(60, 1), frame(1514, 2), frame(0, 3)];
			const timestamps = [{seconds: 0, nanoseconds: 0}, {seconds: 1_700_000_000, nanoseconds: 123_456_789}, {seconds: 0xff_ff_ff_ff, nanoseconds: 999_999_999}];
			for (const [index, bytes] of frames.entries()) {
				writer.write(bytes, timestamps[index]!);
			}

			assert.equal(writer.count, 3);
			writer.close();
			const {reader, records} = readAll(file);
			assert.equal(reader.header.precision, nanosecond ? 'nanosecond' : 'microsecond');
			assert.deepEqual(records.map(record => record.bytes), frames);
			const expected = nanosecond
				? timestamps
				: timestamps.map(({seconds, nanoseconds}) => ({seconds, nanoseconds: Math.floor(nanoseconds / 1000) * 1000}));
			assert.deepEqual(records.map(record => record.timestamp), expected);
		}
	});

	test('buffered: records reach the file on flush, when the buffer fills, and on close, whole and in order', () => {
		const file = temporaryPath();
		const writer = PcapWriter.open(file, {buffered: true});
		const header = fs.statSync(file).size;
		writer.write(frame(60, 1), {seconds: 1, nanoseconds: 0});
		assert.ok(writer.waiting);
		assert.equal(fs.statSync(file).size, header, 'nothing written before flush');
		writer.flush();
		assert.equal(writer.waiting, false);
		assert.equal(readAll(file).records.length, 1);
		// 400 frames of 1514 octets overflow the 256 KiB buffer: every write holds whole records.
		const frames = Array.from({length: 400}, (_, index) => frame(1514, index));
		for (const [index, bytes] of frames.entries()) {
			writer.write(bytes, {seconds: 2 + index, nanoseconds: 0});
			const {reader, records} = readAll(file);
			assert.equal(reader.problem, undefined, `after frame ${index}: ${reader.problem?.message}`);
			assert.ok(records.length <= index + 2);
		}

		// A frame bigger than the buffer goes out on its own, after what was waiting.
		const big = frame(300_000, 7);
		writer.write(big, {seconds: 999, nanoseconds: 0});
		writer.write(frame(70, 8), {seconds: 1000, nanoseconds: 0});
		writer.close();
		const {records} = readAll(file);
		assert.deepEqual(records.map(record => record.bytes), [frame(60, 1), ...frames, big.subarray(0, 262_144), frame(70, 8)]);
		assert.equal(writer.count, 403);
	});

	test('cuts frames to the snaplen and keeps their original length', () => {
		const file = temporaryPath();
		const writer = PcapWriter.open(file, {snaplen: 100});
		writer.write(frame(300, 9), {seconds: 1, nanoseconds: 0});
		writer.close();
		const {reader, records} = readAll(file);
		assert.equal(reader.header.snaplen, 100);
		assert.deepEqual(records[0]!.bytes, frame(300, 9).subarray(0, 100));
		assert.equal(records[0]!.originalLength, 300);
	});

	test('has each record in the file as soon as write returns', () => {
		const file = temporaryPath();
		const writer = PcapWriter.open(file);
		writer.write(frame(60, 1), {seconds: 1, nanoseconds: 0});
		// Read while the writer is still open: nothing may sit in a user-space buffer.
		assert.equal(fs.statSync(file).size, 24 + 16 + 60);
		writer.close();
		writer.close();
		assert.throws(() => writer.write(frame(60, 1), {seconds: 1, nanoseconds: 0}), /write after close/);
	});

	test('refuses timestamps a pcap file cannot hold', () => {
		const writer = PcapWriter.open(temporaryPath());
		assert.throws(() => writer.write(frame(60, 1), {seconds: -1, nanoseconds: 0}), RangeError);
		assert.throws(() => writer.write(frame(60, 1), {seconds: 1, nanoseconds: 1e9}), RangeError);
		writer.close();
	});

	const tcpdump = spawnSync('tcpdump', ['--version']);
	const tcpdumpMissing = tcpdump.error === undefined ? false : 'tcpdump is not installed';
	for (const nanosecond of [false, true]) {
		test(`writes ${nanosecond ? 'nanosecond' : 'microsecond'} files that tcpdump -r reads`, {skip: tcpdumpMissing}, () => {
			const file = temporaryPath();
			const writer = PcapWriter.open(file, {nanosecond, snaplen: 128});
			// EtherType 0x88b5 (IEEE 802 local experimental) so tcpdump dumps the bytes without opinions.
			const frames = [60, 200, 14].map((length, index) => {
				const bytes = frame(length, index);
				bytes[12] = 0x88;
				bytes[13] = 0xb5;
				return bytes;
			});
			const timestamps = [{seconds: 1_700_000_000, nanoseconds: 1}, {seconds: 1_700_000_001, nanoseconds: 500_000_999}, {seconds: 1_800_000_000, nanoseconds: 999_999_999}];
			for (const [index, bytes] of frames.entries()) {
				writer.write(bytes, timestamps[index]!);
			}

			writer.close();
			const result = spawnSync('tcpdump', [...(nanosecond ? ['--nano'] : []), '-tt', '-n', '-xx', '-r', file], {encoding: 'utf8'});
			assert.equal(result.status, 0, result.stderr);
			const packets: Array<{time: string; hex: string; length: string}> = [];
			for (const line of result.stdout.split('\n')) {
				const hexLine = /^\s+0x[\da-f]+:\s+(.*)$/.exec(line);
				if (hexLine) {
					packets.at(-1)!.hex += hexLine[1]!.replaceAll(' ', '');
				} else if (line !== '') {
					packets.push({time: line.split(' ')[0]!, hex: '', length: /length (\d+)/.exec(line)?.[1] ?? ''});
				}
			}

			const digits = nanosecond ? 9 : 6;
			assert.deepEqual(packets, frames.map((bytes, index) => ({
				time: `${timestamps[index]!.seconds}.${String(timestamps[index]!.nanoseconds).padStart(9, '0').slice(0, digits)}`,
				hex: Buffer.from(bytes.subarray(0, 128)).toString('hex'),
				length: String(bytes.length),
			})));
		});
	}
});
