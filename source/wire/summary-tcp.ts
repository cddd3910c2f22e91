// tcpdump 4.99's TCP line (print-tcp.c, tcp_print), read from the segment's bytes so that odd
// option lists, bad header lengths and short captures print exactly as tcpdump prints them.
import {hex2, hex4, hexBytes, isPrint, Truncation, u16, u32, u8} from './summary-bytes.js';
import {mptcpOptionText} from './summary-mptcp.js';

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

const optionNames: Readonly<Record<number, string>> = {
	0: 'eol', 1: 'nop', 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 6: 'echo', 7: 'echoreply', 8: 'TS',
	11: 'cc', 12: 'ccnew', 13: '', 19: 'md5', 20: 'scps', 28: 'uto', 29: 'tcp-ao', 30: 'mptcp', 34: 'tfo', 254: 'exp',
};

/** The option walk's way out: `[bad opt]` (a length that does not fit) ends the line without `length`. */
class BadOption {}

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

/**
 * print-ssh.c: a payload that starts with `SSH-` (RFC 4253 §4.2's identification string) prints its
 * first line when it ends within the segment in LF or CR LF and holds only printable ASCII.
 */
function printSshVersion(bytes: Uint8Array, length: number, out: {text: string}): void {
	for (let index = 0; index < 4; index++) {
		if (u8(bytes, index, 'ssh') !== 'SSH-'.charCodeAt(index)) {
			return;
		}
	}

	for (let index = 4; index < length; index++) {
		const byte = u8(bytes, index, 'ssh');
		const endsLine = byte === 0x0a || (byte === 0x0d && index + 1 < length && u8(bytes, index + 1, 'ssh') === 0x0a);
		if (endsLine) {
			out.text += `: SSH: ${latin1(bytes, 0, index)}`;
			return;
		}

		if (!isPrint(byte)) {
			return;
		}
	}
}

function printOptions(bytes: Uint8Array, headerLength: number, sackBase: number, flags: number, out: {text: string}): void {
	let remaining = headerLength - 20;
	let at = 20;
	let separator = '';
	out.text += ', options [';
	const bad = (): never => {
		out.text += '[bad opt]';
		if (separator !== '') {
			out.text += ']';
		}

		throw new BadOption();
	};

	// LENCHECK: data beyond the option list is malformed, data beyond the capture is truncated
	// (and then tcpdump's local trunc label adds `>` once an option was printed).
	const need = (count: number): void => {
		if (count > remaining) {
			bad();
		}

		if (at + count > bytes.length) {
			throw new Truncation('tcp', separator === '' ? '' : '>');
		}
	};

	while (remaining > 0) {
		out.text += separator;
		const kind = u8(bytes, at++, 'tcp');
		let length = 1;
		if (kind > 1) {
			length = u8(bytes, at++, 'tcp');
			if (length < 2 || length > remaining) {
				bad();
			}

			remaining--;
		}

		remaining--;
		let dataLength = 0;
		out.text += optionNames[kind] ?? `unknown-${kind}`;
		switch (kind) {
			case 2: {
				dataLength = 2;
				need(2);
				out.text += ` ${u16(bytes, at, 'tcp')}`;
				break;
			}

			case 3: {
				dataLength = 1;
				need(1);
				out.text += ` ${u8(bytes, at, 'tcp')}`;
				break;
			}

			case 5: {
				dataLength = length - 2;
				if (dataLength % 8 === 0) {
					out.text += ` ${dataLength / 8} `;
					for (let index = 0; index < dataLength; index += 8) {
						need(index + 4);
						const left = (u32(bytes, at + index, 'tcp') - sackBase) >>> 0;
						need(index + 8);
						const right = (u32(bytes, at + index + 4, 'tcp') - sackBase) >>> 0;
						out.text += `{${left}:${right}}`;
					}
				} else {
					out.text += ' invalid sack';
				}

				break;
			}

			case 6:
			case 7:
			case 11:
			case 12:
			case 13: {
				dataLength = 4;
				need(4);
				out.text += ` ${u32(bytes, at, 'tcp')}`;
				break;
			}

			case 8: {
				dataLength = 8;
				need(8);
				out.text += ` val ${u32(bytes, at, 'tcp')} ecr ${u32(bytes, at + 4, 'tcp')}`;
				break;
			}

			case 19: {
				// Debian's tcpdump is built with libcrypto; without -M it says so, then shows the digest.
				dataLength = 16;
				need(16);
				out.text += ` shared secret not supplied with -M, can't check - ${hexBytes(bytes, at, at + 16)}`;
				break;
			}

			case 20: {
				dataLength = 2;
				need(2);
				out.text += ` cap ${hex2(u8(bytes, at, 'tcp'))} id ${u8(bytes, at + 1, 'tcp')}`;
				break;
			}

			case 28: {
				dataLength = 2;
				need(2);
				const value = u16(bytes, at, 'tcp');
				// RFC 5482 §3: the low bit says minutes rather than seconds.
				out.text += ` 0x${value.toString(16)} ${value & 1 ? (value >>> 1) * 60 : value >>> 1}`;
				break;
			}

			case 29: {
				dataLength = length - 2;
				// RFC 5925 §2.2: length at least 4.
				if (dataLength < 2) {
					out.text += ' (invalid)';
				} else {
					need(1);
					out.text += ` keyid ${u8(bytes, at, 'tcp')}`;
					need(2);
					out.text += ` rnextkeyid ${u8(bytes, at + 1, 'tcp')}`;
					if (dataLength > 2) {
						out.text += ' mac 0x';
						for (let index = 2; index < dataLength; index++) {
							need(index + 1);
							out.text += hex2(bytes[at + index]!);
						}
					}
				}

				break;
			}

			case 30: {
				dataLength = length - 2;
				need(dataLength);
				const mptcp = mptcpOptionText(bytes.subarray(at - 2, at + dataLength), flags);
				out.text += mptcp.text;
				if (!mptcp.ok) {
					bad();
				}

				break;
			}

			case 34: {
				dataLength = length - 2;
				need(dataLength);
				out.text += ` ${fastOpen(bytes, at, dataLength)}`;
				break;
			}

			case 254: {
				dataLength = length - 2;
				need(dataLength);
				if (dataLength < 2) {
					bad();
				}

				// RFC 6994 shared experimental option: a 16-bit magic number first.
				const magic = u16(bytes, at, 'tcp');
				out.text += magic === 0xf9_89 ? `-tfo${fastOpen(bytes, at + 2, dataLength - 2)}` : `-${hex4(magic)}`;
				break;
			}

			case 0:
			case 1:
			case 4: {
				break;
			}

			default: {
				dataLength = length - 2;
				if (dataLength > 0) {
					out.text += ' 0x';
				}

				for (let index = 0; index < dataLength; index++) {
					need(index + 1);
					out.text += hex2(bytes[at + index]!);
				}

				break;
			}
		}

		at += dataLength;
		remaining -= dataLength;
		const expected = dataLength + (kind > 1 ? 2 : 1);
		if (expected !== length) {
			out.text += `[len ${length}]`;
		}

		separator = ',';
		if (kind === 0) {
			break;
		}
	}

	out.text += ']';
}

