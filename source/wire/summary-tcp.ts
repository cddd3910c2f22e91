// tcpdump 4.99's TCP line (print-tcp.c, tcp_print), read from the segment's bytes so that odd
// option lists, bad header lengths and short captures print exactly as tcpdump prints them.
import {Truncation, u16, u32} from './summary-bytes.js';
import {BadOption, printOptions} from './summary-tcp-options.js';
import {httpCommands, printSshVersion, printTextProtocol} from './summary-text-protocols.js';

/** What a segment's numbers are printed as: `seq` and `ack`, and the base SACK edges are taken from. */
export type PrintedNumbers = {readonly seq: number; readonly ack: number; readonly sackBase: number};

/** The parts of a segment a numbering looks at; addresses are text so IPv4 and IPv6 share one table. */
export type SegmentKey = {
	readonly source: string;
	readonly destination: string;
	/** The addresses' bytes compare like this (network order), for tcpdump's tie-break on equal ports. */
	readonly sourceAfterDestination: boolean;
	readonly sourcePort: number;
	readonly destinationPort: number;
	readonly seq: number;
	readonly ack: number;
	readonly flags: number;
};

/** Turns absolute numbers into printed ones; may keep state (tcpdump's table) or not (a connection's ISS/IRS). */
export type Numbering = (segment: SegmentKey) => PrintedNumbers;

export const absoluteNumbering: Numbering = segment => ({seq: segment.seq, ack: segment.ack, sackBase: 0});

const flagLetters: ReadonlyArray<readonly [number, string]> = [
	[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W'],
];

/** tcpdump 4.99 reads the flags from byte 13 only: AE (the former NS bit) is never shown. */
export function tcpFlagText(flags: number): string {
	let text = '';
	for (const [bit, letter] of flagLetters) {
		if (flags & bit) {
			text += letter;
		}
	}

	return text === '' ? 'none' : text;
}

const fin = 0x01;
const syn = 0x02;
const rst = 0x04;
const ack = 0x10;
const urg = 0x20;


export type TcpLineInput = {
	readonly source: string;
	readonly destination: string;
	readonly sourceAfterDestination: boolean;
	/** The captured bytes of the segment, from its first header byte (possibly fewer than `length`). */
	readonly bytes: Uint8Array;
	/** The segment's length from the IP header (total length minus IP header length). */
	readonly length: number;
	readonly numbering: Numbering;
};

/** The text after `IP ` for a TCP segment; never throws. */
export function tcpLine(input: TcpLineInput): string {
	const state = {text: ''};
	try {
		printTcp(input, state);
	} catch (error) {
		if (error instanceof Truncation) {
			return `${state.text} [|${error.protocol}]${error.suffix}`;
		}

		throw error;
	}

	return state.text;
}

function printTcp(input: TcpLineInput, out: {text: string}): void {
	const {bytes, source, destination} = input;
	if (bytes.length < 4) {
		out.text += `${source} > ${destination}:`;
		throw new Truncation('tcp');
	}

	const sourcePort = u16(bytes, 0, 'tcp');
	const destinationPort = u16(bytes, 2, 'tcp');
	out.text += `${source}.${sourcePort} > ${destination}.${destinationPort}: `;
	if (bytes.length < 20) {
		throw new Truncation('tcp');
	}

	let headerLength = (bytes[12]! >>> 4) * 4;
	if (headerLength < 20) {
		out.text += ` tcp ${(input.length - headerLength) >>> 0} [bad hdr length ${headerLength} - too short, < 20]`;
		return;
	}

	const rawSeq = u32(bytes, 4, 'tcp');
	const rawAck = u32(bytes, 8, 'tcp');
	const window = u16(bytes, 14, 'tcp');
	const urgentPointer = u16(bytes, 18, 'tcp');
	const flags = bytes[13]!;
	out.text += `Flags [${tcpFlagText(flags)}]`;
	// Called here, before the length checks below, because tcpdump updates its table at this point.
	const numbers = input.numbering({source, destination, sourceAfterDestination: input.sourceAfterDestination, sourcePort, destinationPort, seq: rawSeq, ack: rawAck, flags});
	if (headerLength > input.length) {
		out.text += ` [bad hdr length ${headerLength} - too long, > ${input.length}]`;
		return;
	}

	const length = input.length - headerLength;
	if (length > 0 || flags & (syn | fin | rst)) {
		out.text += `, seq ${numbers.seq >>> 0}`;
		if (length > 0) {
			out.text += `:${(numbers.seq + length) >>> 0}`;
		}
	}

	if (flags & ack) {
		out.text += `, ack ${numbers.ack >>> 0}`;
	}

	out.text += `, win ${window}`;
	if (flags & urg) {
		out.text += `, urg ${urgentPointer}`;
	}

	if (headerLength > 20) {
		try {
			printOptions(bytes, headerLength, numbers.sackBase, flags, out);
		} catch (error) {
			if (error instanceof BadOption) {
				return;
			}

			throw error;
		}
	}

	out.text += `, length ${length}`;
	if (length === 0) {
		return;
	}

	headerLength = (bytes[12]! >>> 4) * 4;
	if (bytes.length < headerLength) {
		out.text += ` [remaining caplen(${bytes.length}) < header length(${headerLength})]`;
		throw new Truncation('tcp');
	}

	// Port-based payload printers: SSH's banner and HTTP's first line are reproduced, SSH first as in
	// tcpdump's chain. Approximation: tcpdump also decodes telnet, SMTP, whois, BGP, PPTP, Redis (all
	// tried before SSH), BEEP, OpenFlow, FTP, RTSP, DNS, MSDP, RPKI-RTR, LDP and NFS payloads by port,
	// where this line stops at `length N`.
	const isPort = (port: number): boolean => sourcePort === port || destinationPort === port;
	if (isPort(22)) {
		printSshVersion(bytes.subarray(headerLength), length, out);
	} else if (isPort(80) || isPort(8080)) {
		out.text += ': ';
		printTextProtocol(bytes.subarray(headerLength), length, 'http', httpCommands, out);
	}
}
