import {Box, Text} from 'ink';
import {useMemo} from 'react';
import type {Timestamp} from '../wire/timestamp.js';
import type {Endpoints} from '../session/conversations.js';
import {ladderLines} from './ladder-lines.js';
import type {LadderEntry} from './ladder-rows.js';
import {PaneTitle} from './pane-title.js';
import {tint, useTheme} from './theme.js';

type Props = {
	readonly rows: readonly LadderEntry[];
	/** Index in rows of the log's selection (highlighted, kept in view), -1 for none. */
	readonly selected: number;
	/** Our side (the left lifeline) and the peer's. */
	readonly left: Endpoints | undefined;
	readonly right: Endpoints | undefined;
	readonly bases?: {readonly left?: number; readonly right?: number};
	readonly origin?: Timestamp;
	/** Notes read from the segments themselves (a capture); the live log's verdicts make them needless. */
	readonly passive?: boolean;
	readonly absolute?: boolean;
	readonly detail?: string;
	readonly width: number;
	readonly height: number;
	readonly focused?: boolean;
};

/** The ladder (sequence) diagram of one connection, in place of the packet log: `l` toggles it. */
export function LadderPane({rows, selected, left, right, bases, origin, passive, absolute, detail, width, height, focused}: Props) {
	const theme = useTheme();
	const lines = useMemo(
		() => (left && right ? ladderLines(rows, {left, right, width: Math.max(60, width), unicode: !theme.ascii, ...(bases ? {bases} : {}), ...(origin ? {origin} : {}), passive: passive !== false, absolute: absolute === true}) : []),
		[rows, left, right, width, theme.ascii, bases?.left, bases?.right, origin, passive, absolute],
	);
	const visible = Math.max(0, height - 2);
	const body = lines.slice(1);
	const top = Math.max(0, Math.min(body.length - visible, selected < 0 ? body.length - visible : selected - Math.floor(visible / 2)));
	const shown = body.slice(top, top + visible);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<PaneTitle title="Ladder" detail={detail ?? `${rows.length} ${rows.length === 1 ? 'segment' : 'segments'}  l log`} width={width} focused={focused} />
			{lines.length === 0 ? <Text dimColor>no TCP connection at the selection</Text> : <Text wrap="truncate" bold>{lines[0]}</Text>}
			{shown.map((line, index) => {
				const row = rows[top + index]!;
				const isSelected = top + index === selected;
				const color = row.lost ? tint(theme, 'error') : tint(theme, row.direction === 'out' ? 'out' : 'in');
				return <Text key={row.number} wrap="truncate" inverse={isSelected} color={color}>{line}</Text>;
			})}
		</Box>
	);
}
