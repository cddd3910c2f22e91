import type {TcpOption} from '../wire/records.js';

/** RFC 9293 §3.7.1: the send MSS when the peer's SYN carries no MSS option (IPv4). */
export const defaultPeerMss = 536;
/** RFC 7323 §2.3: larger shifts are treated as 14. */
export const maxWindowScale = 14;
/** Bytes the timestamps option takes in every segment, with its two NOPs (RFC 7323 Appendix A). */
export const timestampsOverhead = 12;

/** What our SYN offers; each option can be switched off. */
export type SynOffer = {
	readonly mss: number;
	readonly sackPermitted: boolean;
	/** Our receive shift (RFC 7323 §2), or false not to offer window scaling. */
	readonly windowScale: number | false;
	readonly timestamps: boolean;
};

/** The options a SYN carries, read without judging them. */
export type SynOptions = {
	readonly mss?: number;
	readonly windowScale?: number;
	readonly sackPermitted: boolean;
	readonly timestamps?: {readonly value: number; readonly echo: number};
};

export function readSynOptions(options: readonly TcpOption[]): SynOptions {
	let mss: number | undefined;
	let windowScale: number | undefined;
	let sackPermitted = false;
	let timestamps: {value: number; echo: number} | undefined;
	for (const option of options) {
		switch (option.kind) {
			case 'mss': {
				mss ??= option.value;
				break;
			}

			case 'wscale': {
				windowScale ??= option.shift;
				break;
			}

			case 'sackOK': {
				sackPermitted = true;
				break;
			}

			case 'timestamps': {
				timestamps ??= {value: option.value, echo: option.echo};
				break;
			}

			default:
		}
	}

	return {mss, windowScale, sackPermitted, timestamps};
}

export function findTimestamps(options: readonly TcpOption[]): {readonly value: number; readonly echo: number} | undefined {
	for (const option of options) {
		if (option.kind === 'timestamps') return option;
	}

	return undefined;
}

/**
 * SYN options in the order Linux sends them (MSS, SACK-permitted, timestamps, NOP, window scale; NOPs
 * pad to 32 bits when timestamps are off), so captures look familiar next to the kernel's.
 * `answer` is the peer's SYN when this is a SYN-ACK: RFC 7323 §2.2, §3.2 and RFC 2018 §2 allow an
 * option in a SYN-ACK only when the SYN carried it.
 */
export function synOptions(offer: SynOffer, tsVal: number, tsEcr: number, answer?: SynOptions): TcpOption[] {
	const sack = offer.sackPermitted && (answer === undefined || answer.sackPermitted);
	const timestamps = offer.timestamps && (answer === undefined || answer.timestamps !== undefined);
	const wscale = offer.windowScale !== false && (answer === undefined || answer.windowScale !== undefined);
	const options: TcpOption[] = [{kind: 'mss', value: offer.mss}];
	if (timestamps) {
		if (sack) options.push({kind: 'sackOK'});
		else options.push({kind: 'nop'}, {kind: 'nop'});
		options.push({kind: 'timestamps', value: tsVal >>> 0, echo: tsEcr >>> 0});
	} else if (sack) {
		options.push({kind: 'nop'}, {kind: 'nop'}, {kind: 'sackOK'});
	}

	if (wscale) options.push({kind: 'nop'}, {kind: 'wscale', shift: offer.windowScale as number});
	return options;
}

/** The options of a non-SYN segment: timestamps when negotiated, then SACK blocks (RFC 2018 §3), at most 40 bytes. */
export function segmentOptions(
	timestamps: {readonly value: number; readonly echo: number} | undefined,
	sackBlocks: ReadonlyArray<readonly [number, number]>,
): TcpOption[] {
	const options: TcpOption[] = [];
	if (timestamps) options.push({kind: 'nop'}, {kind: 'nop'}, {kind: 'timestamps', value: timestamps.value >>> 0, echo: timestamps.echo >>> 0});
	if (sackBlocks.length > 0) {
		// RFC 2018 §3: 4 blocks fit without timestamps, 3 with them.
		const room = timestamps ? 3 : 4;
		options.push({kind: 'nop'}, {kind: 'nop'}, {kind: 'sack', blocks: sackBlocks.slice(0, room)});
	}

	return options;
}
