import {ourSide, followCapture} from '../session/capture-stream.js';
import {formatEndpoints} from '../session/conversations.js';
import type {StreamReassembler} from '../session/stream-reassembly.js';
import {UsageError} from './errors.js';
import {readFlow} from './read-flow.js';
import type {CommandContext} from './subcommands.js';

const directions = ['in', 'out', 'both'] as const;
type Direction = (typeof directions)[number];

/**
 * `synack read FILE.pcap --stream [--flow N] [--direction in|out|both]`: a conversation's reassembled
 * octets, raw, to stdout (as `tshark -z follow,tcp,raw` gives them, without the hex). `out` is what
 * the side shown as ours sent (the first conversation's client), `in` what it received; `both` is
 * the two interleaved in the order they were sent. Holes never filled are written as zeros, so every
 * octet stays at its offset, and said on stderr.
 */
export async function readStream(file: string, context: CommandContext): Promise<number> {
	const direction = (context.flags.direction ?? 'both') as Direction;
	if (!directions.includes(direction)) throw new UsageError(`--direction takes in, out or both, not ${direction}`);
	const {flow, conversation, rows, local, note, problem} = readFlow(file, context, 'follow');
	if (note !== undefined) context.stderr.write(`synack: ${note}\n`);
	const ours = ourSide(conversation, local);
	const stream = followCapture(rows.map(row => row.frame), ours);
	const missing = (['out', 'in'] as const).filter(side => direction === 'both' || side === direction).map(side => [side, stream.totals(side).missing] as const).filter(([, octets]) => octets > 0);
	if (missing.length > 0) {
		const them = formatEndpoints(ours.ip === conversation.client.ip && ours.port === conversation.client.port ? conversation.server : conversation.client);
		context.stderr.write(`synack: flow ${flow} (${formatEndpoints(ours)} <-> ${them}): ${missing.map(([side, octets]) => `${octets} octets ${side} never captured`).join(', ')}; written as zeros\n`);
	}

	const ignored = stream.totals('out').ignored + stream.totals('in').ignored;
	if (ignored > 0) context.stderr.write(`synack: flow ${flow}: ${ignored} segment${ignored === 1 ? '' : 's'} more than 2^30 octets ahead of the stream left out (another connection on the same ports?)\n`);
	await writeRaw(context.stdout, chunks(stream, direction));
	if (problem !== undefined) {
		context.stderr.write(`synack: ${problem.message}\n`);
		return 1;
	}

	return 0;
}

function* chunks(stream: StreamReassembler, direction: Direction): Generator<Uint8Array> {
	if (direction !== 'both') {
		yield stream.bytes(direction);
		return;
	}

	for (const run of stream.runs()) yield stream.bytesOf(run);
}

/** Raw octets in 64 KiB writes, waiting for 'drain'; a reader that goes away (`| head`) ends it quietly. */
async function writeRaw(stdout: NodeJS.WriteStream, parts: Iterable<Uint8Array>): Promise<void> {
	let closed = false;
	let failure: Error | undefined;
	const onError = (error: NodeJS.ErrnoException) => {
		closed = true;
		if (error.code !== 'EPIPE') failure ??= error;
	};

	stdout.on('error', onError);
	try {
		for (const part of parts) {
			for (let at = 0; at < part.length && !closed; at += 65_536) {
				if (!stdout.write(part.subarray(at, at + 65_536)) && !closed) await drained(stdout);
			}
		}

		if (!closed && stdout.writableNeedDrain) await drained(stdout);
		if (failure) throw failure;
	} finally {
		// An EPIPE can still arrive for octets already handed over.
		stdout.off('error', onError);
		stdout.on('error', () => {});
	}
}

/** Resolves when the stream drains, closes or fails; leaves no listener behind. */
async function drained(stream: NodeJS.WriteStream): Promise<void> {
	return new Promise(resolve => {
		const done = () => {
			stream.off('drain', done);
			stream.off('close', done);
			stream.off('error', done);
			resolve();
		};

		stream.on('drain', done);
		stream.on('close', done);
		stream.on('error', done);
	});
}
