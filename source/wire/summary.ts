// One-line summaries of frames exactly as tcpdump 4.99 prints them with `-n` (no -v, no -e), after
// the timestamp. Each printer says where it approximates; everything else is tcpdump's text byte for
// byte, checked against tcpdump's own output on the captures in test/fixtures.
import {formatIpv4, formatMac} from './addresses.js';
import {emitArp} from './arp.js';
import {ethernetBufferLength} from './ethernet.js';
import {type DecodedFrame, etherTypes, type Ipv4Address, type TcpRecord} from './records.js';
import {hex4} from './summary-bytes.js';
import {arpLine, etherTypeNames} from './summary-arp.js';
import {type Ipv4Header, ipv4Line, ipv4LineFromBytes, ipv6Line} from './summary-ip.js';
import {absoluteNumbering, type Numbering} from './summary-tcp.js';
import {emitTcp, tcpBufferLength} from './tcp.js';

export {absoluteNumbering, type Numbering, type PrintedNumbers, type SegmentKey, tcpFlagText} from './summary-tcp.js';

const ackFlag = 0x10;
const synFlag = 0x02;

/**
 * print-tcp.c's relative numbering, per printer: one entry per flow (both directions share it), made
 * or remade by a segment with ACK set when the flow is new or the segment carries SYN; it keeps that
 * segment's numbers (its ack minus one for the other side), and that segment itself prints absolute.
 * Segments without ACK neither make entries nor print relative numbers.
 */
export function tcpdumpNumbering(): Numbering {
	const flows = new Map<string, {seq: number; ack: number}>();
	return segment => {
		if (!(segment.flags & ackFlag)) {
			return absoluteNumbering(segment);
		}

		// tcpdump's "arbitrary collating order": the lower port (then the lower address) first.
		const reversed = segment.sourcePort > segment.destinationPort
			|| (segment.sourcePort === segment.destinationPort && segment.sourceAfterDestination);
		const key = reversed
			? `${segment.destination} ${segment.source} ${segment.destinationPort} ${segment.sourcePort}`
			: `${segment.source} ${segment.destination} ${segment.sourcePort} ${segment.destinationPort}`;
		const entry = flows.get(key);
		if (entry === undefined || segment.flags & synFlag) {
			const made = reversed
				? {seq: (segment.ack - 1) >>> 0, ack: segment.seq}
				: {seq: segment.seq, ack: (segment.ack - 1) >>> 0};
			flows.set(key, made);
			return {seq: segment.seq, ack: segment.ack, sackBase: reversed ? made.seq : made.ack};
		}

		return reversed
			? {seq: (segment.seq - entry.ack) >>> 0, ack: (segment.ack - entry.seq) >>> 0, sackBase: entry.seq}
			: {seq: (segment.seq - entry.seq) >>> 0, ack: (segment.ack - entry.ack) >>> 0, sackBase: entry.ack};
	};
}

/** A connection's own initial numbers, for printing its segments relative to them. */
export type ConnectionNumbers = {
	readonly local: {readonly ip: Ipv4Address; readonly port: number};
	readonly remote: {readonly ip: Ipv4Address; readonly port: number};
	/** Our initial send sequence number. */
	readonly iss: number;
	/** The peer's initial sequence number, once its SYN was seen; until then its numbers print absolute. */
	readonly irs?: number;
};

/**
 * Numbers relative to a connection, as Wireshark shows them: every segment of the connection, the
 * SYNs included (which then show seq 0), whether or not ACK is set; SACK edges relative to the side
 * they acknowledge. Segments of other flows print absolute.
 */
export function connectionNumbering(connection: ConnectionNumbers): Numbering {
	const local = formatIpv4(connection.local.ip);
	const remote = formatIpv4(connection.remote.ip);
	const irs = connection.irs ?? 0;
	return segment => {
		const fromLocal = segment.source === local && segment.sourcePort === connection.local.port
			&& segment.destination === remote && segment.destinationPort === connection.remote.port;
		if (fromLocal) {
			return {seq: (segment.seq - connection.iss) >>> 0, ack: (segment.ack - irs) >>> 0, sackBase: irs};
		}

		const fromRemote = segment.source === remote && segment.sourcePort === connection.remote.port
			&& segment.destination === local && segment.destinationPort === connection.local.port;
		if (fromRemote) {
			return {seq: (segment.seq - irs) >>> 0, ack: (segment.ack - connection.iss) >>> 0, sackBase: connection.iss};
		}

		return absoluteNumbering(segment);
	};
}

export type SummaryOptions = {
	/** Print this connection's segments relative to its ISS and IRS (see connectionNumbering); others absolute. */
	readonly relativeTo?: ConnectionNumbers;
	/** The frame's length on the wire when the capture holds fewer bytes (a snaplen); tcpdump prints wire lengths. */
	readonly wireLength?: number;
	/**
	 * Append ` [malformed: LAYER FIELD: REASON]` when synack's decoder reported a fault. tcpdump has no
	 * such text; the packet log wants it, `synack read --print` does not.
	 */
	readonly annotateErrors?: boolean;
};

