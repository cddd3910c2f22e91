import {PcapReader} from '../link/pcap-file.js';
import {conversations, formatEndpoints} from '../session/conversations.js';
import {reconstruct} from '../session/reconstruct.js';
import {type LadderRow, ladderLines} from '../ui/ladder-lines.js';
import {decodeFrame} from '../wire/decode.js';
import {EnvironmentError, UsageError} from './errors.js';
import type {CommandContext} from './subcommands.js';

/** `synack read FILE.pcap --ladder [--flow N]`: one conversation as a plain-text ladder diagram. */
export async function readLadder(file: string, context: CommandContext): Promise<number> {
	const flow = context.flags.flow ?? 1;
	if (!Number.isInteger(flow) || flow < 1) throw new UsageError(`--flow needs a conversation number, 1 or more, not ${flow}`);
	const reader = PcapReader.open(file);
	const rows: LadderRow[] = [];
	try {
		for (const record of reader.records()) {
			const frame = decodeFrame(record.bytes);
			// Only TCP frames can be in a conversation; the rest need not be kept.
			if (frame.tcp) rows.push({timestamp: record.timestamp, frame});
		}
	} finally {
		reader.close();
	}

	const found = conversations(rows.map(row => row.frame));
	const conversation = found[flow - 1];
	if (!conversation) {
		throw new EnvironmentError(found.length === 0 ? `${file} has no TCP conversation to draw` : `${file} has ${found.length} TCP conversation${found.length === 1 ? '' : 's'}; --flow ${flow} is not one of them`);
	}

	if (context.flags.states === true) {
		const states = reconstruct(conversation.frames.map(index => rows[index]!), conversation.client, conversation.server);
		const lines = states.map((row, i) => {
			const verdicts = row.verdicts.filter(verdict => verdict.code !== 'acceptable').map(verdict => verdict.code).join(',');
			return `${String(i + 1).padStart(4)} ${row.from === 'client' ? '->' : '<-'} client ${row.clientState.padEnd(12)} server ${row.serverState.padEnd(12)}${verdicts ? ` ${verdicts}` : ''}`.trimEnd();
		});
		context.stdout.write(`flow ${flow} of ${found.length}: ${formatEndpoints(conversation.client)} (client) <-> ${formatEndpoints(conversation.server)} (server), states after each segment\n${lines.join('\n')}\n`);
		return reader.problem === undefined ? 0 : 1;
	}

	const width = context.stdout.isTTY ? Math.max(60, context.stdout.columns ?? 80) : 80;
	const title = `flow ${flow} of ${found.length}: ${formatEndpoints(conversation.client)} <-> ${formatEndpoints(conversation.server)}, ${conversation.frames.length} segments`;
	const lines = ladderLines(conversation.frames.map(index => rows[index]!), {left: conversation.client, right: conversation.server, width, absolute: context.flags.absolute === true});
	context.stdout.write(`${title}\n${lines.join('\n')}\n`);
	if (reader.problem !== undefined) {
		context.stderr.write(`synack: ${reader.problem.message}\n`);
		return 1;
	}

	return 0;
}
