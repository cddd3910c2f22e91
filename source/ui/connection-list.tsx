import {Text} from 'ink';
import type {ConnectionView} from '../session/session.js';
import {connectionHeads, connectionRow, isEnded} from './connection-names.js';
import {Pane} from './pane.js';
import {useTheme} from './theme.js';

type Props = {
	readonly connections: readonly ConnectionView[];
	/** Index in `connections` of the highlighted row. */
	readonly cursor: number;
	/** The connection the panes and keys act on. */
	readonly selected: number | undefined;
	readonly width: number;
	readonly height: number;
};

/** `c` in the live TUI: every connection of the session; Enter picks the one the keys act on, D drops an ended one. */
export function ConnectionList({connections, cursor, selected, width, height}: Props) {
	const theme = useTheme();
	const rows = Math.max(1, height - 2);
	const top = Math.max(0, Math.min(connections.length - rows, cursor - Math.floor(rows / 2)));
	return (
		<Pane title="Connections" detail={`${connections.length}  j/k move  Enter picks  D drops a closed one  Esc back`} width={width} height={height} focused>
			<Text dimColor wrap="truncate">{connectionHeads}</Text>
			{connections.length === 0 ? <Text dimColor>no connections yet: N opens one</Text> : null}
			{connections.slice(top, top + rows).map((connection, index) => (
				<Text key={connection.id} wrap="truncate" inverse={top + index === cursor} dimColor={isEnded(connection)} bold={connection.id === selected}>
					{connection.id === selected ? '*' : ' '}{connectionRow(connection, theme.glyphs.out).slice(1)}
				</Text>
			))}
		</Pane>
	);
}
