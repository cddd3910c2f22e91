// Multipath TCP options (TCP option kind 30) decoded per RFC 8684 §3, with RFC 6824's v0 forms.
// Pure and total: any bytes give a record or a reason, never an exception.
import {ipv6At} from './summary-bytes.js';

export const mptcpOptionKind = 30;

/** RFC 8684 §8 (IANA "MPTCP Option Subtypes"). */
export const mptcpSubtypes = {
	capable: 0x0,
	join: 0x1,
	dss: 0x2,
	addAddr: 0x3,
	removeAddr: 0x4,
	prio: 0x5,
	fail: 0x6,
	fastClose: 0x7,
	tcpRst: 0x8,
	experimental: 0xf,
} as const;

export type MptcpOption =
	| {
		readonly subtype: 'MP_CAPABLE';
		readonly version: number;
		/** A: the DSS checksum is required. */
		readonly checksumRequired: boolean;
		/** B: extensibility, must be 0 in RFC 8684. */
		readonly extensibility: boolean;
		/** C: do not open subflows to the source address (v1). */
		readonly noMoreSubflows: boolean;
		/** H: HMAC-SHA256 (v1; HMAC-SHA1 in v0). */
		readonly hmacSha256: boolean;
		readonly senderKey?: bigint;
		readonly receiverKey?: bigint;
		readonly dataLevelLength?: number;
		readonly checksum?: number;
	}
	| {readonly subtype: 'MP_JOIN'; readonly form: 'SYN'; readonly backup: boolean; readonly addressId: number; readonly token: number; readonly nonce: number}
	| {readonly subtype: 'MP_JOIN'; readonly form: 'SYN/ACK'; readonly backup: boolean; readonly addressId: number; readonly hmac: bigint; readonly nonce: number}
	| {readonly subtype: 'MP_JOIN'; readonly form: 'ACK'; readonly hmac: Uint8Array}
	| {
		readonly subtype: 'DSS';
		readonly dataFin: boolean;
		readonly dataAck?: bigint;
		readonly dataAckOctets?: 4 | 8;
		readonly dataSequence?: bigint;
		readonly dataSequenceOctets?: 4 | 8;
		readonly subflowSequence?: number;
		readonly dataLevelLength?: number;
		readonly checksum?: number;
	}
	| {
		readonly subtype: 'ADD_ADDR';
		/** 1 for RFC 8684 (the low nibble is the echo flag), 0 for RFC 6824 (it is the IP version). */
		readonly version: 0 | 1;
		readonly echo: boolean;
		readonly addressId: number;
		readonly address: string;
		readonly port?: number;
		readonly hmac?: bigint;
	}
	| {readonly subtype: 'REMOVE_ADDR'; readonly addressIds: readonly number[]}
	| {readonly subtype: 'MP_PRIO'; readonly backup: boolean; readonly addressId?: number}
	| {readonly subtype: 'MP_FAIL'; readonly dataSequence: bigint}
	| {readonly subtype: 'MP_FASTCLOSE'; readonly receiverKey: bigint}
	| {readonly subtype: 'MP_TCPRST'; readonly transient: boolean; readonly flags: number; readonly reason: number}
	| {readonly subtype: 'MP_EXPERIMENTAL' | 'unknown'; readonly code: number; readonly data: Uint8Array};

export type MptcpParse = {readonly ok: true; readonly option: MptcpOption} | {readonly ok: false; readonly reason: string};

/** RFC 8684 §3.6, "MPTCP RST Reason Codes". */
export const mptcpResetReasons: Readonly<Record<number, string>> = {
	0: 'unspecified error',
	1: 'MPTCP-specific error',
	2: 'lack of resources',
	3: 'administratively prohibited',
	4: 'too much outstanding data',
	5: 'unacceptable performance',
	6: 'middlebox interference',
};

const names = ['MP_CAPABLE', 'MP_JOIN', 'DSS', 'ADD_ADDR', 'REMOVE_ADDR', 'MP_PRIO', 'MP_FAIL', 'MP_FASTCLOSE', 'MP_TCPRST'];

