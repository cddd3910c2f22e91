import {render} from 'ink';
import {App, type QuitHow} from '../ui/app.js';
import type {StatusMessage} from '../ui/status-bar.js';
import {enterFullScreen} from '../ui/terminal.js';
import {detectTheme} from '../ui/theme.js';
import type {Session} from '../session/session.js';
import {pcapFileName, writeLogPcap} from './tui-write-pcap.js';

export type Notify = (message: StatusMessage) => void;

export type TuiOptions = {
	readonly session: Session;
	/** Runs beside the TUI (claim, connect): progress goes to the status bar; a rejection ends the TUI and is rethrown. */
	readonly start: (notify: Notify) => Promise<void>;
};

export type TuiEnd = {readonly how: QuitHow | 'signal'; readonly signal?: NodeJS.Signals};

const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

/**
 * The TUI on the alternate screen until the user quits, a signal arrives, startup fails or something
 * throws. The terminal is restored in every case before this returns or throws; the caller then
 * closes the session (and only then takes a lab down).
 */
export async function runTui({session, start}: TuiOptions): Promise<TuiEnd> {
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
	return end;
}

/** The exit code for how the TUI ended: 0 for a quit, 128 + the signal's number for a signal. */
export function exitCode(end: TuiEnd): number {
	const numbers: Partial<Record<NodeJS.Signals, number>> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};
	return end.how === 'signal' ? 128 + (numbers[end.signal!] ?? 15) : 0;
}
