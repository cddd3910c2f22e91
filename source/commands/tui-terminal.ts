import {UsageError} from './errors.js';

/** The TUI reads keys in raw mode and draws on a screen: both ends must be a terminal. */
export function requireTerminal(command: string, otherwise: string, streams: {stdin: {isTTY?: boolean}; stdout: {isTTY?: boolean}} = process): void {
	if (streams.stdin.isTTY !== true || streams.stdout.isTTY !== true) {
		throw new UsageError(`${command} is interactive (the TUI) and needs a terminal; ${otherwise}`);
	}
}
