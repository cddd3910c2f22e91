// tcpdump 4.99's ARP line (print-arp.c, arp_print), read from the packet's bytes so that packets
// synack's decoder refuses (other hardware types, odd lengths) still print as tcpdump prints them.
import {hex2, hex4, ipv4At, Truncation, u16, u8} from './summary-bytes.js';

const hardwareNames: Readonly<Record<number, string>> = {
	1: 'Ethernet', 6: 'TokenRing', 7: 'ArcNet', 15: 'FrameRelay', 19: 'ATM', 23: 'Strip', 24: 'IEEE 1394', 32: 'InfiniBand',
};

/** A few of tcpdump's ethertype_values names: the protocol types an ARP packet plausibly carries. */
export const etherTypeNames: Readonly<Record<number, string>> = {
	0x08_00: 'IPv4', 0x08_06: 'ARP', 0x80_35: 'Reverse ARP', 0x81_00: '802.1Q', 0x86_dd: 'IPv6', 0x88_a8: '802.1Q-QinQ', 0x91_00: '802.1Q-9100', 0x92_00: '802.1Q-9200',
	0x88_47: 'MPLS unicast', 0x88_48: 'MPLS multicast', 0x88_cc: 'LLDP', 0x88_8e: 'EAPOL', 0x10_00: 'Trail', 0x88_63: 'PPPoE D',
	0x88_64: 'PPPoE S',
};

const operationNames: Readonly<Record<number, string>> = {
	1: 'Request', 2: 'Reply', 3: 'Reverse Request', 4: 'Reverse Reply', 8: 'Inverse Request', 9: 'Inverse Reply', 10: 'NACK Reply',
};

const ipv4Type = 0x08_00;
const trailerType = 0x10_00;

/** Link addresses: six bytes as a MAC, other lengths as colon-separated hex (addrtoname.c). */
function linkAddress(bytes: Uint8Array, at: number, length: number): string {
	if (length === 0) {
		return '<empty>';
	}

	const parts: string[] = [];
	for (let index = 0; index < length; index++) {
		parts.push(hex2(u8(bytes, at + index, 'arp')));
	}

	return parts.join(':');
}

/**
 * `bytes` from the ARP header on (as captured), `length` the bytes after the link header on the wire.
 * Approximation: an unknown operation prints `ARP, Unknown (N) ` as tcpdump's first line does, without
 * the hex dump it adds below.
 */
export function arpLine(bytes: Uint8Array, length: number): string {
	let text = '';
	try {
		const hardware = u16(bytes, 0, 'arp');
		const protocol = u16(bytes, 2, 'arp');
		const hardwareLength = u8(bytes, 4, 'arp');
		const protocolLength = u8(bytes, 5, 'arp');
		const operation = u16(bytes, 6, 'arp');
		if (hardware === 19) {
			// Approximation: ATM ARP (RFC 2225) has its own layout in tcpdump's printer.
			return `ARP, ATM, ${operationNames[operation] ?? `Unknown (${operation})`}, length ${length}`;
		}

		const senderHardware = 8;
		const senderProtocol = senderHardware + hardwareLength;
		const targetHardware = senderProtocol + protocolLength;
		const targetProtocol = targetHardware + hardwareLength;
		if (bytes.length < targetProtocol + protocolLength) {
			throw new Truncation('arp');
		}

		text += 'ARP, ';
		const ipv4Like = protocol === ipv4Type || protocol === trailerType;
		if (!ipv4Like || protocolLength !== 4 || hardwareLength === 0) {
			const hardwareName = hardwareNames[hardware] ?? `Unknown Hardware (${hardware})`;
			const protocolName = etherTypeNames[protocol] ?? `Unknown Protocol (0x${hex4(protocol)})`;
			return `${text}${hardwareName} (len ${hardwareLength}), ${protocolName} (len ${protocolLength}), length ${length}`;
		}

		// tpaddr_print_ip/spaddr_print_ip: the checks above already ensure IPv4-sized addresses.
		const target = ipv4At(bytes, targetProtocol, 'arp');
		const sender = ipv4At(bytes, senderProtocol, 'arp');
		text += `${operationNames[operation] ?? `Unknown (${operation})`} `;
		switch (operation) {
			case 1: {
				text += `who-has ${target}`;
				if (bytes.subarray(targetHardware, targetHardware + hardwareLength).some(byte => byte !== 0)) {
					text += ` (${linkAddress(bytes, targetHardware, hardwareLength)})`;
				}

				text += ` tell ${sender}`;
				break;
			}

			case 2: {
				text += `${sender} is-at ${linkAddress(bytes, senderHardware, hardwareLength)}`;
				break;
			}

			case 3:
			case 8: {
				text += `who-is ${linkAddress(bytes, targetHardware, hardwareLength)} tell ${linkAddress(bytes, senderHardware, hardwareLength)}`;
				break;
			}

			case 4: {
				text += `${linkAddress(bytes, targetHardware, hardwareLength)} at ${target}`;
				break;
			}

			case 9: {
				text += `${linkAddress(bytes, senderHardware, hardwareLength)} at ${sender}`;
				break;
			}

			default: {
				return text;
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
