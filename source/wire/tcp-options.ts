import type {TcpOption} from './records.js';
import {fault, type ParseResult} from './result.js';

/** IANA "TCP Option Kind Numbers" for the options synack understands. */
export const tcpOptionKinds = {
	eol: 0,
	nop: 1,
	mss: 2,
	wscale: 3,
	sackOK: 4,
	sack: 5,
	timestamps: 8,
} as const;

const kindNames: Readonly<Record<number, string>> = {2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 8: 'timestamps'};

// Options without fields are shared: records are read-only, and decoding then allocates nothing for them.
const eolOption: TcpOption = Object.freeze({kind: 'eol'});
const nopOption: TcpOption = Object.freeze({kind: 'nop'});
const sackOkOption: TcpOption = Object.freeze({kind: 'sackOK'});
const emptyBytes: Uint8Array = new Uint8Array(0);

const readU32 = (bytes: Uint8Array, offset: number): number =>
	((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;

function optionName(kind: number): string {
	const name = kindNames[kind];
	return name === undefined ? `option kind ${kind}` : `option ${name} (kind ${kind})`;
}

export type TcpOptionsParse = ParseResult<readonly TcpOption[], {
	/** What follows an End of Option List up to the end of the header. */
	readonly padding: Uint8Array;
}>;

/**
 * RFC 9293 §3.1–3.2 option list between `start` and `end` (the end of the TCP header). A known kind
 * whose length it does not allow is kept as 'unknown' so that its bytes round-trip; a length that is
 * below 2 or runs past the header is an error, since the rest of the list cannot be found.
 */
export function parseTcpOptions(bytes: Uint8Array, start: number, end: number): TcpOptionsParse {
	const options: TcpOption[] = [];
	let index = start;
	while (index < end) {
		const kind = bytes[index]!;
		if (kind === tcpOptionKinds.eol) {
			options.push(eolOption);
			return {ok: true, record: options, padding: bytes.subarray(index + 1, end)};
		}

		if (kind === tcpOptionKinds.nop) {
			options.push(nopOption);
			index++;
			continue;
		}

		if (index + 1 >= end) {
			return fault('tcp', 'options', `${optionName(kind)} has no length byte before the header ends`);
		}

		const length = bytes[index + 1]!;
		if (length < 2) {
			return fault('tcp', 'options', `${optionName(kind)} length ${length} (< 2)`);
		}

		if (index + length > end) {
			return fault('tcp', 'options', `${optionName(kind)} length ${length} runs past the header`);
		}

		options.push(readOption(bytes, index, kind, length));
		index += length;
	}

	return {ok: true, record: options, padding: emptyBytes};
}

function readOption(bytes: Uint8Array, index: number, kind: number, length: number): TcpOption {
	switch (kind) {
		case tcpOptionKinds.mss: {
			if (length === 4) {
				return {kind: 'mss', value: (bytes[index + 2]! << 8) | bytes[index + 3]!};
			}

			break;
		}

		case tcpOptionKinds.wscale: {
			if (length === 3) {
				return {kind: 'wscale', shift: bytes[index + 2]!};
			}

			break;
		}

		case tcpOptionKinds.sackOK: {
			if (length === 2) {
				return sackOkOption;
			}

			break;
		}

		case tcpOptionKinds.sack: {
			// RFC 2018 §3: 8 bytes per block after kind and length, at least one block.
			if (length >= 10 && (length - 2) % 8 === 0) {
				const blocks: Array<readonly [number, number]> = [];
				for (let at = index + 2; at < index + length; at += 8) {
					blocks.push([readU32(bytes, at), readU32(bytes, at + 4)]);
				}

				return {kind: 'sack', blocks};
			}

			break;
		}

		case tcpOptionKinds.timestamps: {
			if (length === 10) {
				return {kind: 'timestamps', value: readU32(bytes, index + 2), echo: readU32(bytes, index + 6)};
			}

			break;
		}

		default: {
			break;
		}
	}

	return {kind: 'unknown', type: kind, data: bytes.subarray(index + 2, index + length)};
}

export function tcpOptionLength(option: TcpOption): number {
	switch (option.kind) {
		case 'eol':
		case 'nop': {
			return 1;
		}

		case 'mss': {
			return 4;
		}

		case 'wscale': {
			return 3;
		}

		case 'sackOK': {
			return 2;
		}

		case 'sack': {
			return 2 + (8 * option.blocks.length);
		}

		case 'timestamps': {
			return 10;
		}

		case 'unknown': {
			return 2 + option.data.length;
		}
	}
}

export function tcpOptionsLength(options: readonly TcpOption[]): number {
	let length = 0;
	for (const option of options) {
		length += tcpOptionLength(option);
	}

	return length;
}

function writeU32(buffer: Uint8Array, offset: number, value: number): void {
	buffer[offset] = value >>> 24;
	buffer[offset + 1] = value >>> 16;
	buffer[offset + 2] = value >>> 8;
	buffer[offset + 3] = value;
}

/** Writes the options in order, adding no padding; returns the bytes written. */
export function emitTcpOptions(options: readonly TcpOption[], buffer: Uint8Array, offset: number): number {
	let at = offset;
	for (const option of options) {
		switch (option.kind) {
			case 'eol': {
				buffer[at++] = tcpOptionKinds.eol;
				break;
			}

			case 'nop': {
				buffer[at++] = tcpOptionKinds.nop;
				break;
			}

			case 'mss': {
				buffer[at] = tcpOptionKinds.mss;
				buffer[at + 1] = 4;
				buffer[at + 2] = option.value >>> 8;
				buffer[at + 3] = option.value;
				at += 4;
				break;
			}

			case 'wscale': {
				buffer[at] = tcpOptionKinds.wscale;
				buffer[at + 1] = 3;
				buffer[at + 2] = option.shift;
				at += 3;
				break;
			}

			case 'sackOK': {
				buffer[at] = tcpOptionKinds.sackOK;
				buffer[at + 1] = 2;
				at += 2;
				break;
			}

			case 'sack': {
				buffer[at] = tcpOptionKinds.sack;
				buffer[at + 1] = 2 + (8 * option.blocks.length);
				at += 2;
				for (const [left, right] of option.blocks) {
					writeU32(buffer, at, left);
					writeU32(buffer, at + 4, right);
					at += 8;
				}

				break;
			}

			case 'timestamps': {
				buffer[at] = tcpOptionKinds.timestamps;
				buffer[at + 1] = 10;
				writeU32(buffer, at + 2, option.value);
				writeU32(buffer, at + 6, option.echo);
				at += 10;
				break;
			}

			case 'unknown': {
				buffer[at] = option.type;
				buffer[at + 1] = 2 + option.data.length;
				buffer.set(option.data, at + 2);
				at += 2 + option.data.length;
				break;
			}
		}
	}

	return at - offset;
}
