// Our segments built from the TCB, and a caller's overrides laid over them. Pure: the connection
// passes in what it knows (ports, TCB, the window and options it announces).
import {type TcpOption, type TcpRecord, tcpFlags} from '../wire/records.js';
import {makeSegment, type SegmentOverrides} from './segment.js';
import {type Seq, seqGe, seqSub} from './seq.js';
import type {Tcb} from './tcb.js';

const {SYN, ACK, RST} = tcpFlags;
const maxWindowField = 0xff_ff;

export type Ends = {readonly localPort: number; readonly remotePort: number | undefined};

/** A segment of the connection: our ports, RCV.NXT as its ACK once the peer's SYN is known. */
export function connectionSegment(ends: Ends, tcb: Readonly<Tcb>, irsKnown: boolean, fields: {readonly seq: Seq; readonly flags: number; readonly payload?: Uint8Array; readonly window: number; readonly options: readonly TcpOption[]}): TcpRecord {
	return makeSegment({
		sourcePort: ends.localPort,
		destinationPort: ends.remotePort ?? 0,
		seq: fields.seq,
		ack: irsKnown ? tcb.rcvNxt : 0,
		flags: fields.flags,
		window: fields.window,
		options: fields.options,
		payload: fields.payload,
	});
}

/** Our SYN (a SYN-ACK once the peer's SYN is known) at ISS. RFC 7323 §2.2: its window field is never scaled. */
export function synSegment(ends: Ends, tcb: Readonly<Tcb>, irsKnown: boolean, window: number, options: readonly TcpOption[]): TcpRecord {
	return connectionSegment(ends, tcb, irsKnown, {seq: tcb.iss, flags: SYN | (irsKnown ? ACK : 0), window: Math.min(window, maxWindowField), options});
}

/** RFC 7323 §2.3: the window field is RCV.WND >> Rcv.Wind.Shift. */
export function windowField(window: number, shift: number): number {
	return Math.min(Math.floor(window / (1 << shift)), maxWindowField);
}

/**
 * RFC 9293 §3.8.6.2.2 (receiver SWS avoidance): the right edge we announced (`edge`, undefined before
 * any) stays where it is until reading has freed at least min(RCV.BUFF / 2, MSS) beyond it; then the
 * whole free window `window`.
 */
export function announcedWindow(window: number, edge: Seq | undefined, rcvNxt: Seq, receiveBuffer: number, rcvMss: number): number {
	if (edge === undefined) return window;
	const held = seqGe(edge, rcvNxt) ? seqSub(edge, rcvNxt) : 0;
	if (window <= held) return window;
	return window - held < Math.min(receiveBuffer / 2, rcvMss) ? held : window;
}

/**
 * `base` with the caller's fields laid over it. Options follow the flags: a SYN added or taken away
 * gets `optionsFor(flags)` unless the caller gave options too.
 */
export function withOverrides(base: TcpRecord, overrides: SegmentOverrides, optionsFor: (flags: number) => readonly TcpOption[]): TcpRecord {
	if (Object.keys(overrides).length === 0) return base;
	const flags = overrides.flags ?? base.flags;
	const synChanged = ((flags ^ base.flags) & SYN) !== 0;
	return makeSegment({
		sourcePort: overrides.sourcePort ?? base.sourcePort,
		destinationPort: overrides.destinationPort ?? base.destinationPort,
		seq: overrides.seq ?? base.seq,
		ack: overrides.ack ?? base.ack,
		flags,
		window: overrides.window ?? base.window,
		options: overrides.options ?? (synChanged ? optionsFor(flags) : base.options),
		payload: overrides.payload ?? base.payload,
		urgentPointer: overrides.urgentPointer ?? base.urgentPointer,
		reserved: overrides.reserved ?? base.reserved,
	});
}

/** RFC 9293 §3.10.7.2-4: <SEQ=SEG.ACK><CTL=RST>, the answer to an ACK that acknowledges nothing of ours. */
export function rstAnswering(localPort: number, segment: TcpRecord): TcpRecord {
	return makeSegment({sourcePort: localPort, destinationPort: segment.sourcePort, seq: segment.ack, ack: 0, flags: RST, window: 0, options: []});
}
