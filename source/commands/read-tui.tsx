import {render} from 'ink';
import {PcapReader} from '../link/pcap-file.js';
import {loadCapture} from '../session/capture.js';
import {ReadApp} from '../ui/read-app.js';
import type {StatusMessage} from '../ui/status-bar.js';
import {enterFullScreen} from '../ui/terminal.js';
import {detectTheme} from '../ui/theme.js';
import type {CommandContext} from './subcommands.js';
import {requireTerminal} from './tui-terminal.js';
import {writeStream} from './tui-write-stream.js';

const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
const signalNumbers: Record<(typeof signals)[number], number> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};

/** `synack read FILE.pcap`: the capture in the TUI, read-only, until q. */
export async function readTui(file: string, context: CommandContext): Promise<number> {
	// A file that is not a capture is the first thing to say, terminal or not.
	PcapReader.open(file).close();
	requireTerminal('synack read FILE without --print', 'add --print to print the capture as tcpdump does, or --ladder to draw it', {stdin: process.stdin, stdout: context.stdout});
	// Read before the screen is taken: a bad file is an ordinary one-line error.
	const capture = loadCapture(file, {checkChecksums: context.flags.checkChecksums === true});
	const notice: StatusMessage | undefined = capture.problem
		? {text: `${capture.problem.message}; showing what could be read`, severity: 'warn'}
		: capture.offload === undefined ? undefined : {text: capture.offload, severity: 'info'};
	process.stdout.on('error', () => {});
	process.stdin.on('error', () => {});
	const screen = enterFullScreen(process.stdout);
	let signalled: (typeof signals)[number] | undefined;
	let failure: unknown;
	const app = render(<ReadApp capture={capture} theme={detectTheme()} notice={notice} onWriteStream={writeStream} />, {exitOnCtrlC: false, patchConsole: true});
	const stop = (error?: unknown) => {
		if (error !== undefined) failure ??= error;
		app.unmount();
	};

	const onSignal = (signal: (typeof signals)[number]) => {
		signalled = signal;
		stop();
	};

	for (const signal of signals) process.on(signal, onSignal);
	process.on('uncaughtException', stop);
	try {
		await app.waitUntilExit();
	} catch (error) {
		failure ??= error;
	} finally {
		for (const signal of signals) process.off(signal, onSignal);
		process.off('uncaughtException', stop);
		app.cleanup();
		screen.restore();
	}

	if (failure !== undefined) throw failure;
	if (signalled !== undefined) return 128 + signalNumbers[signalled];
	return capture.problem === undefined ? 0 : 1;
}
