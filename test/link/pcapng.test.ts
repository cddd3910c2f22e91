// pcapng read by PcapReader: files built here block by block from draft-ietf-opsawg-pcapng (both byte
// orders, if_tsresol in powers of ten and two, several interfaces and sections, simple packets,
// blocks to skip), and one written by a real tool (Wireshark's editcap) from a tcpdump capture.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {PcapFormatError, PcapReader, type PcapRecord} from '../../source/link/pcap-file.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {tcpFlags} from '../../source/wire/records.js';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-pcapng-'));
after(() => fs.rmSync(directory, {recursive: true, force: true}));
let count = 0;
const write = (bytes: Uint8Array) => {
	const file = path.join(directory, `${count++}.pcapng`);
	fs.writeFileSync(file, bytes);
	return file;
};

const fixtures = new URL('../fixtures/', import.meta.url).pathname;

type Order = {littleEndian: boolean};

/** type, total length, body padded to 32 bits, total length again. */
function block(type: number, body: Uint8Array, {littleEndian}: Order): Uint8Array {
	const padded = Math.ceil(body.length / 4) * 4;
	const bytes = new Uint8Array(12 + padded);
	const view = new DataView(bytes.buffer);
	view.setUint32(0, type, littleEndian);
	view.setUint32(4, bytes.length, littleEndian);
	bytes.set(body, 8);
	view.setUint32(8 + padded, bytes.length, littleEndian);
	return bytes;
}

function fields(layout: Array<[size: 1 | 2 | 4 | 8, value: number | bigint] | Uint8Array>, {littleEndian}: Order): Uint8Array {
	const parts = layout.map(part => {
		if (part instanceof Uint8Array) {
			const padded = new Uint8Array(Math.ceil(part.length / 4) * 4);
			padded.set(part);
			return padded;
		}

		const [size, value] = part;
		const bytes = new Uint8Array(size);
		const view = new DataView(bytes.buffer);
		if (size === 1) view.setUint8(0, Number(value));
		else if (size === 2) view.setUint16(0, Number(value), littleEndian);
		else if (size === 4) view.setUint32(0, Number(value), littleEndian);
		else view.setBigInt64(0, BigInt(value), littleEndian);
		return bytes;
	});
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}

	return out;
}

const section = (order: Order) => block(0x0a_0d_0d_0a, fields([[4, 0x1a_2b_3c_4d], [2, 1], [2, 0], [8, -1n]], order), order);

/** An Interface Description Block; tsresol is the if_tsresol byte (9: nanoseconds; 0x8a: 2^-10 s). */
function iface(order: Order, {linkType = 1, snaplen = 262_144, tsresol, tsoffset}: {linkType?: number; snaplen?: number; tsresol?: number; tsoffset?: number} = {}): Uint8Array {
	const options: Array<[1 | 2 | 4 | 8, number | bigint] | Uint8Array> = [];
	if (tsresol !== undefined) options.push([2, 9], [2, 1], [1, tsresol], [1, 0], [2, 0]);
	if (tsoffset !== undefined) options.push([2, 14], [2, 8], [8, BigInt(tsoffset)]);
	if (options.length > 0) options.push([2, 0], [2, 0]);
	return block(1, fields([[2, linkType], [2, 0], [4, snaplen], ...options], order), order);
}

function enhanced(order: Order, interfaceId: number, units: bigint, data: Uint8Array, originalLength = data.length): Uint8Array {
	return block(6, fields([[4, interfaceId], [4, Number(units >> 32n)], [4, Number(units & 0xff_ff_ff_ffn)], [4, data.length], [4, originalLength], data], order), order);
}

const simple = (order: Order, data: Uint8Array, originalLength = data.length) => block(3, fields([[4, originalLength], data], order), order);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap(part => [...part]));

const frame = (seq: number, payload = 0) => tcpFrame({sourceMac: 1, destinationMac: 2, source: 0xc6_12_00_0a, destination: 0xc6_12_00_02, sourcePort: 40_000, destinationPort: 80, seq, ack: 0, flags: tcpFlags.SYN, payload: new Uint8Array(payload)});

function readAll(file: string): {records: PcapRecord[]; reader: PcapReader} {
	const reader = PcapReader.open(file);
	return {records: [...reader.records()], reader};
}