const u16 = (bytes: Uint8Array, at: number): number => (bytes[at]! << 8) | bytes[at + 1]!;
const u32 = (bytes: Uint8Array, at: number): number =>
	((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
const u64 = (bytes: Uint8Array, at: number): bigint => (BigInt(u32(bytes, at)) << 32n) | BigInt(u32(bytes, at + 4));

const ok = (option: MptcpOption): MptcpParse => ({ok: true, option});

/** `data` is the option after its kind and length octets (what an `unknown` TcpOption of kind 30 holds). */
export function parseMptcpOption(data: Uint8Array): MptcpParse {
	const length = data.length + 2;
	if (data.length < 1) {
		return {ok: false, reason: `length ${length} leaves no room for a subtype`};
	}

	const code = data[0]! >>> 4;
	const nibble = data[0]! & 0x0f;
	const bad = (): MptcpParse => ({ok: false, reason: `${names[code]} length ${length} fits none of its forms`});
	switch (code) {
		case mptcpSubtypes.capable: {
			// RFC 8684 §3.1: 4 (SYN), 12 (SYN/ACK; both SYNs in v0), 20 (third ACK), 22 and 24 (with data).
			if (![4, 12, 20, 22, 24].includes(length)) {
				return bad();
			}

			const flags = data[1]!;
			return ok({
				subtype: 'MP_CAPABLE',
				version: nibble,
				checksumRequired: (flags & 0x80) !== 0,
				extensibility: (flags & 0x40) !== 0,
				noMoreSubflows: (flags & 0x20) !== 0,
				hmacSha256: (flags & 0x01) !== 0,
				...(length >= 12 ? {senderKey: u64(data, 2)} : {}),
				...(length >= 20 ? {receiverKey: u64(data, 10)} : {}),
				...(length >= 22 ? {dataLevelLength: u16(data, 18)} : {}),
				...(length === 24 ? {checksum: u16(data, 20)} : {}),
			});
		}

		case mptcpSubtypes.join: {
			// RFC 8684 §3.2: the length says which of the three handshake segments this is.
			const backup = (nibble & 0x01) !== 0;
			if (length === 12) {
				return ok({subtype: 'MP_JOIN', form: 'SYN', backup, addressId: data[1]!, token: u32(data, 2), nonce: u32(data, 6)});
			}

			if (length === 16) {
				return ok({subtype: 'MP_JOIN', form: 'SYN/ACK', backup, addressId: data[1]!, hmac: u64(data, 2), nonce: u32(data, 10)});
			}

			return length === 24 ? ok({subtype: 'MP_JOIN', form: 'ACK', hmac: data.slice(2, 22)}) : bad();
		}

		case mptcpSubtypes.dss: {
			return dss(data, length);
		}

		case mptcpSubtypes.addAddr: {
			return addAddr(data, length, nibble);
		}

		case mptcpSubtypes.removeAddr: {
			return length >= 4 ? ok({subtype: 'REMOVE_ADDR', addressIds: [...data.subarray(1)]}) : bad();
		}

		case mptcpSubtypes.prio: {
			// RFC 8684 §3.3.8 is 3 octets; RFC 6824 §3.3.8 added an address ID.
			if (length === 3) {
				return ok({subtype: 'MP_PRIO', backup: (nibble & 0x01) !== 0});
			}

			return length === 4 ? ok({subtype: 'MP_PRIO', backup: (nibble & 0x01) !== 0, addressId: data[1]!}) : bad();
		}

		case mptcpSubtypes.fail: {
			return length === 12 ? ok({subtype: 'MP_FAIL', dataSequence: u64(data, 2)}) : bad();
		}

		case mptcpSubtypes.fastClose: {
			return length === 12 ? ok({subtype: 'MP_FASTCLOSE', receiverKey: u64(data, 2)}) : bad();
		}

		case mptcpSubtypes.tcpRst: {
			// RFC 8684 §3.6: flags U V W T in the low nibble (T: transient), then the reason code.
			return length === 4 ? ok({subtype: 'MP_TCPRST', transient: (nibble & 0x01) !== 0, flags: nibble, reason: data[1]!}) : bad();
		}

		default: {
			return ok({subtype: code === mptcpSubtypes.experimental ? 'MP_EXPERIMENTAL' : 'unknown', code, data: data.subarray(1)});
		}
	}
}

/** RFC 8684 §3.3: the flags octet says which parts follow, and how wide the sequence numbers are. */
function dss(data: Uint8Array, length: number): MptcpParse {
	if (data.length < 2) {
		return {ok: false, reason: `DSS length ${length} has no flags octet`};
	}

	const flags = data[1]!;
	let at = 2;
	const need = (count: number): boolean => at + count <= data.length;
	let option: Extract<MptcpOption, {subtype: 'DSS'}> = {subtype: 'DSS', dataFin: (flags & 0x10) !== 0};
	if (flags & 0x01) {
		const octets = flags & 0x02 ? 8 : 4;
		if (!need(octets)) {
			return {ok: false, reason: `DSS length ${length} ends inside its ${octets}-octet data ACK`};
		}

		option = {...option, dataAck: octets === 8 ? u64(data, at) : BigInt(u32(data, at)), dataAckOctets: octets};
		at += octets;
	}

	if (flags & 0x04) {
		const octets = flags & 0x08 ? 8 : 4;
		if (!need(octets + 6)) {
			return {ok: false, reason: `DSS length ${length} ends inside its mapping`};
		}

		option = {
			...option,
			dataSequence: octets === 8 ? u64(data, at) : BigInt(u32(data, at)),
			dataSequenceOctets: octets,
			subflowSequence: u32(data, at + octets),
			dataLevelLength: u16(data, at + octets + 4),
		};
		at += octets + 6;
		// The checksum is there only when MP_CAPABLE negotiated it; its 2 octets show that it was.
		if (need(2)) {
			option = {...option, checksum: u16(data, at)};
			at += 2;
		}
	}

	const left = data.length - at;
	return left === 0 ? ok(option) : {ok: false, reason: `DSS length ${length} leaves ${left} octet${left === 1 ? '' : 's'} its flags do not account for`};
}

/** RFC 8684 §3.4.1 (v1: echo flag, HMAC) and RFC 6824 §3.4.1 (v0: IP version in the low nibble). */
function addAddr(data: Uint8Array, length: number, nibble: number): MptcpParse {
	const v0 = nibble === 4 || nibble === 6;
	if (!v0 && nibble > 1) {
		return {ok: false, reason: `ADD_ADDR flags 0x${nibble.toString(16)} are neither v1's echo flag nor a v0 IP version`};
	}

	const ipv4 = [8, 10, 16, 18].includes(length);
	const ipv6 = [20, 22, 28, 30].includes(length);
	if ((!ipv4 && !ipv6) || (v0 && (nibble === 4) !== ipv4) || (v0 && (length === 16 || length === 18 || length > 22))) {
		return {ok: false, reason: `ADD_ADDR length ${length} fits none of its forms`};
	}

	const addressLength = ipv4 ? 4 : 16;
	const address = ipv4 ? `${data[2]!}.${data[3]!}.${data[4]!}.${data[5]!}` : ipv6At(data, 2, 'mptcp');
	const rest = length - 4 - addressLength;
	// What follows the address: a port (2), an HMAC (8), or both, port first.
	const port = rest === 2 || rest === 10 ? u16(data, 2 + addressLength) : undefined;
	const hmac = rest >= 8 ? u64(data, 2 + addressLength + (rest === 10 ? 2 : 0)) : undefined;
	return ok({
		subtype: 'ADD_ADDR',
		version: v0 ? 0 : 1,
		echo: !v0 && nibble === 1,
		addressId: data[1]!,
		address,
		...(port === undefined ? {} : {port}),
		...(hmac === undefined ? {} : {hmac}),
	});
}
