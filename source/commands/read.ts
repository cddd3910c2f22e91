import {PcapReader} from '../link/pcap-file.js';
import {decodeFrame} from '../wire/decode.js';
import {TcpdumpPrinter} from '../wire/summary.js';
import {BufferedOutput} from './buffered-output.js';
import {UsageError} from './errors.js';
import type {CommandContext} from './subcommands.js';
import {tcpdumpTimeFormatter} from './tcpdump-time.js';

/** `synack read FILE.pcap --print`: the capture as `tcpdump -n -r FILE` prints it. */
export async function read(context: CommandContext): Promise<number> {
	const [file, ...extra] = context.input;
	if (file === undefined) {
		throw new UsageError('read needs a capture file: synack read FILE.pcap --print');
	}

	if (extra.length > 0) {
		throw new UsageError(`read takes one file, not ${context.input.length}: ${context.input.join(' ')}`);
	}

	const modes = (['print', 'ladder', 'states', 'stream'] as const).filter(mode => context.flags[mode] === true);
	if (modes.length > 1) {
		throw new UsageError(`read does one thing at a time: ${modes.map(mode => `--${mode}`).join(' or ')}`);
	}

	if (context.flags.direction !== undefined && context.flags.stream !== true) {
		throw new UsageError('--direction picks the side for --stream');
	}

	if (context.flags.stream === true) {
		return (await import('./read-stream.js')).readStream(file, context);
	}

	if (context.flags.ladder === true || context.flags.states === true) {
		return (await import('./read-ladder.js')).readLadder(file, context);
	}

	if (context.flags.flow !== undefined) {
		throw new UsageError('--flow picks the conversation for --ladder, --states or --stream');
	}

	if (context.flags.print !== true) {
		return (await import('./read-tui.js')).readTui(file, context);
	}

	const reader = PcapReader.open(file);
	try {
		const printer = new TcpdumpPrinter({absolute: context.flags.absolute === true});
		const time = tcpdumpTimeFormatter();
		const output = new BufferedOutput(context.stdout);
		for (const record of reader.records()) {
			output.write(`${time(record.timestamp)} ${printer.line(decodeFrame(record.bytes), record.originalLength)}\n`);
			if (output.full) {
				await output.ready();
			}

			if (output.closed) {
				return 0;
			}
		}

		await output.end();
		if (output.closed) {
			return 0;
		}

		if (reader.problem !== undefined) {
			// Like tcpdump: what could be read is printed, then the damage is reported and the exit
			// status says the file was not read to its end.
			context.stderr.write(`synack: ${reader.problem.message}\n`);
			return 1;
		}

		return 0;
	} finally {
		reader.close();
	}
}
