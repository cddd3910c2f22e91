import {arpOperations, type ArpRecord, etherTypes} from './records.js';
import {fault, type ParseResult, truncatedFault} from './result.js';
import {readMac, writeMac} from './ethernet.js';

/** RFC 826 for Ethernet (6-byte) hardware and IPv4 (4-byte) protocol addresses. */
export const arpPacketLength = 28;
const ethernetHardware = 1;

const readU32 = (bytes: Uint8Array, offset: number): number =>
	((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;

export type ArpParse = ParseResult<ArpRecord>;

export function parseArp(bytes: Uint8Array, offset = 0): ArpParse {
	const available = bytes.length - offset;
	if (available < 8) {
		return truncatedFault('arp', 'header', available, arpPacketLength);
	}

	const hardwareType = (bytes[offset]! << 8) | bytes[offset + 1]!;
	const protocolType = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
	const hardwareLength = bytes[offset + 4]!;
	const protocolLength = bytes[offset + 5]!;
	if (hardwareType !== ethernetHardware) {
		return fault('arp', 'hardwareType', `hardware type ${hardwareType} (only 1, Ethernet, is supported)`);
	}

	if (protocolType !== etherTypes.ipv4) {
		return fault('arp', 'protocolType', `protocol type 0x${protocolType.toString(16).padStart(4, '0')} (only 0x0800, IPv4, is supported)`);
	}

	if (hardwareLength !== 6) {
		return fault('arp', 'hardwareLength', `hardware address length ${hardwareLength} (Ethernet needs 6)`);
	}

	if (protocolLength !== 4) {
		return fault('arp', 'protocolLength', `protocol address length ${protocolLength} (IPv4 needs 4)`);
	}

	if (available < arpPacketLength) {
		return truncatedFault('arp', 'header', available, arpPacketLength);
	}

	return {
		ok: true,
		record: {
			hardwareType,
			protocolType,
			hardwareLength,
			protocolLength,
			operation: (bytes[offset + 6]! << 8) | bytes[offset + 7]!,
			senderMac: readMac(bytes, offset + 8),
			senderIp: readU32(bytes, offset + 14),
			targetMac: readMac(bytes, offset + 18),
			targetIp: readU32(bytes, offset + 24),
		},
	};
}

/** The fields of an Ethernet/IPv4 ARP packet that vary; the rest default to what RFC 826 needs. */
export type ArpSpec = Partial<ArpRecord> & Pick<ArpRecord, 'senderMac' | 'senderIp' | 'targetIp'>;

export function arpRecord(spec: ArpSpec): ArpRecord {
	return {
		hardwareType: spec.hardwareType ?? ethernetHardware,
		protocolType: spec.protocolType ?? etherTypes.ipv4,
		hardwareLength: spec.hardwareLength ?? 6,
		protocolLength: spec.protocolLength ?? 4,
		operation: spec.operation ?? arpOperations.request,
		senderMac: spec.senderMac,
		senderIp: spec.senderIp,
		targetMac: spec.targetMac ?? 0,
		targetIp: spec.targetIp,
	};
}

/** Writes the 28-byte packet at `offset`; returns its length. Length fields are written as given. */
export function emitArp(spec: ArpSpec, buffer: Uint8Array, offset = 0): number {
	const record = arpRecord(spec);
	buffer[offset] = record.hardwareType >>> 8;
	buffer[offset + 1] = record.hardwareType;
	buffer[offset + 2] = record.protocolType >>> 8;
	buffer[offset + 3] = record.protocolType;
	buffer[offset + 4] = record.hardwareLength;
	buffer[offset + 5] = record.protocolLength;
	buffer[offset + 6] = record.operation >>> 8;
	buffer[offset + 7] = record.operation;
	writeMac(buffer, offset + 8, record.senderMac);
	writeU32(buffer, offset + 14, record.senderIp);
	writeMac(buffer, offset + 18, record.targetMac);
	writeU32(buffer, offset + 24, record.targetIp);
	return arpPacketLength;
}

function writeU32(buffer: Uint8Array, offset: number, value: number): void {
	buffer[offset] = value >>> 24;
	buffer[offset + 1] = value >>> 16;
	buffer[offset + 2] = value >>> 8;
	buffer[offset + 3] = value;
}

export const arpKinds = {
	request: 'request',
	reply: 'reply',
	probe: 'probe',
	announcement: 'announcement',
	other: 'other',
} as const;

export type ArpKind = (typeof arpKinds)[keyof typeof arpKinds];

/**
 * RFC 5227 §1.1/§2.3: a probe is a request with sender IP 0.0.0.0; an announcement (gratuitous ARP)
 * carries the sender's own address as the target, in a request or a reply.
 */
export function arpKind(record: ArpRecord): ArpKind {
	if (record.operation === arpOperations.request && record.senderIp === 0) {
		return arpKinds.probe;
	}

	if ((record.operation === arpOperations.request || record.operation === arpOperations.reply) && record.senderIp === record.targetIp) {
		return arpKinds.announcement;
	}

	if (record.operation === arpOperations.request) {
		return arpKinds.request;
	}

	return record.operation === arpOperations.reply ? arpKinds.reply : arpKinds.other;
}
