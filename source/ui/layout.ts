// How each app shares the terminal out between its panes: pure, so that a size is checked without Ink.
import type {TerminalSize} from './use-terminal-size.js';

/** The live TUI: ARP and connection panes side by side, the log (or ladder), the editor, the status bar. */
export type LiveLayout = {
	readonly arpWidth: number;
	readonly connectionWidth: number;
	readonly topHeight: number;
	readonly editorHeight: number;
	readonly logHeight: number;
	/** Frames the log shows: its height less its title. */
	readonly logRows: number;
	/** Above the editor and the status bar: the `c` list and the fault menu. */
	readonly bodyHeight: number;
	/** Above the status bar alone: the help and the frame detail. */
	readonly fullHeight: number;
};

const live = {arpWidth: 28, topHeight: 8, editorHeight: 4} as const;

/** `faults`: how many are in force; the connection pane grows a line for each of the first two. */
export function liveLayout({columns, rows}: TerminalSize, faults: number): LiveLayout {
	const editorHeight = rows >= 32 ? live.editorHeight + 2 : live.editorHeight;
	const topHeight = live.topHeight + Math.min(2, faults);
	const logHeight = Math.max(3, rows - topHeight - editorHeight - 1);
	return {
		arpWidth: live.arpWidth,
		connectionWidth: Math.max(10, columns - live.arpWidth - 1),
		topHeight,
		editorHeight,
		logHeight,
		logRows: logHeight - 1,
		bodyHeight: rows - editorHeight - 1,
		fullHeight: rows - 1,
	};
}

/** `synack read`: the conversation pane, the log (or ladder, or conversation list), the status bar. */
export type ReadLayout = {
	readonly topHeight: number;
	readonly paneHeight: number;
	readonly logRows: number;
	readonly fullHeight: number;
};

export function readLayout({rows}: TerminalSize): ReadLayout {
	const topHeight = 4;
	const paneHeight = Math.max(3, rows - topHeight - 1);
	return {topHeight, paneHeight, logRows: paneHeight - 1, fullHeight: rows - 1};
}
