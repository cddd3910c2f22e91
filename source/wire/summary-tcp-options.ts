// tcpdump 4.99's TCP options list (print-tcp.c's option loop), `, options [...]`, read from the
// header's bytes so that odd lengths and unknown kinds print as tcpdump prints them.
import {hex2, hex4, hexBytes, Truncation, u16, u32, u8} from './summary-bytes.js';
import {mptcpOptionText} from './summary-mptcp.js';

const optionNames: Readonly<Record<number, string>> = {
	0: 'eol', 1: 'nop', 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 6: 'echo', 7: 'echoreply', 8: 'TS',
	11: 'cc', 12: 'ccnew', 13: '', 19: 'md5', 20: 'scps', 28: 'uto', 29: 'tcp-ao', 30: 'mptcp', 34: 'tfo', 254: 'exp',
};

/** The option walk's way out: `[bad opt]` (a length that does not fit) ends the line without `length`. */
export class BadOption {}

/** `, options [...]` for the header's options; SACK edges relative to `sackBase`, as tcpdump numbers them. */
export function printOptions(bytes: Uint8Array, headerLength: number, sackBase: number, flags: number, out: {text: string}): void {
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
