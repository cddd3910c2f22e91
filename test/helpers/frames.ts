import {tcpFrame} from '../../source/wire/builders.js';
import type {TcpOption} from '../../source/wire/records.js';

/** One end of a test conversation. */
export type Host = {readonly mac: number; readonly ip: number; readonly port: number};

export type SegmentFields = {
	readonly seq: number;
	readonly ack?: number;
	readonly flags: number;
	/** Text, sent as UTF-8. */
	readonly payload?: string;
	readonly options?: readonly TcpOption[];
};

/** A TCP segment from `from` to `to` in IPv4 in Ethernet, as a frame's bytes. */
export function segmentBetween(from: Host, to: Host, fields: SegmentFields): Uint8Array {
	return tcpFrame({
		sourceMac: from.mac,
		destinationMac: to.mac,
		source: from.ip,
		destination: to.ip,
		sourcePort: from.port,
		destinationPort: to.port,
		seq: fields.seq,
		ack: fields.ack,
		flags: fields.flags,
		options: fields.options ?? [],
		payload: fields.payload === undefined ? undefined : new TextEncoder().encode(fields.payload),
	});
}
