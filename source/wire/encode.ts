import {arpPacketLength, type ArpSpec, emitArp} from './arp.js';
import {emitEthernet, ethernetBufferLength, minimumFrameLength} from './ethernet.js';
import {emitIpv4Header, ipv4HeaderBufferLength, type Ipv4Overrides, type Ipv4Spec} from './ipv4.js';
import {type DecodedFrame, etherTypes, type EthernetRecord} from './records.js';
import {emitTcp, tcpBufferLength, type TcpOverrides, type TcpSpec} from './tcp.js';

/** The EtherType may be left out: it follows from what the frame carries. */
export type EthernetSpec = Omit<EthernetRecord, 'etherType'> & {readonly etherType?: number};

/** `payload` after an ARP packet is a trailer (the frame's padding, say). */
export type ArpFrameSpec = {readonly ethernet: EthernetSpec; readonly arp: ArpSpec; readonly payload?: Uint8Array};
export type TcpFrameSpec = {readonly ethernet: EthernetSpec; readonly ipv4: Ipv4Spec; readonly tcp: TcpSpec};
/** An IPv4 datagram that is not parsed further (another protocol, or a later fragment). */
export type Ipv4FrameSpec = {readonly ethernet: EthernetSpec; readonly ipv4: Ipv4Spec; readonly payload: Uint8Array};
export type RawFrameSpec = {readonly ethernet: EthernetRecord; readonly payload: Uint8Array};
export type FrameSpec = ArpFrameSpec | TcpFrameSpec | Ipv4FrameSpec | RawFrameSpec;

export type FrameOverrides = {
	/** Pad frames shorter than 60 bytes with zeros, as a NIC does before adding the FCS. Default true. */
	readonly pad?: boolean;
	readonly ipv4?: Ipv4Overrides;
	readonly tcp?: TcpOverrides;
};

const emptyBytes: Uint8Array = new Uint8Array(0);
const zeroed = (length: number) => new Uint8Array(length);

function contentLength(spec: FrameSpec, overrides: FrameOverrides): number {
	if ('arp' in spec) {
		return arpPacketLength + (spec.payload?.length ?? 0);
	}

	if ('ipv4' in spec) {
		const header = ipv4HeaderBufferLength(spec.ipv4);
		return 'tcp' in spec ? header + tcpBufferLength(spec.tcp, overrides.tcp) : header + spec.payload.length;
	}

	return spec.payload.length;
}

/** The number of bytes `encodeFrame` returns for this spec (padding included). */
export function frameLength(spec: FrameSpec, overrides: FrameOverrides = {}): number {
	const length = ethernetBufferLength(spec.ethernet) + contentLength(spec, overrides);
	return (overrides.pad ?? true) ? Math.max(length, minimumFrameLength) : length;
}

function etherTypeOf(spec: FrameSpec): number {
	if (spec.ethernet.etherType !== undefined) {
		return spec.ethernet.etherType;
	}

	return 'arp' in spec ? etherTypes.arp : etherTypes.ipv4;
}

/**
 * Writes the frame into `buffer` at `offset` (which must hold `frameLength(spec, overrides)` bytes)
 * and returns the bytes written. Every length and checksum is computed unless overridden.
 */
export function encodeFrameInto(spec: FrameSpec, buffer: Uint8Array, offset = 0, overrides: FrameOverrides = {}): number {
	const ethernet: EthernetRecord = {...spec.ethernet, etherType: etherTypeOf(spec)};
	let at = offset + emitEthernet(ethernet, buffer, offset);
	if ('arp' in spec) {
		at += emitArp(spec.arp, buffer, at);
		const trailer = spec.payload ?? emptyBytes;
		buffer.set(trailer, at);
		at += trailer.length;
	} else if ('ipv4' in spec) {
		const headerLength = ipv4HeaderBufferLength(spec.ipv4);
		const payloadAt = at + headerLength;
		let payloadLength: number;
		if ('tcp' in spec) {
			payloadLength = emitTcp(spec.tcp, buffer, payloadAt, spec.ipv4, overrides.tcp);
		} else {
			buffer.set(spec.payload, payloadAt);
			payloadLength = spec.payload.length;
		}

		// The protocol defaults to TCP (6) when the spec leaves it out.
		emitIpv4Header(spec.ipv4, buffer, at, payloadLength, overrides.ipv4);
		at = payloadAt + payloadLength;
	} else {
		buffer.set(spec.payload, at);
		at += spec.payload.length;
	}

	if ((overrides.pad ?? true) && at - offset < minimumFrameLength) {
		buffer.fill(0, at, offset + minimumFrameLength);
		at = offset + minimumFrameLength;
	}

	return at - offset;
}

/** `allocate` gives the zeroed memory the frame is written into (a link's frame memory, say). */
export function encodeFrame(spec: FrameSpec, overrides: FrameOverrides = {}, allocate: (length: number) => Uint8Array = zeroed): Uint8Array {
	const buffer = allocate(frameLength(spec, overrides));
	encodeFrameInto(spec, buffer, 0, overrides);
	return buffer;
}

/**
 * The spec that encodes a decoded frame again (with `exactOverrides` for its own lengths and
 * checksums), or undefined when not even the Ethernet header was decoded. A layer that failed to
 * decode comes back as its raw bytes; Ethernet padding after an IPv4 datagram is not kept.
 */
export function frameSpecOf(frame: DecodedFrame): FrameSpec | undefined {
	const {ethernet} = frame;
	if (!ethernet) {
		return undefined;
	}

	if (frame.arp) {
		return {ethernet, arp: frame.arp, payload: frame.payload ?? emptyBytes};
	}

	if (frame.ipv4) {
		return frame.tcp
			? {ethernet, ipv4: frame.ipv4, tcp: frame.tcp}
			: {ethernet, ipv4: frame.ipv4, payload: frame.payload ?? emptyBytes};
	}

	return {ethernet, payload: frame.payload ?? emptyBytes};
}

/** Overrides that reproduce a decoded frame's own lengths and checksums, right or wrong. */
export function exactOverrides(frame: DecodedFrame, pad = false): FrameOverrides {
	const {ipv4, tcp} = frame;
	return {
		pad,
		ipv4: ipv4 && {ihl: ipv4.headerLength / 4, totalLength: ipv4.totalLength, checksum: ipv4.checksum},
		tcp: tcp && {dataOffset: tcp.headerLength / 4, checksum: tcp.checksum},
	};
}
