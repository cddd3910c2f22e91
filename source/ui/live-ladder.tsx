import type {Timestamp} from '../wire/timestamp.js';
import type {PacketLog} from '../session/packet-log.js';
import type {ConnectionView} from '../session/session.js';
import {LadderPane} from './ladder-pane.js';
import {ladderWindow} from './ladder-rows.js';
import {useTheme} from './theme.js';

type Props = {
	readonly log: Pick<PacketLog, 'at' | 'count' | 'size'>;
	/** The log's selected frame number. */
	readonly selected: number;
	readonly connections: readonly ConnectionView[];
	/** The connection on show when the selection is in none (an ARP frame). */
	readonly current: number | undefined;
	readonly relative: boolean;
	readonly origin?: Timestamp;
	readonly width: number;
	readonly height: number;
	readonly focused?: boolean;
};

/** The ladder of the connection at the log's selection: its frames around it, verdicts and faults as notes. */
export function LiveLadder({log, selected, connections, current, relative, origin, width, height, focused}: Props) {
	const theme = useTheme();
	const window = ladderWindow(log, {selected, connection: current, rows: Math.max(1, height - 2), faultMark: theme.glyphs.fault});
	const connection = connections.find(view => view.id === window.connection);
	const at = window.selected < 0 ? '' : `  #${selected}`;
	return (
		<LadderPane
			rows={window.rows}
			selected={window.selected}
			left={connection?.local}
			right={connection?.remote}
			bases={{left: connection?.tcb.iss, right: connection?.tcb.irs}}
			origin={origin}
			passive={false}
			absolute={!relative}
			detail={`${connection ? `connection ${connection.id}` : 'no connection'}${at}  l log`}
			width={width}
			height={height}
			focused={focused}
		/>
	);
}
