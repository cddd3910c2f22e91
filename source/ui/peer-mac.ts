import type {PacketLog} from '../session/packet-log.js';
import type {Ipv4Address, MacAddress} from '../wire/records.js';

/** How far back to look: the peer answers ARP before any TCP, and speaks in every exchange after. */
const scanLimit = 256;

/**
 * The peer's MAC as the newest frames show it (an inbound frame from `ip`, or an ARP from it), looking
 * at no more than the newest `scanLimit` frames so that the cost never grows with the log.
 */
export function peerMacFromLog(log: Pick<PacketLog, 'size' | 'at'>, ip: Ipv4Address): MacAddress | undefined {
	for (let index = log.size - 1; index >= Math.max(0, log.size - scanLimit); index--) {
		const entry = log.at(index);
		if (!entry || entry.direction !== 'in') continue;
		if (entry.frame.arp?.senderIp === ip) return entry.frame.arp.senderMac;
		if (entry.frame.ipv4?.source === ip && entry.frame.ethernet) return entry.frame.ethernet.source;
	}

	return undefined;
}
