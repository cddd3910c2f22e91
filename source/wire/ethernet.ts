import {type EthernetRecord, type MacAddress, type VlanTag, vlanTagTypes} from './records.js';
import {type ParseResult, truncatedFault} from './result.js';

export const ethernetHeaderLength = 14;
export const vlanTagLength = 4;
/** IEEE 802.3: 64 bytes minimum on the wire, 60 before the 4-byte FCS that captures do not show. */
export const minimumFrameLength = 60;

export function readMac(bytes: Uint8Array, offset: number): MacAddress {
	const high = (bytes[offset]! << 8) | bytes[offset + 1]!;
	const low = ((bytes[offset + 2]! << 24) | (bytes[offset + 3]! << 16) | (bytes[offset + 4]! << 8) | bytes[offset + 5]!) >>> 0;
	return (high * 0x1_00_00_00_00) + low;
}

export function writeMac(buffer: Uint8Array, offset: number, mac: MacAddress): void {
	const high = Math.floor(mac / 0x1_00_00_00_00);
	const low = mac >>> 0;
	buffer[offset] = high >>> 8;
	buffer[offset + 1] = high;
	buffer[offset + 2] = low >>> 24;
	buffer[offset + 3] = low >>> 16;
	buffer[offset + 4] = low >>> 8;
	buffer[offset + 5] = low;
}

export type EthernetParse = ParseResult<EthernetRecord, {readonly headerLength: number}>;

/**
 * Ethernet II with any number of VLAN tags (IEEE 802.1Q; 802.1ad stacks an S-tag over a C-tag), each
 * followed to the EtherType after it, as tcpdump's print-ether.c does. The payload starts at
 * `offset + headerLength`.
 */
export function parseEthernet(bytes: Uint8Array, offset = 0): EthernetParse {
	const available = bytes.length - offset;
	if (available < ethernetHeaderLength) {
		return truncatedFault('ethernet', 'header', available, ethernetHeaderLength);
	}

	const destination = readMac(bytes, offset);
	const source = readMac(bytes, offset + 6);
	let type = (bytes[offset + 12]! << 8) | bytes[offset + 13]!;
	if (!vlanTagTypes.has(type)) {
		return {ok: true, record: {destination, source, etherType: type}, headerLength: ethernetHeaderLength};
	}

	const tags: VlanTag[] = [];
	let headerLength = ethernetHeaderLength;
	while (vlanTagTypes.has(type)) {
		if (available < headerLength + vlanTagLength) {
			return truncatedFault('ethernet', 'vlan', available, headerLength + vlanTagLength);
		}

		const tci = (bytes[offset + headerLength]! << 8) | bytes[offset + headerLength + 1]!;
		tags.push({tpid: type, priority: tci >>> 13, dropEligible: (tci & 0x10_00) !== 0, id: tci & 0x0f_ff});
		type = (bytes[offset + headerLength + 2]! << 8) | bytes[offset + headerLength + 3]!;
		headerLength += vlanTagLength;
	}

	return {ok: true, record: {destination, source, tags, etherType: type}, headerLength};
}

export function ethernetBufferLength(record: Pick<EthernetRecord, 'tags'>): number {
	return ethernetHeaderLength + (vlanTagLength * (record.tags?.length ?? 0));
}

/** Writes the header at `offset`; returns its length. */
export function emitEthernet(record: EthernetRecord, buffer: Uint8Array, offset = 0): number {
	writeMac(buffer, offset, record.destination);
	writeMac(buffer, offset + 6, record.source);
	let typeAt = offset + 12;
	for (const {tpid, priority, dropEligible, id} of record.tags ?? []) {
		const tci = ((priority & 0x7) << 13) | (dropEligible ? 0x10_00 : 0) | (id & 0x0f_ff);
		buffer[typeAt] = tpid >>> 8;
		buffer[typeAt + 1] = tpid;
		buffer[typeAt + 2] = tci >>> 8;
		buffer[typeAt + 3] = tci;
		typeAt += vlanTagLength;
	}

	buffer[typeAt] = record.etherType >>> 8;
	buffer[typeAt + 1] = record.etherType;
	return typeAt + 2 - offset;
}