function fastOpen(bytes: Uint8Array, at: number, length: number): string {
	if (length === 0) {
		return ' cookiereq';
	}

	// RFC 7413 §4.1.1: the cookie is 4 to 16 bytes, an even number.
	if (length % 2 !== 0 || length < 4 || length > 16) {
		return ' (invalid)';
	}

	return ` cookie ${hexBytes(bytes, at, at + length)}`;
}

/** print-http.c's request methods. */
const httpCommands: ReadonlySet<string> = new Set([
	'GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE', 'LABEL', 'MERGE',
	'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT', 'OPTIONS', 'CHECKIN', 'PROPFIND',
	'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY',
	'MKWORKSPACE', 'UNSUBSCRIBE', 'RPC_CONNECT', 'VERSION-CONTROL', 'BASELINE-CONTROL',
]);

const maxToken = 128;

/** util-print.c fetch_token: the next token and the index after the blanks that follow it, or undefined. */
function fetchToken(bytes: Uint8Array, start: number, length: number): {token: string; next: number} | undefined {
	let index = start;
	let token = '';
	for (; index < length; index++) {
		if (index >= bytes.length) {
			return undefined;
		}

		const byte = bytes[index]!;
		if (byte >= 0x80) {
			return undefined;
		}

		if (byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a) {
			break;
		}

		if (!isPrint(byte) || token.length + 2 > maxToken + 1) {
			return undefined;
		}

		token += String.fromCharCode(byte);
	}

	if (token === '') {
		return undefined;
	}

	for (; index < length && index < bytes.length; index++) {
		const byte = bytes[index]!;
		if (byte !== 0x20 && byte !== 0x09) {
			break;
		}
	}

	return {token, next: index};
}

/** util-print.c txtproto_print without -v: the protocol's name, then its first line if it looks like one. */
function printTextProtocol(bytes: Uint8Array, length: number, protocol: string, commands: ReadonlySet<string>, out: {text: string}): void {
	let show = false;
	let found = fetchToken(bytes, 0, length);
	if (found !== undefined) {
		show = commands.has(found.token.toUpperCase());
		// RESP_CODE_SECOND_TOKEN: a response says `HTTP/1.1 200 ...`.
		found = fetchToken(bytes, found.next, length);
		if (found !== undefined && /^\d{3}$/.test(found.token)) {
			show = true;
		}
	}

	out.text += protocol.toUpperCase();
	if (!show) {
		return;
	}

	for (let index = 0; index < length; index++) {
		const byte = u8(bytes, index, protocol);
		if (byte === 0x0a) {
			out.text += `: ${latin1(bytes, 0, index)}`;
			return;
		}

		if (byte === 0x0d) {
			if (index + 1 >= length || u8(bytes, index + 1, protocol) !== 0x0a) {
				return;
			}

			out.text += `: ${latin1(bytes, 0, index)}`;
			return;
		}

		if (!isPrint(byte) && byte !== 0x09) {
			return;
		}
	}

	out.text += `: ${latin1(bytes, 0, length)}`;
	throw new Truncation(protocol);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
	return String.fromCharCode(...bytes.subarray(start, end));
}
