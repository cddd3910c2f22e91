import {formatEndpoints} from '../session/conversations.js';
import {reconstruct} from '../session/reconstruct.js';
import {ladderLines} from '../ui/ladder-lines.js';
import {readFlow} from './read-flow.js';
import type {CommandContext} from './subcommands.js';

/** `synack read FILE.pcap --ladder [--flow N]`: one conversation as a plain-text ladder diagram. */
export async function readLadder(file: string, context: CommandContext): Promise<number> {
	const {flow, total, conversation, rows, note, problem} = readFlow(file, context, 'draw');
	const notice = note === undefined ? '' : `${note}\n`;
	if (context.flags.states === true) {
		const states = reconstruct(rows, conversation.client, conversation.server);
		const lines = states.map((row, i) => {
			const verdicts = row.verdicts.filter(verdict => verdict.code !== 'acceptable').map(verdict => verdict.code).join(',');
			return `${String(i + 1).padStart(4)} ${row.from === 'client' ? '->' : '<-'} client ${row.clientState.padEnd(12)} server ${row.serverState.padEnd(12)}${verdicts ? ` ${verdicts}` : ''}`.trimEnd();
		});
		context.stdout.write(`${notice}flow ${flow} of ${total}: ${formatEndpoints(conversation.client)} (client) <-> ${formatEndpoints(conversation.server)} (server), states after each segment\n${lines.join('\n')}\n`);
		return problem === undefined ? 0 : 1;
	}

	const width = context.stdout.isTTY ? Math.max(60, context.stdout.columns ?? 80) : 80;
	const title = `flow ${flow} of ${total}: ${formatEndpoints(conversation.client)} <-> ${formatEndpoints(conversation.server)}, ${conversation.frames.length} segments`;
	const lines = ladderLines(rows, {left: conversation.client, right: conversation.server, width, absolute: context.flags.absolute === true});
	context.stdout.write(`${notice}${title}\n${lines.join('\n')}\n`);
	if (problem !== undefined) {
		context.stderr.write(`synack: ${problem.message}\n`);
		return 1;
	}

	return 0;
}
