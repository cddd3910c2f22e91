import {type Key, Text} from 'ink';
import {type Dispatch, type RefObject, useState} from 'react';
import {editorPayload, type EditorAction, type EditorState} from './editor-state.js';
import {keyName} from './keymap.js';
import {Pane} from './pane.js';
import {displayLines, templates, visualRows} from './payload.js';
import {tint, useTheme} from './theme.js';

type Props = {
	readonly state: EditorState;
	readonly dispatch: Dispatch<EditorAction>;
	/** Has the keyboard (after `e`, or Enter on the pane): letters are text, never commands. */
	readonly active: boolean;
	/** Where the app finds this pane's key handler: the app reads every key and passes them on while active. */
	readonly input: RefObject<KeyHandler | undefined>;
	/** Tab landed here: the pane is picked, but keys are still commands until Enter or `e`. */
	readonly focused: boolean;
	/** For the templates' Host header. */
	readonly host: string;
	readonly width: number;
	readonly height: number;
	readonly onLeave: () => void;
	readonly onFocus: (direction: 1 | -1) => void;
	readonly onQuit: () => void;
};

export type KeyHandler = (input: string, key: Key) => void;

type Piece = {readonly text: string; readonly escape: boolean; readonly cursor: boolean};

/** A display line cut into runs of plain text and escapes, with the cursor as its own piece. */
function pieces(text: string, start: number, end: number, cursor: number | undefined): Piece[] {
	const out: Piece[] = [];
	for (let index = start; index < end;) {
		const length = text[index] === '\\' ? (text[index + 1] === 'x' ? 4 : 2) : 1;
		const token = text.slice(index, Math.min(end, index + length));
		const escape = length > 1;
		if (cursor !== undefined && cursor >= index && cursor < index + token.length) {
			const at = cursor - index;
			if (at > 0) out.push({text: token.slice(0, at), escape, cursor: false});
			out.push({text: token[at]!, escape, cursor: true});
			if (at + 1 < token.length) out.push({text: token.slice(at + 1), escape, cursor: false});
		} else {
			const last = out.at(-1);
			if (last && last.escape === escape && !last.cursor && !escape) out[out.length - 1] = {...last, text: last.text + token};
			else out.push({text: token, escape, cursor: false});
		}

		index += token.length;
	}

	return out;
}

/** Multi-line payload with escapes shown as typed (and highlighted), a hex mode, templates, and the byte count `d` sends. */
export function EditorPane({state, dispatch, active, input: handler, focused, host, width, height, onLeave, onFocus, onQuit}: Props) {
	const theme = useTheme();
	const [template, setTemplate] = useState(0);
	const lines = displayLines(state.text);
	const cursorLine = Math.max(0, lines.findIndex(([start, end]) => state.cursor >= start && (state.cursor < end || end === state.text.length)));

	handler.current = (input, key) => {
		const name = keyName(input, key);
		switch (name) {
			case 'escape': return onLeave();
			case 'tab': return onFocus(1);
			case 'shift-tab': return onFocus(-1);
			case 'ctrl-c': return onQuit();
			case 'ctrl-t': {
				dispatch({type: 'set', text: templates[template % templates.length]!.text(host), mode: 'text'});
				setTemplate(template + 1);
				return;
			}

			case 'ctrl-x': return dispatch({type: 'toggle-mode'});
			case 'ctrl-u': return dispatch({type: 'set', text: ''});
			case 'ctrl-d': return dispatch({type: 'delete'});
			case 'backspace': return dispatch({type: 'backspace'});
			case 'left': return dispatch({type: 'move', by: -1});
			case 'right': return dispatch({type: 'move', by: 1});
			case 'home': return dispatch({type: 'home'});
			case 'end': return dispatch({type: 'end'});
			case 'up':
			case 'down': {
				const target = lines[cursorLine + (name === 'up' ? -1 : 1)];
				if (!target) return;
				const column = state.cursor - lines[cursorLine]![0];
				return dispatch({type: 'move', by: Math.min(target[0] + column, Math.max(target[0], target[1] - 1)) - state.cursor});
			}

			case 'return': return dispatch({type: 'insert', text: '\n'});
			default: {
				if (key.ctrl || key.meta || input === '') return;
				// A paste arrives as one input; terminals send Enter inside it as \r.
				dispatch({type: 'insert', text: input.replaceAll('\r', '\n')});
			}
		}
	};

	const payload = editorPayload(state);
	const count = payload.ok ? `${payload.bytes.length} ${payload.bytes.length === 1 ? 'byte' : 'bytes'}` : 'does not encode';
	const problem = state.problem ?? (payload.ok ? undefined : payload.error);
	const rows = Math.max(0, height - 1);
	// Long lines wrap (the cursor is never off to the side); the rows scroll to keep the cursor in view.
	const wrapped = visualRows(state.text, lines, Math.max(1, width), active ? state.cursor : undefined);
	const cursorRow = wrapped.findIndex(row => row.cursor);
	const room = problem ? Math.max(1, rows - 1) : rows;
	const first = cursorRow < 0 ? 0 : Math.max(0, Math.min(cursorRow - room + 1, wrapped.length - room));
	const shown = wrapped.slice(first, first + room);
	const more = wrapped.length > room ? `  rows ${first + 1}-${first + shown.length}/${wrapped.length}` : '';
	const keysHint = active ? '  C-t template  C-x hex  Esc done' : focused ? '  Enter edit' : '  e edit';
	return (
		<Pane title="Payload" detail={`${state.mode}  ${count}${keysHint}${more}`} width={width} height={height} focused={focused || active}>
			{state.text === '' && !active ? <Text dimColor wrap="truncate">(empty: {focused ? 'Enter' : 'e'} to edit, then C-t for an HTTP GET)</Text> : null}
			{shown.map(({start, end, cursor}) => (
				<Text key={start} wrap="truncate">
					{pieces(state.text, start, end, active ? state.cursor : undefined).map((piece, index) => (
						<Text key={index} inverse={piece.cursor} color={piece.escape ? tint(theme, 'info') : undefined} dimColor={piece.escape && !theme.color}>
							{piece.text.replaceAll('\n', ' ')}
						</Text>
					))}
					{cursor && state.cursor === end ? <Text inverse> </Text> : null}
				</Text>
			))}
			{problem ? <Text color={tint(theme, 'error')} wrap="truncate">{problem}</Text> : null}
		</Pane>
	);
}
