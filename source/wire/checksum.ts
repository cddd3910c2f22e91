import type {Ipv4Address} from './records.js';

// RFC 1071 §2(B): the sum is byte-order independent, so native 32-bit words may be summed as they
// lie in memory and the folded result swapped back if this machine is little-endian.
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
// Below this, making a Uint32Array view costs more than it saves (headers, bare ACKs).
const wideFrom = 128;

/**
 * RFC 1071 §4.1: the one's complement sum of 16-bit big-endian words, left unfolded so that sums over
 * several ranges can be added before folding. An odd trailing byte is padded with a zero byte.
 */
export function sumWords(bytes: Uint8Array, start: number, end: number, initial = 0): number {
	let sum = initial;
	let index = start;
	const at = bytes.byteOffset + start;
	// Payloads: 32-bit words where the range starts on an even address (a frame's TCP segment does).
	if (end - start >= wideFrom && (at & 1) === 0) {
		if ((at & 2) !== 0) {
			sum += (bytes[index]! << 8) | bytes[index + 1]!;
			index += 2;
		}

		const count = (end - index) >>> 2;
		const words = new Uint32Array(bytes.buffer, bytes.byteOffset + index, count);
		// Whole 32-bit words, folded once at the end (2^32 = 1 modulo 2^16 - 1, RFC 1071 §2(B)); a
		// double holds 2^21 of them exactly. Two sums let the additions overlap.
		let even = 0;
		let odd = 0;
		let i = 0;
		for (; i + 1 < count; i += 2) {
			even += words[i]!;
			odd += words[i + 1]!;
		}

		if (i < count) even += words[i]!;
		const folded = foldSum(even + odd);
		sum += littleEndian ? ((folded & 0xff) << 8) | (folded >>> 8) : folded;
		index += count * 4;
	}

	const pairsEnd = end - ((end - index) & 1);
	// Four bytes a turn: fewer loop checks, and 2^53 leaves room for any IPv4 datagram.
	const quadsEnd = pairsEnd - ((pairsEnd - index) & 3);
	while (index < quadsEnd) {
		sum += ((bytes[index]! << 8) | bytes[index + 1]!) + ((bytes[index + 2]! << 8) | bytes[index + 3]!);
		index += 4;
	}

	if (index < pairsEnd) {
		sum += (bytes[index]! << 8) | bytes[index + 1]!;
		index += 2;
	}

	if (index < end) {
		sum += bytes[index]! << 8;
	}

	return sum;
}

/** Folds the carries back in (end-around carry), giving a 16-bit one's complement sum. */
export function foldSum(sum: number): number {
	let folded = sum;
	while (folded > 0xff_ff) {
		folded = (folded % 0x1_00_00) + Math.floor(folded / 0x1_00_00);
	}

	return folded;
}

/** The internet checksum of a byte range: the complement of its folded sum. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
	return ~foldSum(sumWords(bytes, start, end)) & 0xff_ff;
}

/** RFC 9293 §3.1: the pseudo-header is source, destination, zero + protocol, and the TCP length. */
export function pseudoHeaderSum(source: Ipv4Address, destination: Ipv4Address, protocol: number, length: number): number {
	return (source >>> 16) + (source & 0xff_ff) + (destination >>> 16) + (destination & 0xff_ff) + protocol + length;
}

const readWord = (bytes: Uint8Array, offset: number): number => (bytes[offset]! << 8) | bytes[offset + 1]!;

/** The checksum an IPv4 header should carry (the checksum field at offset 10 counts as zero). */
export function ipv4HeaderChecksum(bytes: Uint8Array, offset: number, headerLength: number): number {
	const sum = sumWords(bytes, offset, offset + headerLength) - readWord(bytes, offset + 10);
	return ~foldSum(sum) & 0xff_ff;
}

/** True when the header, checksum field included, sums to all ones (RFC 1071 §1 step 3). */
export function ipv4HeaderChecksumOk(bytes: Uint8Array, offset: number, headerLength: number): boolean {
	return foldSum(sumWords(bytes, offset, offset + headerLength)) === 0xff_ff;
}

/** The checksum a TCP segment should carry (the checksum field at offset 16 counts as zero). */
export function tcpChecksum(bytes: Uint8Array, offset: number, length: number, source: Ipv4Address, destination: Ipv4Address): number {
	const sum = sumWords(bytes, offset, offset + length, pseudoHeaderSum(source, destination, 6, length)) - readWord(bytes, offset + 16);
	return ~foldSum(sum) & 0xff_ff;
}

export function tcpChecksumOk(bytes: Uint8Array, offset: number, length: number, source: Ipv4Address, destination: Ipv4Address): boolean {
	return foldSum(sumWords(bytes, offset, offset + length, pseudoHeaderSum(source, destination, 6, length))) === 0xff_ff;
}

/**
 * A checksum that can never verify: the right one with its low bit flipped. Flipping one bit changes
 * the value by exactly 1, so it can never land on the other one's complement zero (0x0000 vs 0xffff).
 */
export function badChecksum(correct: number): number {
	return (correct ^ 1) & 0xff_ff;
}
