import {Box, Text} from 'ink';
import {type Binding, editorKeys, keymap} from './keymap.js';
import {PaneTitle} from './pane-title.js';

type Props = {readonly width: number; readonly height: number};

type Row = readonly [label: string, description: string, heading?: boolean];

const groupTitles: Record<Binding['group'], string> = {send: 'Send', move: 'Packet log', view: 'View'};

function groupRows(group: Binding['group']): Row[] {
	return [
		[groupTitles[group], '', true],
		...keymap.filter(binding => binding.group === group).map((binding): Row => [binding.label, binding.coming ? `${binding.description} (coming)` : binding.description]),
	];
}

/** Every key, generated from the key map (and the editor's keys): one source of truth. */
export function HelpOverlay({width, height}: Props) {
	const left = [...groupRows('send'), ['', ''] as Row, ...groupRows('move')];
	const right = [...groupRows('view'), ['', ''] as Row, ['Payload editor', '', true] as Row, ...editorKeys.map(([label, description]): Row => [label, description])];
	const column = Math.floor((width - 1) / 2);
	const render = (rows: Row[]) => {
		const labelWidth = Math.max(...rows.filter(([, , heading]) => !heading).map(([label]) => label.length)) + 1;
		return rows.map(([label, description, heading], index) => (
			<Text key={index} wrap="truncate">
				{heading ? <Text bold underline>{label}</Text> : <><Text bold>{label.padEnd(labelWidth)}</Text>{description}</>}
			</Text>
		));
	};
	return (
		<Box flexDirection="column" width={width} height={height}>
			<PaneTitle title="Help" detail="Esc or ? closes" width={width} focused />
			<Box>
				<Box flexDirection="column" width={column}>{render(left)}</Box>
				<Box flexDirection="column" width={column} marginLeft={1}>{render(right)}</Box>
			</Box>
		</Box>
	);
}
