// tcpdump 4.99's IPv4 line without -v (print-ip.c ip_print, print-ip-demux.c), with TCP in full, UDP
// and ICMP in their common forms, and IPv6 approximated.
import {ipv4At, ipv6At, Truncation, u16, u8} from './summary-bytes.js';
import {type Numbering, tcpLine} from './summary-tcp.js';

export type Ipv4Header = {
	readonly source: string;
	readonly destination: string;
	readonly sourceAfterDestination: boolean;
	readonly headerLength: number;
	readonly totalLength: number;
	readonly protocol: number;
	/** In 8-byte units. */
	readonly fragmentOffset: number;
	readonly moreFragments: boolean;
};

const tcp = 6;
const udp = 17;
const icmp = 1;
const dccp = 33;
const sctp = 132;

/**
 * `bytes`: the IPv4 datagram as captured, from its first header byte; `length`: the bytes after the link
 * header on the wire. Used when synack's decoder stopped at the IPv4 header, so every check is tcpdump's.
 */
export function ipv4LineFromBytes(bytes: Uint8Array, length: number, numbering: Numbering): string {
	let text = '';
	try {
		const version = u8(bytes, 0, 'ip') >>> 4;
		if (version !== 4) {
			return `${version === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${version}`} (invalid)`;
		}

		text = 'IP ';
		if (bytes.length < 20) {
			throw new Truncation('ip');
		}

		if (length < 20) {
			return `${text}truncated-ip ${length}`;
		}

		const headerLength = (bytes[0]! & 0x0f) * 4;
		if (headerLength < 20) {
			return `${text}bad-hlen ${headerLength}`;
		}

		const flagsOffset = u16(bytes, 6, 'ip');
		const header: Ipv4Header = {
			source: ipv4At(bytes, 12, 'ip'),
			destination: ipv4At(bytes, 16, 'ip'),
			sourceAfterDestination: compareBytes(bytes, 12, 16, 4) > 0,
			headerLength,
			totalLength: u16(bytes, 2, 'ip'),
			protocol: u8(bytes, 9, 'ip'),
			fragmentOffset: flagsOffset & 0x1f_ff,
			moreFragments: (flagsOffset & 0x20_00) !== 0,
		};
		const payloadEnd = Math.min(bytes.length, header.totalLength);
		return ipv4Line(header, bytes.length, bytes.subarray(Math.min(headerLength, payloadEnd), payloadEnd), length, numbering);
	} catch (error) {
		if (error instanceof Truncation) {
			return `${text} [|${error.protocol}]`;
		}

		throw error;
	}
}

/** memcmp of two addresses in one buffer, as print-tcp.c orders a flow's endpoints. */
function compareBytes(bytes: Uint8Array, left: number, right: number, count: number): number {
	for (let index = 0; index < count; index++) {
		const difference = bytes[left + index]! - bytes[right + index]!;
		if (difference !== 0) {
			return difference;
		}
	}

	return 0;
}

/**
 * The line for a datagram whose header was read: `captured` bytes of the datagram are in the capture,
 * `payload` is its captured payload (cut at the total length), `length` the bytes after the link header.
 */
export function ipv4Line(header: Ipv4Header, captured: number, payload: Uint8Array, length: number, numbering: Numbering): string {
	let text = 'IP ';
	const {source, destination, headerLength, totalLength, protocol} = header;
	if (length < totalLength) {
		text += `truncated-ip - ${totalLength - length} bytes missing! `;
	}

	if (totalLength < headerLength) {
		return `${text}bad-len ${totalLength}`;
	}

	const payloadLength = totalLength - headerLength;
	if (header.fragmentOffset !== 0) {
		// Not the first fragment: no transport header to show. (With -n, no protocol names.)
		return `${text}${source} > ${destination}: ip-proto-${protocol}`;
	}

	if (protocol !== tcp && protocol !== udp && protocol !== sctp && protocol !== dccp) {
		text += `${source} > ${destination}: `;
	}

	if (captured < headerLength) {
		return `${text} [remaining caplen(${captured}) < header length(${headerLength})] [|ip]`;
	}

	return text + transportLine(header, payload, payloadLength, numbering);
}

function transportLine(header: Ipv4Header, payload: Uint8Array, length: number, numbering: Numbering): string {
	switch (header.protocol) {
		case tcp: {
			return tcpLine({source: header.source, destination: header.destination, sourceAfterDestination: header.sourceAfterDestination, bytes: payload, length, numbering});
		}

		case udp: {
			return udpLine(header.source, header.destination, payload, length);
		}

		case icmp: {
			return icmpLine(payload, length);
		}

		default: {
			// Approximation: tcpdump has printers for IGMP, GRE, ESP, AH, OSPF, PIM, VRRP, SCTP, DCCP and
			// more; this is its line for a protocol it does not know.
			return ` ip-proto-${header.protocol} ${length}`;
		}
	}
}

/**
 * print-udp.c for a port without its own printer. Approximation: tcpdump decodes DNS, DHCP, NTP, SNMP,
 * syslog and dozens more by port; here every datagram prints as `UDP, length N`.
 */
export function udpLine(source: string, destination: string, bytes: Uint8Array, length: number): string {
	if (bytes.length < 4) {
		return `${source} > ${destination}:  [|udp]`;
	}

	const sourcePort = (bytes[0]! << 8) | bytes[1]!;
	const destinationPort = (bytes[2]! << 8) | bytes[3]!;
	const addresses = `${source}.${sourcePort} > ${destination}.${destinationPort}: `;
	if (length < 8) {
		return `${addresses}truncated-udp ${length}`;
	}

	if (bytes.length < 6) {
		return `${addresses} [|udp]`;
	}

	const udpLength = (bytes[4]! << 8) | bytes[5]!;
	if (udpLength < 8) {
		return `${addresses}truncated-udplength ${udpLength}`;
	}

	return `${addresses}UDP, length ${udpLength - 8}`;
}

const unreachableCodes: Readonly<Record<number, string>> = {
	4: 'need to frag', 5: 'source route failed', 6: 'net unknown', 7: 'host unknown', 9: 'net prohibited',
	10: 'host prohibited', 11: 'net unreachable for tos', 12: 'host unreachable for tos', 13: 'communication prohibited',
};

/**
 * print-icmp.c for echo, the unreachables and time exceeded. Approximation: other types print as
 * `ICMP type-#N` (tcpdump's form for types it does not know), without their details.
 */
export function icmpLine(bytes: Uint8Array, length: number): string {
	let text = 'ICMP ';
	try {
		const type = u8(bytes, 0, 'icmp');
		const code = u8(bytes, 1, 'icmp');
		switch (type) {
			case 0:
			case 8: {
				text += `echo ${type === 8 ? 'request' : 'reply'}, id ${u16(bytes, 4, 'icmp')}, seq ${u16(bytes, 6, 'icmp')}`;
				break;
			}

			case 3: {
				text += unreachable(bytes, code);
				break;
			}

			case 11: {
				text += code === 0 ? 'time exceeded in-transit' : 'ip reassembly time exceeded';
				break;
			}

			default: {
				text += `type-#${type}`;
				break;
			}
		}

		return `${text}, length ${length}`;
	} catch (error) {
		if (error instanceof Truncation) {
			return `${text} [|${error.protocol}]`;
		}

		throw error;
	}
}

function unreachable(bytes: Uint8Array, code: number): string {
	// The quoted datagram starts 8 bytes in (RFC 792).
	const inner = 8;
	const innerDestination = ipv4At(bytes, inner + 16, 'icmp');
	switch (code) {
		case 0: {
			return `net ${innerDestination} unreachable`;
		}

		case 1: {
			return `host ${innerDestination} unreachable`;
		}

		case 2: {
			return `${innerDestination} protocol ${u8(bytes, inner + 9, 'icmp')} unreachable`;
		}

		case 3: {
			const innerProtocol = u8(bytes, inner + 9, 'icmp');
			const innerHeaderLength = (u8(bytes, inner, 'icmp') & 0x0f) * 4;
			const port = u16(bytes, inner + innerHeaderLength + 2, 'icmp');
			const name = innerProtocol === tcp ? 'tcp' : (innerProtocol === udp ? 'udp' : `ip-proto-${innerProtocol}`);
			return `${innerDestination} ${name} port ${port} unreachable`;
		}

		default: {
			return `${innerDestination} unreachable - ${unreachableCodes[code] ?? `#${code}`}`;
		}
	}
}

/**
 * IPv6, which synack does not decode. TCP and UDP are printed as tcpdump prints them when the next
 * header is the transport; approximation: extension headers and ICMPv6 details are not decoded
 * (`ip-proto-N LENGTH`).
 */
export function ipv6Line(bytes: Uint8Array, numbering: Numbering): string {
	let text = 'IP6 ';
	try {
		if (bytes.length < 40) {
			throw new Truncation('ip6');
		}

		const payloadLength = u16(bytes, 4, 'ip6');
		const nextHeader = u8(bytes, 6, 'ip6');
		const source = ipv6At(bytes, 8, 'ip6');
		const destination = ipv6At(bytes, 24, 'ip6');
		const payload = bytes.subarray(40, Math.min(bytes.length, 40 + payloadLength));
		if (nextHeader === tcp) {
			const after = compareBytes(bytes, 8, 24, 16) > 0;
			return text + tcpLine({source, destination, sourceAfterDestination: after, bytes: payload, length: payloadLength, numbering});
		}

		if (nextHeader === udp) {
			return text + udpLine(source, destination, payload, payloadLength);
		}

		return `${text}${source} > ${destination}: ip-proto-${nextHeader} ${payloadLength}`;
	} catch (error) {
		if (error instanceof Truncation) {
			return `${text} [|${error.protocol}]`;
		}

		throw error;
	}
}
