import {PcapReader, type PcapProblem} from '../link/pcap-file.js';
import {offloadedSenders, offloadNote, withoutOffloaded} from '../session/checksum-offload.js';
import {type Conversation, conversations} from '../session/conversations.js';
import {decodeFrame} from '../wire/decode.js';
import type {DecodedFrame} from '../wire/records.js';
import type {Timestamp} from '../wire/timestamp.js';
import {EnvironmentError, UsageError} from './errors.js';
import type {CommandContext} from './subcommands.js';

export type FlowRow = {readonly timestamp: Timestamp; readonly frame: DecodedFrame};

export type Flow = {
	readonly flow: number;
	readonly total: number;
	readonly conversation: Conversation;
	/** The conversation's frames, in capture order; offloaded senders' checksums not judged. */
	readonly rows: readonly FlowRow[];
	/** The capture's local address, as the viewer has it: the first conversation's client. */
	readonly local: number | undefined;
	/** Said once at the top: whose checksums were taken as offloaded. */
	readonly note: string | undefined;
	readonly problem: PcapProblem | undefined;
};

/** The conversation `--flow N` picks (default 1) of a capture, for `--ladder`, `--states`, `--stream`. */
export function readFlow(file: string, context: CommandContext, what: string): Flow {
	const flow = context.flags.flow ?? 1;
	if (!Number.isInteger(flow) || flow < 1) throw new UsageError(`--flow needs a conversation number, 1 or more, not ${flow}`);
	const reader = PcapReader.open(file);
	let rows: FlowRow[] = [];
	try {
		for (const record of reader.records()) {
			const frame = decodeFrame(record.bytes);
			// Only TCP frames can be in a conversation; the rest need not be kept.
			if (frame.tcp) rows.push({timestamp: record.timestamp, frame});
		}
	} finally {
		reader.close();
	}

	const offloaded = context.flags.checkChecksums === true ? [] : offloadedSenders(rows.map(row => row.frame));
	rows = withoutOffloaded(rows, offloaded);
	const found = conversations(rows.map(row => row.frame));
	const conversation = found[flow - 1];
	if (!conversation) {
		throw new EnvironmentError(found.length === 0 ? `${file} has no TCP conversation to ${what}` : `${file} has ${found.length} TCP conversation${found.length === 1 ? '' : 's'}; --flow ${flow} is not one of them`);
	}

	return {flow, total: found.length, conversation, rows: conversation.frames.map(index => rows[index]!), local: found[0]?.client.ip, note: offloadNote(offloaded), problem: reader.problem};
}
