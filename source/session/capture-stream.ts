// A capture's conversation as a followed stream: which side is "ours", and its frames as segments.
import type {DecodedFrame} from '../wire/records.js';
import type {Conversation, Endpoints} from './conversations.js';
import {reassemble, type StreamReassembler, type StreamSegment} from './stream-reassembly.js';

/**
 * The side `synack read` shows as ours (`→ out`): the one at the capture's local address (the first
 * conversation's client, as in a capture of a synack session), else the conversation's client.
 */
export function ourSide(conversation: Pick<Conversation, 'client' | 'server'>, local: number | undefined): Endpoints {
	return local !== undefined && conversation.server.ip === local && conversation.client.ip !== local ? conversation.server : conversation.client;
}

/**
 * The conversation's TCP frames as stream segments. A frame whose checksum is wrong never reached
 * the receiver's application, so it adds nothing (a frame not judged, `tcpChecksumOk` undefined, does).
 */
export function* streamSegments(frames: Iterable<DecodedFrame>, ours: Endpoints): Generator<StreamSegment> {
	for (const frame of frames) {
		const {ipv4, tcp} = frame;
		if (!ipv4 || !tcp || frame.tcpChecksumOk === false) continue;
		const side = ipv4.source === ours.ip && tcp.sourcePort === ours.port ? 'out' : 'in';
		yield {side, seq: tcp.seq, flags: tcp.flags, payload: tcp.payload};
	}
}

export function followCapture(frames: Iterable<DecodedFrame>, ours: Endpoints): StreamReassembler {
	return reassemble(streamSegments(frames, ours));
}
