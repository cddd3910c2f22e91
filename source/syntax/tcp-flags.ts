// TCP flags as words: `SYN,ACK` in scripts and faults, `SYN ACK` in the frame detail. The letters
// tcpdump prints (`S.`) are wire's (summary-tcp.ts tcpFlagText), since wire imports nothing.
import {tcpFlags} from '../wire/records.js';

/** In tcpdump's order, the bits' own: FIN SYN RST PSH ACK URG ECE CWR, then AE (RFC 9768). */
const flagOrder = Object.entries(tcpFlags) as ReadonlyArray<readonly [string, number]>;

/** `SYN,ACK`, `FIN,PSH,ACK`, `none`: names as RFC 9293 spells them (AE per RFC 9768), any case. */
export function parseFlagNames(text: string): number | undefined {
	if (text === 'none') return 0;
	let flags = 0;
	for (const name of text.split(',')) {
		const bit = (tcpFlags as Record<string, number>)[name.toUpperCase()];
		if (bit === undefined) return undefined;
		flags |= bit;
	}

	return flags;
}

/** The flags' names in tcpdump's order joined by `separator`, or `none`; `parseFlagNames` reads the comma form back. */
export function flagNames(flags: number, separator = ','): string {
	const names = flagOrder.filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name);
	return names.length === 0 ? 'none' : names.join(separator);
}
