import {Box, Text} from 'ink';
import {available, type Binding, editorKeys, keymap} from './keymap.js';
import {Pane} from './pane.js';

type Props = {
	readonly width: number;
	readonly height: number;
	/** `synack read`: only the keys that look; nothing sends or edits. */
	readonly readOnly?: boolean;
};

type Row = readonly [label: string, description: string, heading?: boolean];

const groupTitles: Record<Binding['group'], string> = {send: 'Send', move: 'Packet log', view: 'View'};

function groupRows(group: Binding['group'], readOnly: boolean): Row[] {
	return [
		[groupTitles[group], '', true],
		...keymap.filter(binding => binding.group === group && available(binding, readOnly)).map((binding): Row => [binding.label, binding.coming ? `${binding.description} (coming)` : binding.description]),
	];
}

/** Every key, generated from the key map (and the editor's keys): one source of truth. */
export function HelpOverlay({width, height, readOnly = false}: Props) {
	const left = readOnly ? groupRows('move', true) : [...groupRows('send', false), ['', ''] as Row, ...groupRows('move', false)];
	const right = readOnly ? groupRows('view', true) : [...groupRows('view', false), ['', ''] as Row, ['Payload editor', '', true] as Row, ...editorKeys.map(([label, description]): Row => [label, description])];
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
		<Pane title="Help" detail="Esc or ? closes" width={width} height={height} focused>
			<Box>
				<Box flexDirection="column" width={column}>{render(left)}</Box>
				<Box flexDirection="column" width={column} marginLeft={1}>{render(right)}</Box>
			</Box>
		</Pane>
	);
}
