// The packet log's view state (selection, scroll, follow) and its lines: pure, so that the cost of a
// render depends on the rows shown, never on how many frames the log holds.
import type {Timestamp} from '../wire/timestamp.js';
import type {Annotation, LogEntry} from '../session/packet-log.js';
import {type ConnectionNumbers, summarizeFrame} from '../wire/summary.js';
import type {Command} from './keymap.js';

export type LogView = {
	/** Keep the newest frame selected and in view. */
	readonly follow: boolean;
	/** Frame numbers (1-based, as LogEntry.number), stable while the ring drops old frames. */
	readonly selected: number;
	readonly top: number;
};

export type LogExtent = {readonly count: number; readonly size: number};

export const followingView: LogView = {follow: true, selected: 0, top: 0};

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, value));

/** The frames on screen: `top` and `selected` clamped to what the log holds, and the window placed. */
export function placeView(view: LogView, {count, size}: LogExtent, height: number): LogView {
	const rows = Math.max(1, height);
	if (size === 0) return {follow: view.follow, selected: 0, top: 0};
	const oldest = count - size + 1;
	if (view.follow) return {follow: true, selected: count, top: Math.max(oldest, count - rows + 1)};
	const selected = clamp(view.selected, oldest, count);
	let top = clamp(view.top, oldest, count);
	if (selected < top) top = selected;
	if (selected >= top + rows) top = selected - rows + 1;
	// No empty rows at the bottom while older frames could fill them.
	top = clamp(top, oldest, Math.max(oldest, count - rows + 1));
	return {follow: false, selected, top};
}

export function moveView(view: LogView, command: Command, extent: LogExtent, height: number): LogView {
	const placed = placeView(view, extent, height);
	if (extent.size === 0) return placed;
	const oldest = extent.count - extent.size + 1;
	const page = Math.max(1, height - 1);
	const step: Partial<Record<Command, number>> = {down: 1, up: -1, 'page-down': page, 'page-up': -page};
	if (command === 'last') return placeView(followingView, extent, height);
	if (command === 'first') return placeView({follow: false, selected: oldest, top: oldest}, extent, height);
	const by = step[command];
	if (by === undefined) return placed;
	const selected = clamp(placed.selected + by, oldest, extent.count);
	// Moving down onto the newest frame resumes following, as `G` does.
	if (by > 0 && selected === extent.count) return placeView(followingView, extent, height);
	return placeView({follow: false, selected, top: placed.top}, extent, height);
}

/** Held index (0 = oldest held) of a frame number. */
export function heldIndex(number: number, {count, size}: LogExtent): number {
	return number - (count - size + 1);
}

export type LineOptions = {
	readonly width: number;
	/** Relative numbers for this connection's frames (undefined: absolute). */
	readonly relativeTo?: ConnectionNumbers;
	/** Frames of this connection never show their endpoints (the connection pane does): see logLine. */
	readonly connection?: number;
	readonly origin?: Timestamp;
	readonly numberWidth: number;
	readonly ellipsis: string;
	/** Put before what a fault did to the frame (theme.glyphs.fault). */
	readonly faultMark?: string;
	/**
	 * With several connections: each line starts with its connection's `#N`, padded to this width
	 * (a frame of none, ARP, gets blanks), so interleaved connections are told apart without colour.
	 */
	readonly tagWidth?: number;
};

export type LogLine = {
	readonly number: string;
	readonly time: string;
	/** Warnings and errors, shown before the summary so that a narrow terminal never cuts them. */
	readonly notes: readonly Annotation[];
	readonly text: string;
};

export function seconds(timestamp: Timestamp, origin: Timestamp | undefined): string {
	const base = origin ?? timestamp;
	const nanos = (timestamp.seconds - base.seconds) * 1e9 + (timestamp.nanoseconds - base.nanoseconds);
	return (nanos / 1e9).toFixed(3);
}

/** The width of `#N` tags for connections numbered up to `highest` (none for one connection). */
export function tagWidth(highest: number | undefined, listed: number): number | undefined {
	return highest === undefined || listed < 2 ? undefined : String(highest).length + 1;
}

/**
 * A frame's line: the tcpdump summary, without the endpoints when the frame belongs to the connection
 * on show (the connection pane names them; any other frame keeps them, so a line that starts with
 * `IP` is always another conversation's), then compacted step by step until it fits: options elided,
 * then the options and window dropped, then cut.
 */
export function logLine(entry: LogEntry, options: LineOptions): LogLine {
	const number = String(entry.number).padStart(options.numberWidth);
	// The tag goes with the time, before any note, so that it stays in its column.
	const tag = options.tagWidth ? ` ${(entry.connection === undefined ? '' : `#${entry.connection}`).padEnd(options.tagWidth)}` : '';
	const time = seconds(entry.timestamp, options.origin) + tag;
	const notes = lineNotes(entry.annotations, options.faultMark ?? '!');
	const noteWidth = notes.reduce((sum, note) => sum + note.text.length + 3, 0);
	// number, space, arrow, space, time, space
	const room = options.width - number.length - time.length - 4 - noteWidth;
	const full = summarizeFrame(entry.frame, {relativeTo: options.relativeTo, annotateErrors: true});
	const own = entry.connection !== undefined && entry.connection === options.connection;
	return {number, time, notes, text: compact(own ? withoutEndpoints(full) : full, room, options.ellipsis)};
}

/** `IP 198.18.0.10.40000 > 198.18.0.2.80: Flags [S], ...` -> `Flags [S], ...`. */
export function withoutEndpoints(line: string): string {
	return line.replace(/^IP \S+ > \S+: /, '');
}

/**
 * Warnings and errors for the line. A fault's note is cut to what was done (`✗ bad TCP checksum`): the
 * explanation and RFC stay in the detail view.
 */
export function lineNotes(annotations: readonly Annotation[], mark: string): Annotation[] {
	const notes: Annotation[] = [];
	for (const note of annotations) {
		if (note.severity === 'info') continue;
		if (note.code !== 'fault') {
			notes.push(note);
			continue;
		}

		const text = `${mark} ${note.text.replace(/ \(fault\).*$/, '').replace(/:.*$/, '')}`;
		if (!notes.some(other => other.code === 'fault' && other.text === text)) notes.push({...note, text});
	}

	return notes;
}

export function compact(line: string, room: number, ellipsis: string): string {
	if (line.length <= room) return line;
	let text = line.replace(/, options \[[^\]]*\]/, `, options [${ellipsis}]`);
	if (text.length <= room) return text;
	text = text.replace(/, options \[[^\]]*\]/, '');
	if (text.length <= room) return text;
	text = text.replace(/, win \d+/, '');
	if (text.length <= room) return text;
	return room <= ellipsis.length ? text.slice(0, Math.max(0, room)) : text.slice(0, room - ellipsis.length) + ellipsis;
}
