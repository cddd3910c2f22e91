import path from 'node:path';
import {render} from 'ink';
import {App, type QuitHow} from '../ui/app.js';
import type {StatusMessage} from '../ui/status-bar.js';
import {enterFullScreen} from '../ui/terminal.js';
import {detectTheme} from '../ui/theme.js';
import {Recorder} from '../session/recorder.js';
import type {Session} from '../session/session.js';
import {pcapFileName, writeLogPcap} from './tui-write-pcap.js';
import {writeStream} from './tui-write-stream.js';
import {exitSummary} from './tui-summary.js';
import {ScriptFile, scriptFileName, scriptHeader, writeScript} from './tui-write-script.js';

export type Notify = (message: StatusMessage) => void;

export type TuiOptions = {
	readonly session: Session;
	/** Runs beside the TUI (claim, connect): progress goes to the status bar; a rejection ends the TUI and is rethrown. */
	readonly start: (notify: Notify) => Promise<void>;
	/** `--record FILE`: the script of what the user does, written line by line as it happens. */
	readonly record?: string;
	/** Record `connect $NAME:PORT` (a lab: `peer`), so that the script replays on any lab. */
	readonly peerVariable?: string;
};

export type TuiEnd = {readonly how: QuitHow | 'signal'; readonly signal?: NodeJS.Signals};

const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

/**
 * The TUI on the alternate screen until the user quits, a signal arrives, startup fails or something
 * throws. The terminal is restored in every case before this returns or throws; the caller then
 * closes the session (and only then takes a lab down).
 */
export async function runTui({session, start, record, peerVariable}: TuiOptions): Promise<TuiEnd> {
	const header = scriptHeader(peerVariable === undefined ? '--iface IF --ip ADDR' : '--lab');
	// Opened before the screen is taken: a path that cannot be written is an ordinary error message.
	const file = record === undefined ? undefined : new ScriptFile(record, header);
	const recorder = new Recorder(session, {...(peerVariable === undefined ? {} : {peerVariable}), ...(file === undefined ? {} : {onLine: line => file.line(line)})});
	try {
		// The name alone: the status bar is one line, and the user knows where they asked for it.
		return await runScreen({session, start}, recorder, header, file === undefined ? undefined : path.basename(file.path));
	} finally {
		recorder.close();
		file?.close();
	}
}

async function runScreen({session, start}: TuiOptions, recorder: Recorder, header: string, recording: string | undefined): Promise<TuiEnd> {
	// A terminal that went away (SSH dropped, tmux pane killed: SIGHUP) makes writes fail with EIO; the
	// way out must still close the session and take a lab down.
	process.stdout.on('error', () => {});
	process.stdin.on('error', () => {});
	const screen = enterFullScreen(process.stdout);
	const theme = detectTheme();
	let failure: unknown;
	let end: TuiEnd = {how: 'quit'};
	let notice: StatusMessage | undefined;
	const tree = () => (
		<App
			session={session}
			theme={theme}
			notice={notice}
			onWrite={() => writeLogPcap(session.log, pcapFileName())}
			onWriteStream={writeStream}
			recorder={recorder}
			recording={recording}
			onSaveScript={script => writeScript(scriptFileName(), header, script)}
			onExit={how => {
				end = {how};
			}}
		/>
	);
	const app = render(tree(), {exitOnCtrlC: false, patchConsole: true});
	const stop = (error?: unknown) => {
		if (error !== undefined && failure === undefined) failure = error;
		app.unmount();
	};

	const onSignal = (signal: NodeJS.Signals) => {
		end = {how: 'signal', signal};
		stop();
	};

	for (const signal of signals) process.on(signal, onSignal);
	process.on('uncaughtException', stop);
	process.on('unhandledRejection', stop);
	let stopped = false;
	void start(message => {
		if (stopped) return;
		notice = message;
		app.rerender(tree());
	}).catch(stop);
	try {
		await app.waitUntilExit();
	} catch (error) {
		failure ??= error;
	} finally {
		stopped = true;
		for (const signal of signals) process.off(signal, onSignal);
		process.off('uncaughtException', stop);
		process.off('unhandledRejection', stop);
		app.cleanup();
		screen.restore();
	}

	if (failure !== undefined) throw failure;
	process.stderr.write(`${exitSummary(session.getSnapshot())}\n`);
	return end;
}

/** The exit code for how the TUI ended: 0 for a quit, 128 + the signal's number for a signal. */
export function exitCode(end: TuiEnd): number {
	const numbers: Partial<Record<NodeJS.Signals, number>> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};
	return end.how === 'signal' ? 128 + (numbers[end.signal!] ?? 15) : 0;
}
