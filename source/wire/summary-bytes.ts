// Byte access with tcpdump's truncation semantics: reading past the captured bytes abandons the
// line, and the printer ends it with ` [|protocol]` (netdissect's nd_print_trunc after a longjmp).

/** Thrown by the readers below; caught once per line by the top-level printer. */
export class Truncation {
	constructor(readonly protocol: string, readonly suffix = '') {}
}

export function u8(bytes: Uint8Array, at: number, protocol: string): number {
	if (at >= bytes.length) {
		throw new Truncation(protocol);
	}

	return bytes[at]!;
}

export function u16(bytes: Uint8Array, at: number, protocol: string): number {
	if (at + 2 > bytes.length) {
		throw new Truncation(protocol);
	}

	return (bytes[at]! << 8) | bytes[at + 1]!;
}

export function u32(bytes: Uint8Array, at: number, protocol: string): number {
	if (at + 4 > bytes.length) {
		throw new Truncation(protocol);
	}

	return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

export const hex2 = (value: number): string => value.toString(16).padStart(2, '0');
export const hex4 = (value: number): string => value.toString(16).padStart(4, '0');

export function hexBytes(bytes: Uint8Array, start: number, end: number): string {
	let text = '';
	for (let at = start; at < end; at++) {
		text += hex2(bytes[at]!);
	}

	return text;
}

/** IPv4 in dotted quad from 4 bytes. */
export function ipv4At(bytes: Uint8Array, at: number, protocol: string): string {
	const value = u32(bytes, at, protocol);
	return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** RFC 5952 text, as glibc's inet_ntop writes it (the longest run of two or more zero groups is `::`). */
export function ipv6At(bytes: Uint8Array, at: number, protocol: string): string {
	const groups: number[] = [];
	for (let index = 0; index < 8; index++) {
		groups.push(u16(bytes, at + (index * 2), protocol));
	}

	let bestStart = -1;
	let bestLength = 0;
	for (let index = 0; index < 8;) {
		if (groups[index] !== 0) {
			index++;
			continue;
		}

		let end = index;
		while (end < 8 && groups[end] === 0) {
			end++;
		}

		if (end - index > bestLength) {
			bestStart = index;
			bestLength = end - index;
		}

		index = end;
	}

	const text = (list: number[]): string => list.map(group => group.toString(16)).join(':');
	if (bestLength < 2) {
		return text(groups);
	}

	// RFC 4291 §2.5.5.2: an IPv4-mapped address keeps its dotted quad, as inet_ntop writes it.
	if (bestStart === 0 && (bestLength === 6 || (bestLength === 5 && groups[5] === 0xff_ff))) {
		const prefix = bestLength === 5 ? '::ffff:' : '::';
		return `${prefix}${groups[6]! >>> 8}.${groups[6]! & 0xff}.${groups[7]! >>> 8}.${groups[7]! & 0xff}`;
	}

	return `${text(groups.slice(0, bestStart))}::${text(groups.slice(bestStart + bestLength))}`;
}

export const isPrint = (byte: number): boolean => byte >= 0x20 && byte <= 0x7e;
