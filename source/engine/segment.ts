import {type TcpOption, type TcpRecord, tcpFlags} from '../wire/records.js';
import {tcpHeaderBufferLength} from '../wire/tcp.js';
import {type Seq, seqAdd} from './seq.js';

const emptyBytes: Uint8Array = new Uint8Array(0);

/** Fields a caller may set on an outgoing segment; each replaces what the TCB would put there. */
export type SegmentOverrides = {
	readonly sourcePort?: number;
	readonly destinationPort?: number;
	readonly seq?: number;
	readonly ack?: number;
	/** `tcpFlags` bits. */
	readonly flags?: number;
	/** The raw 16-bit field, already scaled: no RFC 7323 shift is applied to an override. */
	readonly window?: number;
	readonly options?: readonly TcpOption[];
	readonly payload?: Uint8Array;
	readonly urgentPointer?: number;
	readonly reserved?: number;
};

export type SegmentFields = {
	readonly sourcePort: number;
	readonly destinationPort: number;
	readonly seq: number;
	readonly ack: number;
	readonly flags: number;
	readonly window: number;
	readonly options: readonly TcpOption[];
	readonly payload?: Uint8Array;
	readonly urgentPointer?: number;
	readonly reserved?: number;
};

/**
 * A complete record for the encoder. The checksum is left 0: `wire`'s emitter computes it (and the
 * header length) unless told otherwise.
 */
export function makeSegment(fields: SegmentFields): TcpRecord {
	const options = fields.options;
	return {
		sourcePort: fields.sourcePort,
		destinationPort: fields.destinationPort,
		seq: fields.seq >>> 0,
		ack: fields.ack >>> 0,
		headerLength: tcpHeaderBufferLength({sourcePort: 0, destinationPort: 0, options}),
		flags: fields.flags & 0x01_ff,
		reserved: fields.reserved ?? 0,
		window: fields.window & 0xff_ff,
		checksum: 0,
		urgentPointer: fields.urgentPointer ?? 0,
		options,
		optionPadding: emptyBytes,
		payload: fields.payload ?? emptyBytes,
	};
}

export function hasFlag(segment: {readonly flags: number}, flag: number): boolean {
	return (segment.flags & flag) !== 0;
}

/** SEG.LEN of RFC 9293 §3.4: payload octets plus one for SYN and one for FIN. */
export function segmentLength(segment: TcpRecord): number {
	return segment.payload.length + (hasFlag(segment, tcpFlags.SYN) ? 1 : 0) + (hasFlag(segment, tcpFlags.FIN) ? 1 : 0);
}

/** The sequence number just after the segment's last octet (SYN and FIN included). */
export function segmentEnd(segment: TcpRecord): Seq {
	return seqAdd(segment.seq, segmentLength(segment));
}
