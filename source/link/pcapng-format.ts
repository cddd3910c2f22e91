// The pcapng capture file format (draft-ietf-opsawg-pcapng): blocks, read a chunk at a time. Only what a
// reader of Ethernet captures needs: Section Header, Interface Description (link type, if_tsresol,
// if_tsoffset), Enhanced and Simple Packet blocks and the obsolete Packet block; other blocks are skipped.
import type {Timestamp} from '../wire/timestamp.js';
import {linkTypeName, linkTypes, PcapFormatError} from './pcap-format.js';

export const blockTypes = {
	sectionHeader: 0x0a_0d_0d_0a,
	interfaceDescription: 1,
	packet: 2,
	simplePacket: 3,
	enhancedPacket: 6,
} as const;

const byteOrderMagic = 0x1a_2b_3c_4d;
const options = {end: 0, tsresol: 9, tsoffset: 14} as const;

export function isPcapng(head: Uint8Array): boolean {
	return head.length >= 4 && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false) === blockTypes.sectionHeader;
}

/** An interface as its description block says: what its packets are and how its clock counts. */
export type PcapngInterface = {
	readonly linkType: number;
	readonly snaplen: number;
	/** Timestamp units per second: 10^n or 2^n (if_tsresol; default 10^6). */
	readonly resolution: {readonly base: 10 | 2; readonly exponent: number};
	/** if_tsoffset: seconds added to every timestamp. */
	readonly offsetSeconds: bigint;
};

/** The byte order of a section, from its header block's byte-order magic (offset 8). */
export function sectionByteOrder(view: DataView, offset: number, label: string): boolean {
	if (view.getUint32(offset + 8, true) === byteOrderMagic) return true;
	if (view.getUint32(offset + 8, false) === byteOrderMagic) return false;
	throw new PcapFormatError(`${label}: a pcapng section header without its byte-order magic, at byte ${offset}`);
}

/** An Interface Description Block's body (after type and length). Non-Ethernet links are refused. */
export function parseInterface(view: DataView, body: number, bodyLength: number, littleEndian: boolean, label: string): PcapngInterface {
	const linkType = view.getUint16(body, littleEndian);
	if (linkType !== linkTypes.ethernet) {
		throw new PcapFormatError(`${label}: pcapng interface with link type ${linkType} (${linkTypeName(linkType)}) is not supported; synack reads Ethernet (link type 1) captures`);
	}

	const snaplen = view.getUint32(body + 4, littleEndian);
	let resolution: PcapngInterface['resolution'] = {base: 10, exponent: 6};
	let offsetSeconds = 0n;
	for (let at = body + 8; at + 4 <= body + bodyLength;) {
		const code = view.getUint16(at, littleEndian);
		const length = view.getUint16(at + 2, littleEndian);
		if (code === options.end) break;
		if (code === options.tsresol && length >= 1) {
			const value = view.getUint8(at + 4);
			// The high bit says the base: 0 for a power of ten, 1 for a power of two.
			resolution = value & 0x80 ? {base: 2, exponent: value & 0x7f} : {base: 10, exponent: value};
		} else if (code === options.tsoffset && length >= 8) {
			offsetSeconds = view.getBigInt64(at + 4, littleEndian);
		}

		at += 4 + Math.ceil(length / 4) * 4;
	}

	return {linkType, snaplen, resolution, offsetSeconds};
}

/** A 64-bit count of the interface's units since 1970 as seconds and nanoseconds. */
export function pcapngTimestamp(high: number, low: number, iface: PcapngInterface): Timestamp {
	const units = (BigInt(high) << 32n) | BigInt(low);
	const {base, exponent} = iface.resolution;
	let seconds: bigint;
	let nanoseconds: bigint;
	if (base === 10) {
		const perSecond = 10n ** BigInt(exponent);
		seconds = units / perSecond;
		const fraction = units % perSecond;
		nanoseconds = exponent <= 9 ? fraction * 10n ** BigInt(9 - exponent) : fraction / 10n ** BigInt(exponent - 9);
	} else {
		seconds = units >> BigInt(exponent);
		nanoseconds = ((units & ((1n << BigInt(exponent)) - 1n)) * 1_000_000_000n) >> BigInt(exponent);
	}

	return {seconds: Number(seconds + iface.offsetSeconds), nanoseconds: Number(nanoseconds)};
}