/** Stateless: one frame's line. Without `relativeTo`, numbers are absolute (as tcpdump -S prints them). */
export function summarizeFrame(frame: DecodedFrame, options: SummaryOptions = {}): string {
	const numbering = options.relativeTo === undefined ? absoluteNumbering : connectionNumbering(options.relativeTo);
	const line = frameLine(frame, options.wireLength ?? frame.length, numbering);
	return options.annotateErrors && frame.error ? `${line} ${malformedText(frame)}` : line;
}

export function malformedText(frame: DecodedFrame): string {
	return frame.error ? `[malformed: ${frame.error.layer} ${frame.error.field}: ${frame.error.reason}]` : '';
}

/** `tcpdump -n -r` as a stateful printer: relative sequence numbers need the frames before (unless `absolute`, -S). */
export class TcpdumpPrinter {
	readonly #absolute: boolean;
	#numbering: Numbering;

	constructor(options: {readonly absolute?: boolean} = {}) {
		this.#absolute = options.absolute ?? false;
		this.#numbering = this.#absolute ? absoluteNumbering : tcpdumpNumbering();
	}

	/** The text tcpdump prints after the timestamp and a space. `wireLength` as in SummaryOptions. */
	line(frame: DecodedFrame, wireLength: number = frame.length): string {
		return frameLine(frame, wireLength, this.#numbering);
	}

	/** Forget every flow, as a new tcpdump process would. */
	reset(): void {
		this.#numbering = this.#absolute ? absoluteNumbering : tcpdumpNumbering();
	}
}

const emptyBytes = new Uint8Array(0);

function frameLine(frame: DecodedFrame, wireLength: number, numbering: Numbering): string {
	const {ethernet} = frame;
	if (ethernet === undefined) {
		// print-ether.c: a frame too short for its header (or for its 802.1Q tag).
		return frame.error?.field === 'vlan' ? ' [|vlan]' : ' [|ether]';
	}

	const linkLength = ethernetBufferLength(ethernet);
	const length = wireLength - linkLength;
	const captured = frame.length - linkLength;
	const payload = frame.payload ?? emptyBytes;
	switch (ethernet.etherType) {
		case etherTypes.arp: {
			return arpLine(frame.arp ? arpBytes(frame.arp, payload) : payload, length);
		}

		case etherTypes.ipv4: {
			const {ipv4} = frame;
			if (ipv4 === undefined) {
				return ipv4LineFromBytes(payload, length, numbering);
			}

			const header: Ipv4Header = {
				source: formatIpv4(ipv4.source),
				destination: formatIpv4(ipv4.destination),
				sourceAfterDestination: ipv4.source > ipv4.destination,
				headerLength: ipv4.headerLength,
				totalLength: ipv4.totalLength,
				protocol: ipv4.protocol,
				fragmentOffset: ipv4.fragmentOffset,
				moreFragments: ipv4.moreFragments,
			};
			const transport = frame.tcp ? tcpBytes(frame.tcp, ipv4.source, ipv4.destination) : payload;
			return ipv4Line(header, captured, transport, length, numbering);
		}

		case etherTypes.ipv6: {
			return ipv6Line(payload, numbering);
		}

		default: {
			if (ethernet.etherType <= 1500) {
				// Approximation: an IEEE 802.3 length field; tcpdump goes on into LLC/SNAP (STP, CDP, ...).
				return `LLC, length ${Math.min(ethernet.etherType, length)}`;
			}

			// print-ether.c for a type without a printer; approximation: tcpdump then dumps the bytes in
			// hex on further lines, and has printers for some types named here (LLDP, EAPOL, ...).
			const name = etherTypeNames[ethernet.etherType] ?? 'Unknown';
			return `${formatMac(ethernet.source)} > ${formatMac(ethernet.destination)}, ethertype ${name} (0x${hex4(ethernet.etherType)}), length ${wireLength}: `;
		}
	}
}

function arpBytes(arp: NonNullable<DecodedFrame['arp']>, rest: Uint8Array): Uint8Array {
	const bytes = new Uint8Array(28 + rest.length);
	emitArp(arp, bytes, 0);
	bytes.set(rest, 28);
	return bytes;
}

// Reused for every line: a summary keeps no reference to it, and the packet log prints long captures,
// where a fresh copy of each segment would only feed the garbage collector.
let scratch = new Uint8Array(2048);

/** The segment's bytes again (the decoder's records round-trip exactly), for the byte-level TCP printer. */
function tcpBytes(tcp: TcpRecord, source: Ipv4Address, destination: Ipv4Address): Uint8Array {
	const overrides = {dataOffset: tcp.headerLength / 4, flagsWord: (tcp.reserved << 9) | tcp.flags};
	const length = tcpBufferLength(tcp, overrides);
	if (length > scratch.length) {
		scratch = new Uint8Array(Math.max(length, scratch.length * 2));
	}

	emitTcp(tcp, scratch, 0, {source, destination}, overrides);
	return scratch.subarray(0, length);
}
