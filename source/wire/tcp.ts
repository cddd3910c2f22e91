import {badChecksum, tcpChecksum, tcpChecksumOk} from './checksum.js';
import type {Ipv4Address, TcpOption, TcpRecord} from './records.js';
import {fault, type ParseResult, truncatedFault} from './result.js';
import {emitTcpOptions, parseTcpOptions, tcpOptionsLength} from './tcp-options.js';

export const tcpMinimumHeaderLength = 20;
export const defaultWindow = 64_240;
const emptyBytes: Uint8Array = new Uint8Array(0);
const noOptions: readonly TcpOption[] = Object.freeze([]);

export type TcpContext = {
	/** The pseudo-header addresses (RFC 9293 §3.1); the checksum is verified only when they are given. */
	readonly source?: Ipv4Address;
	readonly destination?: Ipv4Address;
	/**
	 * False when the bytes up to `end` are not the whole segment (the capture or a fragment ends early):
	 * the checksum is then not checked, and a header running past `end` is reported as truncated.
	 */
	readonly complete?: boolean;
};

export type TcpParse = ParseResult<TcpRecord, {
	/** Undefined when it could not be checked (no addresses, or an incomplete segment). */
	readonly checksumOk: boolean | undefined;
}>;

/** RFC 9293 §3.1: the segment lies in `bytes` from `offset` to `end`. */
export function parseTcp(bytes: Uint8Array, offset = 0, end = bytes.length, context: TcpContext = {}): TcpParse {
	const available = end - offset;
	const complete = context.complete ?? true;
	if (available < tcpMinimumHeaderLength) {
		return complete
			? fault('tcp', 'header', `segment of ${Math.max(0, available)} bytes is shorter than the 20-byte header`)
			: truncatedFault('tcp', 'header', available, tcpMinimumHeaderLength);
	}

	const offsetFlags = (bytes[offset + 12]! << 8) | bytes[offset + 13]!;
	const dataOffset = offsetFlags >>> 12;
	if (dataOffset < 5) {
		return fault('tcp', 'dataOffset', `data offset ${dataOffset} (< 5)`);
	}

	const headerLength = dataOffset * 4;
	if (headerLength > available) {
		return complete
			? fault('tcp', 'dataOffset', `data offset ${dataOffset} (${headerLength} bytes) runs past the ${available}-byte segment`)
			: truncatedFault('tcp', 'header', available, headerLength);
	}

	const headerEnd = offset + headerLength;
	let options = noOptions;
	let optionPadding = emptyBytes;
	if (headerLength > tcpMinimumHeaderLength) {
		const parsed = parseTcpOptions(bytes, offset + tcpMinimumHeaderLength, headerEnd);
		if (!parsed.ok) {
			return parsed;
		}

		options = parsed.record;
		optionPadding = parsed.padding;
	}

	const {source, destination} = context;
	const checksumOk = complete && source !== undefined && destination !== undefined
		? tcpChecksumOk(bytes, offset, available, source, destination)
		: undefined;
	return {
		ok: true,
		record: {
			sourcePort: (bytes[offset]! << 8) | bytes[offset + 1]!,
			destinationPort: (bytes[offset + 2]! << 8) | bytes[offset + 3]!,
			seq: ((bytes[offset + 4]! << 24) | (bytes[offset + 5]! << 16) | (bytes[offset + 6]! << 8) | bytes[offset + 7]!) >>> 0,
			ack: ((bytes[offset + 8]! << 24) | (bytes[offset + 9]! << 16) | (bytes[offset + 10]! << 8) | bytes[offset + 11]!) >>> 0,
			headerLength,
			flags: offsetFlags & 0x01_ff,
			reserved: (offsetFlags >>> 9) & 0x7,
			window: (bytes[offset + 14]! << 8) | bytes[offset + 15]!,
			checksum: (bytes[offset + 16]! << 8) | bytes[offset + 17]!,
			urgentPointer: (bytes[offset + 18]! << 8) | bytes[offset + 19]!,
			options,
			optionPadding,
			payload: bytes.subarray(headerEnd, end),
		},
		checksumOk,
	};
}

/** A TCP segment to emit: header length and checksum are computed, the rest defaults to zero/empty. */
export type TcpSpec = Partial<Omit<TcpRecord, 'sourcePort' | 'destinationPort'>> & Pick<TcpRecord, 'sourcePort' | 'destinationPort'>;

