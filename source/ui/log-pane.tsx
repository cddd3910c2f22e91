import {useRef} from 'react';
import {Box, Text} from 'ink';
import type {Timestamp} from '../wire/timestamp.js';
import type {LogEntry, PacketLog} from '../session/packet-log.js';
import type {ConnectionNumbers} from '../wire/summary.js';
import {heldIndex, logLine, type LineOptions, type LogLine, type LogView, placeView} from './log-view.js';
import {formatRow, type RowParts} from './log-row.js';
import {Pane} from './pane.js';
import {useTheme} from './theme.js';

type Props = {
	readonly log: Pick<PacketLog, 'count' | 'size' | 'slice'>;
	readonly view: LogView;
	readonly relativeTo?: ConnectionNumbers;
	readonly connection?: number;
	readonly origin?: Timestamp;
	readonly width: number;
	readonly height: number;
	readonly focused?: boolean;
	/** Frames a flood kept synack from handling (logged, marked) or from logging at all. */
	readonly overload?: {readonly overloaded: number; readonly dropped: number};
	/** Lines start with their connection's `#N`, this wide (several connections). */
	readonly tagWidth?: number;
};

type Row = {
	readonly number: number;
	readonly parts: RowParts;
	/** Printable ASCII after the arrow (one column a character), and no wider than the pane. */
	readonly plain: boolean;
};

/** The lines of the rows last shown, for the options they were made with. */
type LineCache = {
	readonly log: unknown;
	readonly key: string;
	readonly lines: Map<number, LogLine>;
};

/**
 * One line per frame, newest at the bottom. Only the rows on screen are read from the log and
 * summarized: a render costs the same with 100 frames as with 100,000.
 *
 * Ink's cost is per character (docs/performance.md), so runs of rows that fit the pane and are
 * printable ASCII but for the arrow are drawn as three columns of one Ink text each (numbers,
 * arrows, the rest), rows being strings with their styles in them (formatRow): the same screen, cell
 * for cell (test/ui/log-pane.test.tsx). Any other row keeps its own text.
 */
export function LogPane({log, view, relativeTo, connection, origin, width, height, focused, overload, tagWidth}: Props) {
	const theme = useTheme();
	const cache = useRef<LineCache | undefined>(undefined);
	const rows = Math.max(0, height - 1);
	const extent = {count: log.count, size: log.size};
	const placed = placeView(view, extent, rows);
	const entries = log.size === 0 ? [] : log.slice(heldIndex(placed.top, extent), rows);
	const numberWidth = Math.max(3, String(log.count).length);
	const held = log.size < log.count ? ` (newest ${log.size} held)` : '';
	const overloaded = overload && overload.overloaded + overload.dropped > 0 ? `  overloaded: ${overload.overloaded} not handled${overload.dropped > 0 ? `, ${overload.dropped} not logged` : ''}` : '';
	const detail = `${log.count} ${log.count === 1 ? 'frame' : 'frames'}${held}${placed.follow ? '' : `  #${placed.selected}`}  ${relativeTo ? 'relative' : 'absolute'}${connection === undefined ? '' : `  ${tagWidth ? taggedRule(connection) : endpointsRule}`}${overloaded}`;
	const options: LineOptions = {width, relativeTo, connection, origin, numberWidth, ellipsis: theme.glyphs.ellipsis, faultMark: theme.glyphs.fault, tagWidth};
	const lines = cachedLines(cache, log, entries, options);
	const shown: Row[] = entries.map((entry, index) => {
		const line = lines[index]!;
		const selected = entry.number === placed.selected && (focused || !placed.follow);
		return {
			number: entry.number,
			parts: formatRow(line, entry.direction === 'out', selected, theme),
			plain: lineWidth(line) <= width && printable.test(line.text) && line.notes.every(note => printable.test(note.text)),
		};
	});
	return (
		<Pane title="Packet log" detail={detail} width={width} height={height} focused={focused}>
			{entries.length === 0 ? <Text dimColor>no frames yet</Text> : null}
			{runs(shown).map((run, index) => (run.length > 1
				// Keyed by position: scrolling by one moves a row in and out of a run, not the run.
				? <RowColumns key={`run ${index}`} rows={run} />
				: <WholeRow key={`row ${run[0]!.number}`} parts={run[0]!.parts} />))}
		</Pane>
	);
}

/** number, space, arrow, space, time, space, each note and a space, the summary. */
function lineWidth(line: LogLine): number {
	return line.notes.reduce((sum, note) => sum + note.text.length + 3, line.number.length + line.time.length + 4 + line.text.length);
}

const printable = /^[\u0020-\u007E]*$/;

/** The notation rule (see logLine), said in the title. */
export const endpointsRule = 'IP addresses: other connections only';

/** The rule with several connections: each line's `#N`, and addresses on all but the one on show. */
export function taggedRule(connection: number): string {
	return `#N connection, IP addresses: not #${connection}'s`;
}

/** Plain rows next to each other, together; any other row alone. */
function runs(rows: readonly Row[]): Row[][] {
	const result: Row[][] = [];
	for (const row of rows) {
		const last = result.at(-1);
		if (row.plain && last?.[0]!.plain) last.push(row);
		else result.push([row]);
	}

	return result;
}

/**
 * A frame's line depends only on the frame and the options: the lines of the rows on screen are kept,
 * so that scrolling by one decodes and summarizes one frame. Frame numbers are the log's own (a new
 * log, as a read conversation's, starts afresh).
 */
function cachedLines(cache: {current: LineCache | undefined}, log: unknown, entries: readonly LogEntry[], options: LineOptions): LogLine[] {
	const {relativeTo: numbers, origin} = options;
	const key = [options.width, options.numberWidth, options.connection, options.tagWidth, options.ellipsis, options.faultMark, origin?.seconds, origin?.nanoseconds,
		numbers?.local.ip, numbers?.local.port, numbers?.remote.ip, numbers?.remote.port, numbers?.iss, numbers?.irs].join(' ');
	const last = cache.current;
	const previous = last !== undefined && last.log === log && last.key === key ? last.lines : undefined;
	const kept = new Map<number, LogLine>();
	const lines = entries.map(entry => {
		const line = previous?.get(entry.number) ?? logLine(entry, options);
		kept.set(entry.number, line);
		return line;
	});
	cache.current = {log, key, lines: kept};
	return lines;
}

/**
 * Plain rows, as three columns of one text each, a row a line: Ink measures and styles each column
 * as one string, instead of a text per part of every row.
 */
function RowColumns({rows}: {readonly rows: readonly Row[]}) {
	return (
		<Box>
			<Text>{rows.map(row => row.parts.number).join('\n')}</Text>
			<Text>{rows.map(row => row.parts.arrow).join('\n')}</Text>
			<Text>{rows.map(row => row.parts.rest).join('\n')}</Text>
		</Box>
	);
}

/** A row alone: one text, which Ink measures whatever its characters and cuts at the pane's edge. */
function WholeRow({parts}: {readonly parts: RowParts}) {
	return <Text wrap="truncate">{parts.number + parts.arrow + parts.rest}</Text>;
}
