import {badChecksum, ipv4HeaderChecksum, ipv4HeaderChecksumOk} from './checksum.js';
import {type Ipv4Address, type Ipv4Record, ipProtocols} from './records.js';
import {fault, type ParseResult, truncatedFault} from './result.js';

export const ipv4MinimumHeaderLength = 20;
const emptyBytes: Uint8Array = new Uint8Array(0);

export type Ipv4Parse = ParseResult<Ipv4Record, {
	/** The datagram's payload: cut at the total length (what follows is link padding) or at the capture's end. */
	readonly payload: Uint8Array;
	readonly payloadOffset: number;
	readonly checksumOk: boolean;
	/** The capture ends before the total length does. */
	readonly truncated: boolean;
}>;

export function readIpv4Address(bytes: Uint8Array, offset: number): Ipv4Address {
	return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

export function writeIpv4Address(buffer: Uint8Array, offset: number, address: Ipv4Address): void {
	buffer[offset] = address >>> 24;
	buffer[offset + 1] = address >>> 16;
	buffer[offset + 2] = address >>> 8;
	buffer[offset + 3] = address;
}

/** RFC 791 §3.1. Bytes past `end` are not looked at; a bad header checksum is reported, not rejected. */
export function parseIpv4Header(bytes: Uint8Array, offset = 0, end = bytes.length): Ipv4Parse {
	const available = end - offset;
	if (available < ipv4MinimumHeaderLength) {
		return truncatedFault('ipv4', 'header', available, ipv4MinimumHeaderLength);
	}

	const versionIhl = bytes[offset]!;
	const version = versionIhl >>> 4;
	if (version !== 4) {
		return fault('ipv4', 'version', `version ${version} (expected 4)`);
	}

	const ihl = versionIhl & 0x0f;
	if (ihl < 5) {
		return fault('ipv4', 'ihl', `IHL ${ihl} (< 5)`);
	}

	const headerLength = ihl * 4;
	const totalLength = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
	if (totalLength < headerLength) {
		return fault('ipv4', 'totalLength', `total length ${totalLength} is shorter than the ${headerLength}-byte header (IHL ${ihl})`);
	}

	if (available < headerLength) {
		return truncatedFault('ipv4', 'header', available, headerLength);
	}

	const flagsFragment = (bytes[offset + 6]! << 8) | bytes[offset + 7]!;
	const headerEnd = offset + headerLength;
	const truncated = totalLength > available;
	const payloadEnd = truncated ? end : offset + totalLength;
	const tos = bytes[offset + 1]!;
	return {
		ok: true,
		record: {
			headerLength,
			dscp: tos >>> 2,
			ecn: tos & 0x3,
			totalLength,
			identification: (bytes[offset + 4]! << 8) | bytes[offset + 5]!,
			reservedFlag: (flagsFragment & 0x80_00) !== 0,
			dontFragment: (flagsFragment & 0x40_00) !== 0,
			moreFragments: (flagsFragment & 0x20_00) !== 0,
			fragmentOffset: flagsFragment & 0x1f_ff,
			ttl: bytes[offset + 8]!,
			protocol: bytes[offset + 9]!,
			checksum: (bytes[offset + 10]! << 8) | bytes[offset + 11]!,
			source: readIpv4Address(bytes, offset + 12),
			destination: readIpv4Address(bytes, offset + 16),
			options: headerLength === ipv4MinimumHeaderLength ? emptyBytes : bytes.subarray(offset + ipv4MinimumHeaderLength, headerEnd),
		},
		payload: bytes.subarray(headerEnd, payloadEnd),
		payloadOffset: headerEnd,
		checksumOk: ipv4HeaderChecksumOk(bytes, offset, headerLength),
		truncated,
	};
}

/** An IPv4 header to emit: lengths and checksum are computed, everything else has a default. */
export type Ipv4Spec = Partial<Omit<Ipv4Record, 'headerLength' | 'totalLength' | 'checksum'>>
	& Pick<Ipv4Record, 'source' | 'destination'>
	& Partial<Pick<Ipv4Record, 'headerLength' | 'totalLength' | 'checksum'>>;

/** Deliberate breakage; each replaces the computed value. */
export type Ipv4Overrides = {
	/** The IHL field (header length in 32-bit words, 0 to 15), whatever the options' length. */
	readonly ihl?: number;
	readonly totalLength?: number;
	/** A fixed value, or 'bad': one that is guaranteed not to verify. */
	readonly checksum?: number | 'bad';
};

/** Options are padded with zeros (End of Option List) to a 32-bit boundary, as RFC 791 asks. */
export function ipv4HeaderBufferLength(spec: Pick<Ipv4Spec, 'options'>): number {
	const optionsLength = spec.options?.length ?? 0;
	return ipv4MinimumHeaderLength + ((optionsLength + 3) & ~3);
}

/**
 * Writes the header at `offset` for a payload of `payloadLength` bytes and returns the header's length.
 * The checksum covers the header bytes as written, so call it after nothing else touches them.
 */
export function emitIpv4Header(spec: Ipv4Spec, buffer: Uint8Array, offset: number, payloadLength: number, overrides: Ipv4Overrides = {}): number {
	const headerLength = ipv4HeaderBufferLength(spec);
	const ihl = overrides.ihl ?? headerLength / 4;
	const totalLength = overrides.totalLength ?? headerLength + payloadLength;
	const flagsFragment = (spec.reservedFlag ? 0x80_00 : 0)
		| ((spec.dontFragment ?? true) ? 0x40_00 : 0)
		| (spec.moreFragments ? 0x20_00 : 0)
		| ((spec.fragmentOffset ?? 0) & 0x1f_ff);
	buffer[offset] = 0x40 | (ihl & 0x0f);
	buffer[offset + 1] = (((spec.dscp ?? 0) & 0x3f) << 2) | ((spec.ecn ?? 0) & 0x3);
	buffer[offset + 2] = totalLength >>> 8;
	buffer[offset + 3] = totalLength;
	const identification = spec.identification ?? 0;
	buffer[offset + 4] = identification >>> 8;
	buffer[offset + 5] = identification;
	buffer[offset + 6] = flagsFragment >>> 8;
	buffer[offset + 7] = flagsFragment;
	buffer[offset + 8] = spec.ttl ?? 64;
	buffer[offset + 9] = spec.protocol ?? ipProtocols.tcp;
	buffer[offset + 10] = 0;
	buffer[offset + 11] = 0;
	writeIpv4Address(buffer, offset + 12, spec.source);
	writeIpv4Address(buffer, offset + 16, spec.destination);
	const optionsEnd = offset + ipv4MinimumHeaderLength;
	if (spec.options && spec.options.length > 0) {
		buffer.set(spec.options, optionsEnd);
		buffer.fill(0, optionsEnd + spec.options.length, offset + headerLength);
	}

	const correct = ipv4HeaderChecksum(buffer, offset, headerLength);
	const checksum = overrides.checksum === undefined
		? correct
		: (overrides.checksum === 'bad' ? badChecksum(correct) : overrides.checksum);
	buffer[offset + 10] = checksum >>> 8;
	buffer[offset + 11] = checksum;
	return headerLength;
}
