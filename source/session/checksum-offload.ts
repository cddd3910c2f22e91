// TCP checksums left to the network card. A capture taken on the sending host sees its frames before
// the card fills in their checksum (Linux: CHECKSUM_PARTIAL), so every one of them looks wrong. Like
// Wireshark (which does not judge TCP checksums by default for this reason), `read` does not hold
// those against the sender, unless asked to (`--check-checksums`).
import {foldSum, pseudoHeaderSum} from '../wire/checksum.js';
import {formatIpv4} from '../wire/addresses.js';
import type {DecodedFrame} from '../wire/records.js';

export type OffloadedSender = {
	readonly ip: number;
	/** Its TCP frames whose checksum could be checked: every one was wrong. */
	readonly frames: number;
	/** How many of them hold the pseudo-header sum, as a checksum left for offload does. */
	readonly partial: number;
};

/**
 * The senders whose every checkable TCP checksum is wrong. One wrong checksum among right ones is a
 * real error (a fault, a bad link) and stays judged; a sender that is wrong every time is offloading.
 */
export function offloadedSenders(frames: Iterable<DecodedFrame>): OffloadedSender[] {
	const bySender = new Map<number, {good: number; bad: number; partial: number}>();
	for (const frame of frames) {
		if (!frame.ipv4 || !frame.tcp || frame.tcpChecksumOk === undefined) continue;
		let counts = bySender.get(frame.ipv4.source);
		if (!counts) bySender.set(frame.ipv4.source, (counts = {good: 0, bad: 0, partial: 0}));
		if (frame.tcpChecksumOk) counts.good++;
		else {
			counts.bad++;
			if (looksPartial(frame)) counts.partial++;
		}
	}

	return [...bySender].filter(([, counts]) => counts.good === 0 && counts.bad > 0).map(([ip, counts]) => ({ip, frames: counts.bad, partial: counts.partial}));
}

/**
 * Linux leaves the pseudo-header's sum in the checksum field for the card to finish
 * (`__tcp_v4_send_check`: `th->check = ~tcp_v4_check(len, saddr, daddr, 0)`): a frame with exactly
 * that value was captured before its checksum was computed, not damaged on the way.
 */
export function looksPartial(frame: DecodedFrame): boolean {
	const {ipv4, tcp} = frame;
	if (!ipv4 || !tcp || frame.tcpChecksumOk !== false) return false;
	const length = ipv4.totalLength - ipv4.headerLength;
	const sum = foldSum(pseudoHeaderSum(ipv4.source, ipv4.destination, 6, length));
	// One's complement has two zeros; a sum that folds to 0xffff may be stored as either.
	return tcp.checksum === sum || (sum === 0xff_ff && tcp.checksum === 0);
}

/** The frame as if its TCP checksum had not been checked. */
export function unjudged(frame: DecodedFrame): DecodedFrame {
	if (frame.tcpChecksumOk === undefined) return frame;
	const {tcpChecksumOk: _, ...rest} = frame;
	return rest;
}

/** Frames from the offloaded senders lose their checksum verdict; the others keep it. */
export function withoutOffloaded<T extends {frame: DecodedFrame}>(rows: readonly T[], senders: readonly OffloadedSender[]): T[] {
	if (senders.length === 0) return [...rows];
	const ips = new Set(senders.map(sender => sender.ip));
	return rows.map(row => (row.frame.ipv4 && ips.has(row.frame.ipv4.source) ? {...row, frame: unjudged(row.frame)} : row));
}

/** The one line said at the top: which side's checksums were taken as offloaded. */
export function offloadNote(senders: readonly OffloadedSender[], name: (ip: number) => string = formatIpv4): string | undefined {
	if (senders.length === 0) return undefined;
	const parts = senders.map(sender => `${name(sender.ip)} (all ${sender.frames} wrong${sender.partial === sender.frames ? ', each only the pseudo-header sum' : ''})`);
	return `TCP checksums not judged from ${parts.join(' and ')}: offload, captured on the sender before its card filled them in; --check-checksums judges them`;
}
