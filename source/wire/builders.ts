import {type ArpSpec} from './arp.js';
import {encodeFrame, type FrameOverrides} from './encode.js';
import {arpOperations, type Ipv4Address, type MacAddress, type TcpOption} from './records.js';
import {defaultWindow} from './tcp.js';
import {broadcastMac} from './addresses.js';

export type ArpFrameFields = {
	readonly operation?: number;
	readonly senderMac: MacAddress;
	readonly senderIp: Ipv4Address;
	/** Zero (unknown) by default, as in a request. */
	readonly targetMac?: MacAddress;
	readonly targetIp: Ipv4Address;
	/** Ethernet destination; broadcast for requests, the target's MAC for replies. */
	readonly destination?: MacAddress;
};

/** An ARP request (or, with `operation`, any ARP packet) in an Ethernet frame, padded to 60 bytes. */
export function arpFrame(fields: ArpFrameFields, overrides?: FrameOverrides): Uint8Array {
	const operation = fields.operation ?? arpOperations.request;
	const targetMac = fields.targetMac ?? 0;
	const arp: ArpSpec = {operation, senderMac: fields.senderMac, senderIp: fields.senderIp, targetMac, targetIp: fields.targetIp};
	const destination = fields.destination ?? (operation === arpOperations.reply ? targetMac : broadcastMac);
	return encodeFrame({ethernet: {destination, source: fields.senderMac}, arp}, overrides);
}

export type TcpFrameFields = {
	readonly sourceMac: MacAddress;
	readonly destinationMac: MacAddress;
	readonly source: Ipv4Address;
	readonly destination: Ipv4Address;
	readonly sourcePort: number;
	readonly destinationPort: number;
	readonly seq: number;
	readonly ack?: number;
	/** `tcpFlags` bits. */
	readonly flags: number;
	readonly window?: number;
	readonly urgentPointer?: number;
	readonly options?: readonly TcpOption[];
	readonly payload?: Uint8Array;
	readonly ttl?: number;
	readonly identification?: number;
	readonly dontFragment?: boolean;
};

/** A TCP segment in IPv4 in Ethernet: TTL 64, DF set, window 64240, no options unless given. */
export function tcpFrame(fields: TcpFrameFields, overrides?: FrameOverrides): Uint8Array {
	return encodeFrame({
		ethernet: {destination: fields.destinationMac, source: fields.sourceMac},
		ipv4: {
			source: fields.source,
			destination: fields.destination,
			ttl: fields.ttl ?? 64,
			identification: fields.identification ?? 0,
			dontFragment: fields.dontFragment ?? true,
		},
		tcp: {
			sourcePort: fields.sourcePort,
			destinationPort: fields.destinationPort,
			seq: fields.seq,
			ack: fields.ack ?? 0,
			flags: fields.flags,
			window: fields.window ?? defaultWindow,
			urgentPointer: fields.urgentPointer ?? 0,
			options: fields.options ?? [],
			payload: fields.payload,
		},
	}, overrides);
}
