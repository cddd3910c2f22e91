// The classic libpcap capture file format: draft-ietf-opsawg-pcap ("PCAP Capture File Format").
// Pure byte layout; pcap-file.ts does the reading and writing.
import type {Timestamp} from '../wire/timestamp.js';

export const pcapMagic = {
	microsecond: 0xa1_b2_c3_d4,
	nanosecond: 0xa1_b2_3c_4d,
	// The pcapng Section Header Block type: the same four bytes in either byte order.
	pcapng: 0x0a_0d_0d_0a,
} as const;

export const linkTypes = {
	ethernet: 1,
} as const;

// Names for the link types people are likely to hand us, so the error can say what the file is.
const linkTypeNames: Readonly<Record<number, string>> = {
	0: 'BSD loopback',
	1: 'Ethernet',
	101: 'raw IP',
	105: 'IEEE 802.11',
	113: 'Linux cooked capture',
	127: '802.11 radiotap',
	228: 'raw IPv4',
	229: 'raw IPv6',
	276: 'Linux cooked capture v2',
};

export function linkTypeName(linkType: number): string {
	return linkTypeNames[linkType] ?? 'unknown';
}

export const globalHeaderLength = 24;
export const recordHeaderLength = 16;
export const pcapVersion = {major: 2, minor: 4} as const;

/**
 * libpcap's MAXIMUM_SNAPLEN: it rejects a record claiming more captured bytes than this whatever the
 * file's snaplen says, since such a length means the file is corrupt, not that the frame is large.
 */
export const maximumSnaplen = 262_144;

export type Precision = 'microsecond' | 'nanosecond';

export type PcapHeader = {
	readonly littleEndian: boolean;
	readonly precision: Precision;
	readonly versionMajor: number;
	readonly versionMinor: number;
	readonly snaplen: number;
	/** The LinkType field without its FCS bits. */
	readonly linkType: number;
	/** Bytes of frame check sequence the file says end every frame (0 when it says nothing). */
	readonly fcsLength: number;
};

/** The file is not one synack can read; the message is fit to show a user as is. */
export class PcapFormatError extends Error {
	override readonly name = 'PcapFormatError';
}

/** Parses the 24-byte file header. `label` names the file in error messages. */
export function parsePcapHeader(bytes: Uint8Array, label: string): PcapHeader {
	if (bytes.length < 4) {
		throw new PcapFormatError(`${label}: not a pcap file (${bytes.length} bytes long)`);
	}

	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const big = view.getUint32(0, false);
	const little = view.getUint32(0, true);
	if (big === pcapMagic.pcapng) {
		throw new PcapFormatError(`${label}: pcapng is not supported yet; convert with \`tcpdump -r in.pcapng -w out.pcap\``);
	}

	let littleEndian: boolean;
	let magic: number;
	if (little === pcapMagic.microsecond || little === pcapMagic.nanosecond) {
		littleEndian = true;
		magic = little;
	} else if (big === pcapMagic.microsecond || big === pcapMagic.nanosecond) {
		littleEndian = false;
		magic = big;
	} else {
		throw new PcapFormatError(`${label}: not a pcap file (starts with 0x${big.toString(16).padStart(8, '0')})`);
	}

	if (bytes.length < globalHeaderLength) {
		throw new PcapFormatError(`${label}: truncated pcap file header (${bytes.length} of ${globalHeaderLength} bytes)`);
	}

	const versionMajor = view.getUint16(4, littleEndian);
	const versionMinor = view.getUint16(6, littleEndian);
	if (versionMajor !== pcapVersion.major) {
		throw new PcapFormatError(`${label}: unsupported pcap version ${versionMajor}.${versionMinor}`);
	}

	// Offsets 8 and 12 (thiszone, sigfigs) are always 0 in practice and ignored by libpcap.
	const snaplen = view.getUint32(16, littleEndian);
	const linkTypeField = view.getUint32(20, littleEndian);
	// draft-ietf-opsawg-pcap §4: the top 4 bits are the FCS length in 16-bit words, valid when bit 26
	// (F) is set; bits 16-25 are reserved. libpcap masks the same way (LT_LINKTYPE).
	const linkType = linkTypeField & 0x03_ff_ff_ff;
	const fcsLength = (linkTypeField & 0x04_00_00_00) === 0 ? 0 : (linkTypeField >>> 28) * 2;
	return {
		littleEndian,
		precision: magic === pcapMagic.nanosecond ? 'nanosecond' : 'microsecond',
		versionMajor,
		versionMinor,
		snaplen,
		linkType,
		fcsLength,
	};
}

export function encodePcapHeader(options: {precision: Precision; snaplen: number; linkType: number}): Uint8Array {
	const bytes = new Uint8Array(globalHeaderLength);
	const view = new DataView(bytes.buffer);
	const magic = options.precision === 'nanosecond' ? pcapMagic.nanosecond : pcapMagic.microsecond;
	// Little-endian, as libpcap writes on the machines synack runs on.
	view.setUint32(0, magic, true);
	view.setUint16(4, pcapVersion.major, true);
	view.setUint16(6, pcapVersion.minor, true);
	view.setUint32(16, options.snaplen, true);
	view.setUint32(20, options.linkType, true);
	return bytes;
}

export type RecordHeader = {
	readonly timestamp: Timestamp;
	readonly capturedLength: number;
	readonly originalLength: number;
};

/** Reads a 16-byte record header at `offset` of `view`. */
export function parseRecordHeader(view: DataView, offset: number, header: PcapHeader): RecordHeader {
	const {littleEndian} = header;
	let seconds = view.getUint32(offset, littleEndian);
	const fraction = view.getUint32(offset + 4, littleEndian);
	const unit = header.precision === 'nanosecond' ? 1_000_000_000 : 1_000_000;
	// A fraction of a second that is not below one second is out of spec; carry it rather than
	// produce a Timestamp whose nanoseconds exceed a second.
	seconds += Math.floor(fraction / unit);
	const nanoseconds = (fraction % unit) * (1_000_000_000 / unit);
	return {
		timestamp: {seconds, nanoseconds},
		capturedLength: view.getUint32(offset + 8, littleEndian),
		originalLength: view.getUint32(offset + 12, littleEndian),
	};
}

/** Writes a 16-byte record header at `offset` of `view`, little-endian. */
export function encodeRecordHeader(view: DataView, offset: number, record: RecordHeader, precision: Precision): void {
	const {seconds, nanoseconds} = record.timestamp;
	if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xff_ff_ff_ff) {
		throw new RangeError(`pcap timestamps hold 0 to 2^32-1 seconds, not ${seconds}`);
	}

	if (!Number.isInteger(nanoseconds) || nanoseconds < 0 || nanoseconds >= 1_000_000_000) {
		throw new RangeError(`nanoseconds must be an integer in [0, 1e9), not ${nanoseconds}`);
	}

	view.setUint32(offset, seconds, true);
	view.setUint32(offset + 4, precision === 'nanosecond' ? nanoseconds : Math.floor(nanoseconds / 1000), true);
	view.setUint32(offset + 8, record.capturedLength, true);
	view.setUint32(offset + 12, record.originalLength, true);
}
