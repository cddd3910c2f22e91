// The payload printers tcpdump 4.99 chooses by port: SSH's identification line and HTTP's first
// line (print-ssh.c, print-http.c with util-print.c's txtproto_print).
import {isPrint, Truncation, u8} from './summary-bytes.js';

/**
 * print-ssh.c: a payload that starts with `SSH-` (RFC 4253 §4.2's identification string) prints its
 * first line when it ends within the segment in LF or CR LF and holds only printable ASCII.
 */
export function printSshVersion(bytes: Uint8Array, length: number, out: {text: string}): void {
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

/** print-http.c's request methods. */
export const httpCommands: ReadonlySet<string> = new Set([
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
export function printTextProtocol(bytes: Uint8Array, length: number, protocol: string, commands: ReadonlySet<string>, out: {text: string}): void {
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
