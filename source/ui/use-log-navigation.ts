// The packet log's selection, moved by j k PgUp PgDn g G, and the frame detail Enter opens over it
// (where the same keys scroll the detail instead).
import type {LogEntry} from '../session/packet-log.js';
import type {ConnectionNumbers} from '../wire/summary.js';
import type {Command} from './keymap.js';
import {detailLines} from './log-detail.js';
import {followingView, type LogExtent, type LogView, moveView, placeView} from './log-view.js';
import type {Overlays} from './use-overlay.js';
import {useStateNow} from './use-state-now.js';

export type MoveCommand = Extract<Command, 'down' | 'up' | 'page-down' | 'page-up' | 'first' | 'last'>;

const moves: ReadonlySet<Command> = new Set<MoveCommand>(['down', 'up', 'page-down', 'page-up', 'first', 'last']);

export function isMove(command: Command): command is MoveCommand {
	return moves.has(command);
}

/** A frame's decoded fields and hex over the whole screen, scrolled `offset` lines down. */
export type DetailOverlay = {readonly kind: 'detail'; readonly number: number; readonly offset: number};

/**
 * The detail's offset after `command`: it fills the screen but the status bar (`fullHeight` rows, its
 * title one of them) and scrolls no further than its last line at the bottom.
 */
export function scrollDetail(offset: number, command: MoveCommand, lines: number, fullHeight: number): number {
	const visible = fullHeight - 1;
	const page = visible - 1;
	const by = {down: 1, up: -1, 'page-down': page, 'page-up': -page, first: -Infinity, last: Infinity}[command];
	return Math.max(0, Math.min(lines - visible, offset + by));
}

export type LogNavigationOptions<O extends {readonly kind: string}> = {
	readonly overlays: Overlays<O | DetailOverlay>;
	readonly extent: LogExtent;
	/** Frames the log shows at once. */
	readonly logRows: number;
	/** The detail's height (the screen but the status bar) and width. */
	readonly fullHeight: number;
	readonly columns: number;
	/** The frame numbered `number` (as the log numbers them), for its detail. */
	readonly entryAt: (number: number) => LogEntry | undefined;
	/** The numbers the detail is printed with (read when a key scrolls it). */
	readonly relativeTo: () => ConnectionNumbers | undefined;
	/** The view before any key: a live log follows its newest frame, a capture starts at its first. */
	readonly start?: LogView;
	/** A capture does not grow: `G` goes to its last frame and stays there, never following. */
	readonly follows?: boolean;
};

export type LogNavigation = {
	/** The view as this render places it in the log's rows. */
	readonly placed: LogView;
	/** The selected frame's number as the key before this one left it (0: none). */
	selectedNow(): number;
	set(view: LogView): void;
	/** Scrolls the open detail, else moves the log's selection; true when it moved the selection. */
	move(command: MoveCommand): boolean;
	/** Enter: closes the open detail, else opens the selected frame's. */
	toggleDetail(): void;
};

export function useLogNavigation<O extends {readonly kind: string}>(options: LogNavigationOptions<O>): LogNavigation {
	const {overlays, extent, logRows, fullHeight, columns, entryAt, relativeTo, start = followingView, follows = true} = options;
	// Keys that arrive before the next render each see what the one before them did.
	const view = useStateNow<LogView>(start);
	const {set} = view;
	const selectedNow = () => placeView(view.now(), extent, logRows).selected;
	return {
		placed: placeView(view.value, extent, logRows),
		selectedNow,
		set,
		move(command) {
			const shown = overlays.now();
			if (shown.kind === 'detail') {
				const detail = shown as DetailOverlay;
				const entry = entryAt(detail.number);
				const lines = entry ? detailLines(entry, relativeTo(), columns).length : 0;
				overlays.open({...detail, offset: scrollDetail(detail.offset, command, lines, fullHeight)});
				return false;
			}

			const moved = moveView(view.now(), command, extent, logRows);
			set(follows ? moved : {...moved, follow: false});
			return true;
		},
		toggleDetail() {
			if (overlays.now().kind === 'detail') {
				overlays.close();
				return;
			}

			const selected = selectedNow();
			if (selected > 0) overlays.open({kind: 'detail', number: selected, offset: 0});
		},
	};
}
