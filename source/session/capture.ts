// A capture file as the read-only viewer shows it: every frame as a log entry, the TCP conversations,
// and each conversation replayed through two engines (states and verdicts after every segment).
import {PcapReader, type PcapProblem} from '../link/pcap-file.js';
import {decodeFrame} from '../wire/decode.js';
import {offloadedSenders, offloadNote, withoutOffloaded} from './checksum-offload.js';
import type {DecodedFrame} from '../wire/records.js';
import {type Conversation, conversations} from './conversations.js';
import type {Annotation, LogEntry} from './packet-log.js';
import {reconstruct, type ReconstructedRow} from './reconstruct.js';

export type CaptureConversation = Conversation & {
	/** The states after each of its segments, and the receiver's verdicts (same order as `frames`). */
	readonly states: readonly ReconstructedRow[];
};

export type Capture = {
	readonly file: string;
	/** Every frame, numbered from 1 as Wireshark does. */
	readonly entries: readonly LogEntry[];
	readonly conversations: readonly CaptureConversation[];
	/** The address shown as ours (`→ out`): the first conversation's client, as in a capture of a synack session. */
	readonly local: number | undefined;
	/** Reading stopped early (a capture cut short): what could be read is here. */
	readonly problem: PcapProblem | undefined;
	/** Whose TCP checksums were not judged because every one was wrong (offload), said once. */
	readonly offload: string | undefined;
};

/** Reads the whole capture (the viewer needs every frame to group conversations). */
export function loadCapture(file: string, {checkChecksums = false} = {}): Capture {
	const reader = PcapReader.open(file);
	let read: Array<{timestamp: LogEntry['timestamp']; bytes: Uint8Array; frame: DecodedFrame}> = [];
	try {
		for (const record of reader.records()) read.push({timestamp: record.timestamp, bytes: record.bytes, frame: decodeFrame(record.bytes)});
	} finally {
		reader.close();
	}

	// Like Wireshark: a sender whose every checksum is wrong left them to its card (see checksum-offload.ts).
	const offloaded = checkChecksums ? [] : offloadedSenders(read.map(row => row.frame));
	read = withoutOffloaded(read, offloaded);
	const found = conversations(read.map(row => row.frame));
	const local = found[0]?.client.ip;
	const annotations: Annotation[][] = read.map(() => []);
	const connection: Array<number | undefined> = read.map(() => undefined);
	const withStates = found.map((conversation): CaptureConversation => {
		const states = reconstruct(conversation.frames.map(index => read[index]!), conversation.client, conversation.server);
		for (const [position, index] of conversation.frames.entries()) {
			connection[index] = conversation.number;
			for (const verdict of states[position]?.verdicts ?? []) {
				if (verdict.code !== 'acceptable') annotations[index]!.push({code: verdict.code, text: verdict.text, severity: verdict.severity, rfc: verdict.rfc});
			}
		}

		return {...conversation, states};
	});
	const entries = read.map((row, index): LogEntry => {
		const number = connection[index];
		return {
			number: index + 1,
			direction: sentBy(row.frame, local) ? 'out' : 'in',
			timestamp: row.timestamp,
			bytes: row.bytes,
			frame: row.frame,
			annotations: annotations[index]!,
			...(number === undefined ? {} : {connection: number}),
		};
	});
	return {file, entries, conversations: withStates, local, problem: reader.problem, offload: offloadNote(offloaded)};
}

function sentBy(frame: DecodedFrame, local: number | undefined): boolean {
	if (local === undefined) return false;
	if (frame.ipv4) return frame.ipv4.source === local;
	// RFC 5227 §2.1.1: a probe for our address comes from 0.0.0.0.
	return frame.arp !== undefined && (frame.arp.senderIp === local || (frame.arp.senderIp === 0 && frame.arp.targetIp === local));
}
