import {formatIpv4} from '../wire/addresses.js';
import type {DecodedFrame} from '../wire/records.js';
import {tcpFlags} from '../wire/records.js';

export type Endpoints = {readonly ip: number; readonly port: number};

/** A TCP conversation in a capture or log: both directions of one address/port pair. */
export type Conversation = {
	/** 1-based, in order of first appearance. */
	readonly number: number;
	/** The side that sent the first SYN (without ACK), else the first sender seen. */
	readonly client: Endpoints;
	readonly server: Endpoints;
	/** Indexes (into the frames given) of the frames that belong to it, in order. */
	readonly frames: readonly number[];
};

function key(a: Endpoints, b: Endpoints): string {
	const [low, high] = a.ip < b.ip || (a.ip === b.ip && a.port <= b.port) ? [a, b] : [b, a];
	return `${low.ip}:${low.port}-${high.ip}:${high.port}`;
}

/** Groups TCP frames by conversation; frames that are not TCP belong to none. */
export function conversations(frames: ReadonlyArray<DecodedFrame | undefined>): Conversation[] {
	const byKey = new Map<string, {number: number; client: Endpoints; server: Endpoints; frames: number[]; sawSyn: boolean}>();
	for (const [index, frame] of frames.entries()) {
		if (!frame?.tcp || !frame.ipv4) continue;
		const source = {ip: frame.ipv4.source, port: frame.tcp.sourcePort};
		const destination = {ip: frame.ipv4.destination, port: frame.tcp.destinationPort};
		const id = key(source, destination);
		let conversation = byKey.get(id);
		const isSyn = (frame.tcp.flags & (tcpFlags.SYN | tcpFlags.ACK)) === tcpFlags.SYN;
		if (!conversation) {
			conversation = {number: byKey.size + 1, client: source, server: destination, frames: [], sawSyn: isSyn};
			byKey.set(id, conversation);
		} else if (isSyn && !conversation.sawSyn) {
			// The first pure SYN names the client, even when a stray frame came first.
			conversation.client = source;
			conversation.server = destination;
			conversation.sawSyn = true;
		}

		conversation.frames.push(index);
	}

	return [...byKey.values()].map(({number, client, server, frames: indexes}) => ({number, client, server, frames: indexes}));
}

export function formatEndpoints({ip, port}: Endpoints): string {
	return `${formatIpv4(ip)}:${port}`;
}
