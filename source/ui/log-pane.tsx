import {Box, Text} from 'ink';
import type {Timestamp} from '../link/link.js';
import type {PacketLog} from '../session/packet-log.js';
import type {ConnectionNumbers} from '../wire/summary.js';
import {heldIndex, logLine, type LogView, placeView} from './log-view.js';
import {PaneTitle} from './pane-title.js';
import {tint, useTheme} from './theme.js';

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
};

/**
 * One line per frame, newest at the bottom. Only the rows on screen are read from the log and
 * summarized: a render costs the same with 100 frames as with 100,000.
 */
export function LogPane({log, view, relativeTo, connection, origin, width, height, focused, overload}: Props) {
	const theme = useTheme();
	const rows = Math.max(0, height - 1);
	const extent = {count: log.count, size: log.size};
	const placed = placeView(view, extent, rows);
	const entries = log.size === 0 ? [] : log.slice(heldIndex(placed.top, extent), rows);
	const numberWidth = Math.max(3, String(log.count).length);
	const held = log.size < log.count ? ` (newest ${log.size} held)` : '';
	const overloaded = overload && overload.overloaded + overload.dropped > 0 ? `  overloaded: ${overload.overloaded} not handled${overload.dropped > 0 ? `, ${overload.dropped} not logged` : ''}` : '';
	const detail = `${log.count} ${log.count === 1 ? 'frame' : 'frames'}${held}${placed.follow ? '' : `  #${placed.selected}`}  ${relativeTo ? 'relative' : 'absolute'}${overloaded}`;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<PaneTitle title="Packet log" detail={detail} width={width} focused={focused} />
			{entries.length === 0 ? <Text dimColor>no frames yet</Text> : null}
			{entries.map(entry => {
				const line = logLine(entry, {width, relativeTo, connection, origin, numberWidth, ellipsis: theme.glyphs.ellipsis, faultMark: theme.glyphs.fault});
				const selected = entry.number === placed.selected && (focused || !placed.follow);
				const outgoing = entry.direction === 'out';
				return (
					<Text key={entry.number} wrap="truncate" inverse={selected}>
						<Text dimColor={!selected}>{line.number}</Text>
						{' '}
						<Text bold color={tint(theme, outgoing ? 'out' : 'in')}>{outgoing ? theme.glyphs.out : theme.glyphs.in}</Text>
						{' '}
						<Text dimColor={!selected}>{line.time}</Text>
						{' '}
						{line.notes.map(note => (
							<Text key={`${note.code} ${note.text}`}>
								<Text bold inverse={note.code === 'fault' && !selected} color={tint(theme, note.severity === 'error' ? 'error' : 'warn')}>[{note.text}]</Text>
								{' '}
							</Text>
						))}
						<Text color={tint(theme, outgoing ? 'out' : 'in')}>{line.text}</Text>
					</Text>
				);
			})}
		</Box>
	);
}
