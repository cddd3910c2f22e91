// tcpdump 4.99's text for one MPTCP option (TCP option kind 30; RFC 8684, v0 RFC 6824), after
// `mptcp`: its own length checks, not the RFC's, decide what prints and what is `[bad opt]`.
import {hex2, ipv6At} from './summary-bytes.js';

const syn = 0x02;
const ack = 0x10;

/** What the option adds to the line, and whether tcpdump accepted it (if not, `[bad opt]` follows). */
export type MptcpText = {readonly text: string; readonly ok: boolean};

const subtypeNames = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close'] as const;

// ADD_ADDR's low nibble: v0's IP version (RFC 6824 §3.4.1) or v1's echo bit (RFC 8684 §3.4.1).
const addAddrVariants: Readonly<Record<number, string>> = {6: 'v0-ip6', 4: 'v0-ip4', 1: 'v1-echo', 0: 'v1'};

const u16At = (bytes: Uint8Array, at: number): number => (bytes[at]! << 8) | bytes[at + 1]!;
const u32At = (bytes: Uint8Array, at: number): number =>
	((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
const u64At = (bytes: Uint8Array, at: number): bigint => (BigInt(u32At(bytes, at)) << 32n) | BigInt(u32At(bytes, at + 4));
const hex64 = (bytes: Uint8Array, at: number): string => `0x${u64At(bytes, at).toString(16)}`;

/**
 * `option` holds the whole option, kind and length bytes included, exactly `length` of them (the
 * caller checked that they were captured). `tcpFlags` is the TCP header's byte 13. Never throws.
 */
export function mptcpOptionText(option: Uint8Array, tcpFlags: number): MptcpText {
	const length = option.length;
	if (length < 3) {
		return {text: '', ok: false};
	}

	// Subtypes past MP_FASTCLOSE (MP_TCPRST, 8, among them) are all `unknown` in tcpdump 4.99.
	const subtype = Math.min(option[2]! >>> 4, subtypeNames.length);
	const head = ` ${length} ${subtypeNames[subtype] ?? 'unknown'}`;
	const body = subtypeText(subtype, option, tcpFlags);
	return {text: head + body.text, ok: body.ok};
}

function subtypeText(subtype: number, option: Uint8Array, flags: number): MptcpText {
	switch (subtype) {
		case 0: {
			return capable(option, flags);
		}

		case 1: {
			return join(option, flags);
		}

		case 2: {
			return dss(option, flags);
		}

		case 3: {
			return addAddr(option);
		}

		case 4: {
			return removeAddr(option);
		}

		case 5: {
			return prio(option);
		}

		case 6: {
			return option.length === 12 ? {text: ` seq ${u64At(option, 4)}`, ok: true} : rejected('');
		}

		case 7: {
			return option.length === 12 ? {text: ` key ${hex64(option, 4)}`, ok: true} : rejected('');
		}

		default: {
			return {text: '', ok: true};
		}
	}
}

const rejected = (text: string): MptcpText => ({text, ok: false});

/** MP_CAPABLE (RFC 8684 §3.1): 4 or 12 octets on a SYN, 20 or 22 on the ACK without SYN. */
function capable(option: Uint8Array, flags: number): MptcpText {
	const length = option.length;
	const onSyn = (length === 12 || length === 4) && (flags & syn) !== 0;
	const onAck = (length === 20 || length === 22) && (flags & (syn | ack)) === ack;
	if (!onSyn && !onAck) {
		return rejected('');
	}

	const version = option[2]! & 0x0f;
	if (version > 1) {
		return {text: ` Unknown Version (${version})`, ok: true};
	}

	let text = ` v${version}`;
	// Flag A ("checksum required"), the high bit of the flags octet.
	if (option[3]! & 0x80) {
		text += ' csum';
	}

	if (length === 12 || length >= 20) {
		text += ` {${hex64(option, 4)}`;
		if (length >= 20) {
			text += `,${hex64(option, 12)}`;
		}

		text += '}';
	}

	return {text, ok: true};
}

/** MP_JOIN (RFC 8684 §3.2): 12 octets on a SYN, 16 on a SYN/ACK, 24 on the third ACK. */
function join(option: Uint8Array, flags: number): MptcpText {
	const length = option.length;
	if (!(length === 12 && (flags & syn))
		&& !(length === 16 && (flags & (syn | ack)) === (syn | ack))
		&& !(length === 24 && (flags & ack))) {
		return rejected('');
	}

	let text = '';
	if (length !== 24) {
		if (option[2]! & 0x01) {
			text += ' backup';
		}

		text += ` id ${option[3]!}`;
	}

	if (length === 12) {
		text += ` token 0x${u32At(option, 4).toString(16)} nonce 0x${u32At(option, 8).toString(16)}`;
	} else if (length === 16) {
		text += ` hmac ${hex64(option, 4)} nonce 0x${u32At(option, 12).toString(16)}`;
	} else {
		text += ' hmac 0x';
		for (let at = 4; at < 24; at++) {
			text += hex2(option[at]!);
		}
	}

	return {text, ok: true};
}

/** DSS (RFC 8684 §3.3): flags, then the parts they announce, each checked before it prints. */
function dss(option: Uint8Array, flags: number): MptcpText {
	if (option.length < 4 || flags & syn) {
		return rejected('');
	}

	const dssFlags = option[3]!;
	let text = dssFlags & 0x10 ? ' fin' : '';
	let at = 4;
	let left = option.length - 4;
	// A data ACK or data sequence number, named before it is read (tcpdump prints the name of one cut short).
	const sequence = (name: string, wide: boolean): boolean => {
		const size = wide ? 8 : 4;
		text += ` ${name} `;
		if (left < size) return false;
		text += wide ? String(u64At(option, at)) : String(u32At(option, at));
		at += size;
		left -= size;
		return true;
	};

	// Data ACK present (A), 8 octets when `a` is set.
	if (dssFlags & 0x01 && !sequence('ack', (dssFlags & 0x02) !== 0)) {
		return rejected(text);
	}

	// Mapping present (M): data sequence number (8 octets when `m` is set), subflow sequence number,
	// data-level length, then the checksum if 2 octets remain.
	if (dssFlags & 0x04) {
		if (!sequence('seq', (dssFlags & 0x08) !== 0)) {
			return rejected(text);
		}

		if (left < 4) {
			return rejected(text);
		}

		text += ` subseq ${u32At(option, at)}`;
		at += 4;
		left -= 4;
		if (left < 2) {
			return rejected(text);
		}

		text += ` len ${u16At(option, at)}`;
		at += 2;
		left -= 2;
		if (left >= 2) {
			text += ` csum 0x${u16At(option, at).toString(16)}`;
			left -= 2;
		}
	}

	return left === 0 ? {text, ok: true} : rejected(text);
}

const addAddrLengths: ReadonlySet<number> = new Set([8, 10, 16, 18, 20, 22, 28, 30]);

/** ADD_ADDR (RFC 8684 §3.4.1): the family, port and HMAC are told apart by the length alone. */
function addAddr(option: Uint8Array): MptcpText {
	const length = option.length;
	if (!addAddrLengths.has(length)) {
		return rejected('');
	}

	let text = ` ${addAddrVariants[option[2]! & 0x0f] ?? '[bad version/echo]'} id ${option[3]!}`;
	if (length <= 18) {
		text += ` ${option[4]!}.${option[5]!}.${option[6]!}.${option[7]!}`;
		if (length === 10 || length === 18) {
			text += `:${u16At(option, 8)}`;
		}

		if (length === 16) {
			text += ` hmac ${hex64(option, 8)}`;
		} else if (length === 18) {
			text += ` hmac ${hex64(option, 10)}`;
		}
	} else {
		text += ` ${ipv6At(option, 4, 'mptcp')}`;
		if (length === 22 || length === 30) {
			text += `:${u16At(option, 20)}`;
		}

		if (length === 28) {
			text += ` hmac ${hex64(option, 20)}`;
		} else if (length === 30) {
			text += ` hmac ${hex64(option, 22)}`;
		}
	}

	return {text, ok: true};
}

/** REMOVE_ADDR (RFC 8684 §3.4.2): one address ID per octet after the subtype. */
function removeAddr(option: Uint8Array): MptcpText {
	if (option.length < 4) {
		return rejected('');
	}

	let text = ' id';
	for (let at = 3; at < option.length; at++) {
		text += ` ${option[at]!}`;
	}

	return {text, ok: true};
}

/** MP_PRIO (RFC 8684 §3.3.8; v0 carried an address ID in a fourth octet). */
function prio(option: Uint8Array): MptcpText {
	const length = option.length;
	if (length !== 3 && length !== 4) {
		return rejected('');
	}

	let text = option[2]! & 0x01 ? ' backup' : ' non-backup';
	if (length === 4) {
		text += ` id ${option[3]!}`;
	}

	return {text, ok: true};
}