describe('pcapng, built block by block', () => {
	for (const littleEndian of [true, false]) {
		test(`${littleEndian ? 'little' : 'big'}-endian: enhanced packets in microseconds (the default); name resolution and statistics blocks skipped`, () => {
			const order = {littleEndian};
			const nameResolution = block(4, fields([[2, 0], [2, 0]], order), order);
			const statistics = block(5, fields([[4, 0], [4, 0], [4, 0]], order), order);
			const file = write(concat(section(order), iface(order), enhanced(order, 0, 1_700_000_000_123_456n, frame(1)), nameResolution, enhanced(order, 0, 1_700_000_001_000_001n, frame(2, 10)), statistics));
			const {records, reader} = readAll(file);
			assert.equal(reader.problem, undefined);
			assert.equal(records.length, 2);
			assert.deepEqual(records[0]!.bytes, frame(1));
			assert.deepEqual(records[1]!.bytes, frame(2, 10));
			assert.deepEqual(records.map(record => record.timestamp), [{seconds: 1_700_000_000, nanoseconds: 123_456_000}, {seconds: 1_700_000_001, nanoseconds: 1000}]);
			assert.deepEqual(records.map(record => record.index), [0, 1]);
		});
	}

	test('each interface keeps its own if_tsresol (nanoseconds; 2^-10 s) and if_tsoffset', () => {
		const order = {littleEndian: true};
		const file = write(concat(section(order), iface(order, {tsresol: 9}), iface(order, {tsresol: 0x8a, tsoffset: 100}), enhanced(order, 0, 1_700_000_000_000_000_123n, frame(1)), enhanced(order, 1, (5n << 10n) + 512n, frame(2))));
		const {records} = readAll(file);
		assert.deepEqual(records[0]!.timestamp, {seconds: 1_700_000_000, nanoseconds: 123});
		assert.deepEqual(records[1]!.timestamp, {seconds: 105, nanoseconds: 500_000_000});
	});

	test('a simple packet block: its length from the block, cut to the interface\'s snaplen; the previous time', () => {
		const order = {littleEndian: false};
		const file = write(concat(section(order), iface(order, {snaplen: 40}), enhanced(order, 0, 2_000_000n, frame(1)), simple(order, frame(2).subarray(0, 40), frame(2).length)));
		const {records} = readAll(file);
		assert.equal(records[1]!.capturedLength, 40);
		assert.equal(records[1]!.originalLength, frame(2).length);
		assert.deepEqual(records[1]!.bytes, frame(2).subarray(0, 40));
		assert.deepEqual(records[1]!.timestamp, {seconds: 2, nanoseconds: 0});
	});

	test('a second section, in the other byte order, with interfaces of its own', () => {
		const le = {littleEndian: true};
		const be = {littleEndian: false};
		const file = write(concat(section(le), iface(le), enhanced(le, 0, 1_000_000n, frame(1)), section(be), iface(be, {tsresol: 3}), enhanced(be, 0, 2500n, frame(2))));
		const {records, reader} = readAll(file);
		assert.equal(reader.problem, undefined);
		assert.deepEqual(records.map(record => record.timestamp), [{seconds: 1, nanoseconds: 0}, {seconds: 2, nanoseconds: 500_000_000}]);
	});

	test('a capture of another link type is a one-line PcapFormatError when opened', () => {
		const order = {littleEndian: true};
		const file = write(concat(section(order), iface(order, {linkType: 113}), enhanced(order, 0, 1n, frame(1))));
		assert.throws(() => PcapReader.open(file), (error: unknown) => error instanceof PcapFormatError && /link type 113 \(Linux cooked capture\) is not supported/.test(error.message) && !error.message.includes('\n'));
	});

	test('a file cut inside a packet: what came before is read, then the problem says where', () => {
		const order = {littleEndian: true};
		const whole = concat(section(order), iface(order), enhanced(order, 0, 1n, frame(1)), enhanced(order, 0, 2n, frame(2)));
		const {records, reader} = readAll(write(whole.subarray(0, whole.length - 10)));
		assert.equal(records.length, 1);
		assert.equal(reader.problem?.kind, 'truncated');
		assert.match(reader.problem!.message, /the file ends inside a pcapng block/);
	});

	test('a packet on an interface never described stops reading as corrupt', () => {
		const order = {littleEndian: true};
		const {records, reader} = readAll(write(concat(section(order), iface(order), enhanced(order, 3, 1n, frame(1)))));
		assert.equal(records.length, 0);
		assert.equal(reader.problem?.kind, 'corrupt');
	});
});

describe('pcapng written by a real tool', () => {
	test('editcap -F pcapng of tcpdump\'s lab-session capture holds the same frames and times', () => {
		const classic = readAll(path.join(fixtures, 'lab-session.pcap')).records;
		const {records, reader} = readAll(path.join(fixtures, 'lab-session.pcapng'));
		assert.equal(reader.problem, undefined);
		assert.equal(records.length, 16);
		assert.deepEqual(records.map(({timestamp, bytes, originalLength}) => ({timestamp, bytes, originalLength})), classic.map(({timestamp, bytes, originalLength}) => ({timestamp, bytes, originalLength})));
	});
});
