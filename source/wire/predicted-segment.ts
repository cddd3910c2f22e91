import {ipv4HeaderChecksumOk, tcpChecksumOk} from './checksum.js';

/**
 * The fields of a frame that header prediction looks at (Van Jacobson's "TCP header prediction",
 * the common case RFC 9293 §3.10.7.4's steps reduce to for a bulk transfer), read where they lie.
 * One object is filled again for each frame, so that the frames of a transfer make no records.
 */
export type PredictedSegment = {
	source: number;
	destination: number;
	sourcePort: number;
	destinationPort: number;
	seq: number;
	ack: number;
	/** The window field as sent (not scaled). */
	window: number;
	/** The timestamps option's TSval, or -1 when the segment has none (RFC 7323 §3). */
	tsValue: number;
	/** The payload: `bytes[payloadStart, payloadEnd)`, never empty. */
	payloadStart: number;
	payloadEnd: number;
};

export function blankPrediction(): PredictedSegment {
	return {source: 0, destination: 0, sourcePort: 0, destinationPort: 0, seq: 0, ack: 0, window: 0, tsValue: -1, payloadStart: 0, payloadEnd: 0};
}

const ethernetLength = 14;
const ipv4Start = ethernetLength;
const tcpStart = ipv4Start + 20;

/**
 * Fills `out` and returns true when `bytes` is the shape nearly every frame of a bulk transfer has:
 * Ethernet II, IPv4 without options or fragmentation, both checksums right, TCP with ACK (and maybe
 * PSH) and no other flag, no option but the timestamps in the layout Linux sends (NOP, NOP, TS), and
 * data. Anything else returns false, and is decoded in full (`decodeFrame`); so does a frame whose
 * checksum is wrong, so that the full path names it.
 */
export function predictSegment(bytes: Uint8Array, out: PredictedSegment): boolean {
	const length = bytes.length;
	if (length < tcpStart + 21 || bytes[12] !== 0x08 || bytes[13] !== 0x00 || bytes[ipv4Start] !== 0x45) return false;
	const total = (bytes[ipv4Start + 2]! << 8) | bytes[ipv4Start + 3]!;
	const ipEnd = ipv4Start + total;
	// RFC 791 §3.1: MF clear and fragment offset 0 (DF may be set), protocol 6.
	if (ipEnd > length || ((bytes[ipv4Start + 6]! & 0x3f) | bytes[ipv4Start + 7]!) !== 0 || bytes[ipv4Start + 9] !== 6) return false;
	const dataOffset = bytes[tcpStart + 12]!;
	const flags = bytes[tcpStart + 13]!;
	// Data offset 5 or 8 with the reserved bits and AE clear; ACK, or ACK and PSH.
	if ((dataOffset !== 0x50 && dataOffset !== 0x80) || (flags !== 0x10 && flags !== 0x18)) return false;
	const headerLength = dataOffset >>> 2;
	const payloadStart = tcpStart + headerLength;
	if (payloadStart >= ipEnd) return false;
	let tsValue = -1;
	if (headerLength === 32) {
		if (bytes[tcpStart + 20] !== 1 || bytes[tcpStart + 21] !== 1 || bytes[tcpStart + 22] !== 8 || bytes[tcpStart + 23] !== 10) return false;
		tsValue = ((bytes[tcpStart + 24]! << 24) | (bytes[tcpStart + 25]! << 16) | (bytes[tcpStart + 26]! << 8) | bytes[tcpStart + 27]!) >>> 0;
	}

	const source = ((bytes[ipv4Start + 12]! << 24) | (bytes[ipv4Start + 13]! << 16) | (bytes[ipv4Start + 14]! << 8) | bytes[ipv4Start + 15]!) >>> 0;
	const destination = ((bytes[ipv4Start + 16]! << 24) | (bytes[ipv4Start + 17]! << 16) | (bytes[ipv4Start + 18]! << 8) | bytes[ipv4Start + 19]!) >>> 0;
	if (!ipv4HeaderChecksumOk(bytes, ipv4Start, 20) || !tcpChecksumOk(bytes, tcpStart, total - 20, source, destination)) return false;
	out.source = source;
	out.destination = destination;
	out.sourcePort = (bytes[tcpStart]! << 8) | bytes[tcpStart + 1]!;
	out.destinationPort = (bytes[tcpStart + 2]! << 8) | bytes[tcpStart + 3]!;
	out.seq = ((bytes[tcpStart + 4]! << 24) | (bytes[tcpStart + 5]! << 16) | (bytes[tcpStart + 6]! << 8) | bytes[tcpStart + 7]!) >>> 0;
	out.ack = ((bytes[tcpStart + 8]! << 24) | (bytes[tcpStart + 9]! << 16) | (bytes[tcpStart + 10]! << 8) | bytes[tcpStart + 11]!) >>> 0;
	out.window = (bytes[tcpStart + 14]! << 8) | bytes[tcpStart + 15]!;
	out.tsValue = tsValue;
	out.payloadStart = payloadStart;
	out.payloadEnd = ipEnd;
	return true;
}
