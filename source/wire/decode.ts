import {parseArp} from './arp.js';
import {parseEthernet} from './ethernet.js';
import {parseIpv4Header} from './ipv4.js';
import {type DecodedFrame, type DecodeError, etherTypes, type EthernetRecord, ipProtocols, type Ipv4Record} from './records.js';
import {parseTcp} from './tcp.js';

/**
 * Decodes an Ethernet frame as far as it goes. Never throws: on a fault the result holds every layer
 * decoded before it, the bytes after the last good header as `payload`, and `error`.
 */
export function decodeFrame(bytes: Uint8Array): DecodedFrame {
	const length = bytes.length;
	const link = parseEthernet(bytes, 0);
	if (!link.ok) {
		return {length, error: link.error};
	}

	const ethernet = link.record;
	const start = link.headerLength;
	switch (ethernet.etherType) {
		case etherTypes.ipv4: {
			return decodeIpv4(bytes, ethernet, start);
		}

		case etherTypes.arp: {
			const arp = parseArp(bytes, start);
			return arp.ok
				? {length, ethernet, arp: arp.record, payload: bytes.subarray(start + 28)}
				: {length, ethernet, payload: bytes.subarray(start), error: arp.error};
		}

		default: {
			return {length, ethernet, payload: bytes.subarray(start)};
		}
	}
}

function decodeIpv4(bytes: Uint8Array, ethernet: EthernetRecord, start: number): DecodedFrame {
	const length = bytes.length;
	const network = parseIpv4Header(bytes, start, length);
	if (!network.ok) {
		return network.truncated
			? {length, ethernet, payload: bytes.subarray(start), truncated: true, error: network.error}
			: {length, ethernet, payload: bytes.subarray(start), error: network.error};
	}

	const ipv4 = network.record;
	const ipv4ChecksumOk = network.checksumOk;
	const {truncated, payload} = network;
	// RFC 791 §3.2: only the first fragment (offset 0) starts with the TCP header.
	if (ipv4.protocol !== ipProtocols.tcp || ipv4.fragmentOffset !== 0) {
		return ipv4Only(length, ethernet, ipv4, ipv4ChecksumOk, truncated, payload, undefined);
	}

	const payloadOffset = network.payloadOffset;
	const segment = parseTcp(bytes, payloadOffset, payloadOffset + payload.length, {
		source: ipv4.source,
		destination: ipv4.destination,
		complete: !truncated && !ipv4.moreFragments,
	});
	if (!segment.ok) {
		return ipv4Only(length, ethernet, ipv4, ipv4ChecksumOk, truncated, payload, segment.error);
	}

	const tcp = segment.record;
	const tcpChecksumOk = segment.checksumOk;
	if (truncated) {
		return {length, ethernet, ipv4, tcp, payload: tcp.payload, ipv4ChecksumOk, truncated};
	}

	return tcpChecksumOk === undefined
		? {length, ethernet, ipv4, tcp, payload: tcp.payload, ipv4ChecksumOk}
		: {length, ethernet, ipv4, tcp, payload: tcp.payload, ipv4ChecksumOk, tcpChecksumOk};
}

function ipv4Only(
	length: number,
	ethernet: EthernetRecord,
	ipv4: Ipv4Record,
	ipv4ChecksumOk: boolean,
	truncated: boolean,
	payload: Uint8Array,
	error: DecodeError | undefined,
): DecodedFrame {
	if (error === undefined) {
		return truncated
			? {length, ethernet, ipv4, payload, ipv4ChecksumOk, truncated}
			: {length, ethernet, ipv4, payload, ipv4ChecksumOk};
	}

	return truncated
		? {length, ethernet, ipv4, payload, ipv4ChecksumOk, truncated, error}
		: {length, ethernet, ipv4, payload, ipv4ChecksumOk, error};
}