/** Deliberate breakage; each replaces the computed or given value. */
export type TcpOverrides = {
	/** The data offset field (header length in 32-bit words, 0 to 15), whatever the options' length. */
	readonly dataOffset?: number;
	/** The 12 bits after the data offset: 3 reserved bits then the 9 flags (AE ... FIN). */
	readonly flagsWord?: number;
	/** Option bytes written instead of the encoded options and padding (then zero-padded to 32 bits). */
	readonly optionBytes?: Uint8Array;
	/** A fixed value, or 'bad': one that is guaranteed not to verify. */
	readonly checksum?: number | 'bad';
};

function optionAreaLength(spec: TcpSpec, overrides: TcpOverrides): number {
	return overrides.optionBytes
		? overrides.optionBytes.length
		: tcpOptionsLength(spec.options ?? noOptions) + (spec.optionPadding?.length ?? 0);
}

/** Header length as emitted: options (and padding) rounded up to 32 bits with zeros, RFC 9293 §3.1. */
export function tcpHeaderBufferLength(spec: TcpSpec, overrides: TcpOverrides = {}): number {
	return tcpMinimumHeaderLength + ((optionAreaLength(spec, overrides) + 3) & ~3);
}

export function tcpBufferLength(spec: TcpSpec, overrides: TcpOverrides = {}): number {
	return tcpHeaderBufferLength(spec, overrides) + (spec.payload?.length ?? 0);
}

function writeU32(buffer: Uint8Array, offset: number, value: number): void {
	buffer[offset] = value >>> 24;
	buffer[offset + 1] = value >>> 16;
	buffer[offset + 2] = value >>> 8;
	buffer[offset + 3] = value;
}

/**
 * Writes header and payload at `offset` and returns the segment's length. The checksum uses the
 * pseudo-header of `source` and `destination` over the bytes written.
 */
export function emitTcp(
	spec: TcpSpec,
	buffer: Uint8Array,
	offset: number,
	pseudoHeader: {readonly source: Ipv4Address; readonly destination: Ipv4Address},
	overrides: TcpOverrides = {},
): number {
	const headerLength = tcpHeaderBufferLength(spec, overrides);
	const payload = spec.payload ?? emptyBytes;
	const length = headerLength + payload.length;
	const dataOffset = overrides.dataOffset ?? headerLength / 4;
	const flagsWord = overrides.flagsWord ?? ((((spec.reserved ?? 0) & 0x7) << 9) | ((spec.flags ?? 0) & 0x01_ff));
	const sourcePort = spec.sourcePort;
	const destinationPort = spec.destinationPort;
	buffer[offset] = sourcePort >>> 8;
	buffer[offset + 1] = sourcePort;
	buffer[offset + 2] = destinationPort >>> 8;
	buffer[offset + 3] = destinationPort;
	writeU32(buffer, offset + 4, spec.seq ?? 0);
	writeU32(buffer, offset + 8, spec.ack ?? 0);
	buffer[offset + 12] = ((dataOffset & 0x0f) << 4) | ((flagsWord >>> 8) & 0x0f);
	buffer[offset + 13] = flagsWord;
	const window = spec.window ?? defaultWindow;
	buffer[offset + 14] = window >>> 8;
	buffer[offset + 15] = window;
	buffer[offset + 16] = 0;
	buffer[offset + 17] = 0;
	const urgentPointer = spec.urgentPointer ?? 0;
	buffer[offset + 18] = urgentPointer >>> 8;
	buffer[offset + 19] = urgentPointer;
	let at = offset + tcpMinimumHeaderLength;
	if (overrides.optionBytes) {
		buffer.set(overrides.optionBytes, at);
		at += overrides.optionBytes.length;
	} else {
		at += emitTcpOptions(spec.options ?? noOptions, buffer, at);
		if (spec.optionPadding && spec.optionPadding.length > 0) {
			buffer.set(spec.optionPadding, at);
			at += spec.optionPadding.length;
		}
	}

	const headerEnd = offset + headerLength;
	if (at < headerEnd) {
		buffer.fill(0, at, headerEnd);
	}

	buffer.set(payload, headerEnd);
	const correct = tcpChecksum(buffer, offset, length, pseudoHeader.source, pseudoHeader.destination);
	const checksum = overrides.checksum === undefined
		? correct
		: (overrides.checksum === 'bad' ? badChecksum(correct) : overrides.checksum);
	buffer[offset + 16] = checksum >>> 8;
	buffer[offset + 17] = checksum;
	return length;
}
