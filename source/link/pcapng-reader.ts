import type {Timestamp} from '../wire/timestamp.js';
import {ChunkedFile} from './chunked-file.js';
import {maximumSnaplen, PcapFormatError} from './pcap-format.js';
import type {PcapProblem, PcapRecord} from './pcap-file.js';
import {blockTypes, parseInterface, type PcapngInterface, pcapngTimestamp, sectionByteOrder} from './pcapng-format.js';

type Stop = (kind: PcapProblem['kind'], index: number, offset: number, detail: string) => void;

/** Largest block believed: a packet of the largest snaplen, its header and options, with room to spare. */
const maximumBlock = maximumSnaplen + 64 * 1024;

/**
 * The packets of a pcapng file, in file order, as pcap records. Damage (a file cut short, a block
 * length that makes no sense) stops reading through `stop`, as the classic reader does; a non-Ethernet
 * interface throws PcapFormatError.
 */
export function * pcapngRecords(file: ChunkedFile, label: string, stop: Stop): Generator<PcapRecord, void, undefined> {
	let littleEndian = true;
	let interfaces: PcapngInterface[] = [];
	let index = 0;
	let last: Timestamp = {seconds: 0, nanoseconds: 0};
	for (;;) {
		const offset = file.offset;
		if (!file.ensure(12)) {
			if (file.available > 0) stop('truncated', index, offset, `the file ends inside a block header (${file.available} of 12 bytes)`);
			return;
		}

		const at = file.start;
		const type = file.view.getUint32(at, littleEndian);
		if (file.view.getUint32(at, false) === blockTypes.sectionHeader) {
			// A new section: its own byte order and its own interfaces.
			littleEndian = sectionByteOrder(file.view, at, label);
			interfaces = [];
		}

		const length = file.view.getUint32(at + 4, littleEndian);
		if (length < 12 || length % 4 !== 0 || length > maximumBlock) {
			stop('corrupt', index, offset, `a pcapng block of type ${type} claims ${length} bytes`);
			return;
		}

		if (!file.ensure(length)) {
			stop('truncated', index, offset, `the file ends inside a pcapng block (${file.available} of ${length} bytes)`);
			return;
		}

		const {view} = file;
		const body = file.start + 8;
		const bodyLength = length - 12;
		let packet: {iface: PcapngInterface | undefined; timestamp: Timestamp | undefined; captured: number; original: number; data: number} | undefined;
		if (type === blockTypes.interfaceDescription && bodyLength >= 8) {
			interfaces.push(parseInterface(view, body, bodyLength, littleEndian, label));
		} else if (type === blockTypes.enhancedPacket && bodyLength >= 20) {
			const iface = interfaces[view.getUint32(body, littleEndian)];
			packet = {iface, timestamp: iface && pcapngTimestamp(view.getUint32(body + 4, littleEndian), view.getUint32(body + 8, littleEndian), iface), captured: view.getUint32(body + 12, littleEndian), original: view.getUint32(body + 16, littleEndian), data: body + 20};
		} else if (type === blockTypes.packet && bodyLength >= 20) {
			const iface = interfaces[view.getUint16(body, littleEndian)];
			packet = {iface, timestamp: iface && pcapngTimestamp(view.getUint32(body + 4, littleEndian), view.getUint32(body + 8, littleEndian), iface), captured: view.getUint32(body + 12, littleEndian), original: view.getUint32(body + 16, littleEndian), data: body + 20};
		} else if (type === blockTypes.simplePacket && bodyLength >= 4) {
			// No timestamp and no captured length: the packet is what fits in the block, up to interface 0's snaplen.
			const iface = interfaces[0];
			const original = view.getUint32(body, littleEndian);
			const room = bodyLength - 4;
			const captured = Math.min(original, room, iface && iface.snaplen > 0 ? iface.snaplen : room);
			packet = {iface, timestamp: last, captured, original, data: body + 4};
		}

		if (packet) {
			if (!packet.iface) {
				stop('corrupt', index, offset, `packet ${index + 1} names an interface the file never described`);
				return;
			}

			if (packet.data + packet.captured > file.start + length - 4) {
				stop('corrupt', index, offset, `packet ${index + 1} claims ${packet.captured} captured bytes, more than its block holds`);
				return;
			}

			last = packet.timestamp ?? last;
			const bytes = file.bytes.slice(packet.data, packet.data + packet.captured);
			file.consume(length);
			yield {index, timestamp: last, capturedLength: packet.captured, originalLength: packet.original, bytes};
			index++;
			continue;
		}

		// Statistics, name resolution, custom and unknown blocks: nothing a frame needs.
		file.consume(length);
	}
}

/**
 * Checks, before any packet is read, that the file starts with a section header and that its first
 * interface (normally the next block) is Ethernet: a capture synack cannot show is a one-line error at
 * once. Consumes nothing. Returns the first interface's snaplen (0 when not seen yet).
 */
export function checkPcapng(file: ChunkedFile, label: string): {littleEndian: boolean; snaplen: number} {
	if (!file.ensure(12)) throw new PcapFormatError(`${label}: truncated pcapng section header (${file.available} bytes)`);
	const littleEndian = sectionByteOrder(file.view, file.start, label);
	const length = file.view.getUint32(file.start + 4, littleEndian);
	if (length < 28 || length % 4 !== 0 || length > maximumBlock) throw new PcapFormatError(`${label}: a pcapng section header that claims ${length} bytes`);
	if (!file.ensure(length)) throw new PcapFormatError(`${label}: truncated pcapng section header (${file.available} of ${length} bytes)`);
	if (!file.ensure(length + 12)) return {littleEndian, snaplen: 0};
	const next = file.start + length;
	const nextLength = file.view.getUint32(next + 4, littleEndian);
	if (file.view.getUint32(next, littleEndian) !== blockTypes.interfaceDescription || nextLength < 20 || nextLength > maximumBlock || !file.ensure(length + nextLength)) return {littleEndian, snaplen: 0};
	const iface = parseInterface(file.view, file.start + length + 8, nextLength - 12, littleEndian, label);
	return {littleEndian, snaplen: iface.snaplen};
}
