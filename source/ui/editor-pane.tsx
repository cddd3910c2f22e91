import {Box, Text, useInput} from 'ink';
import {type Dispatch, useState} from 'react';
import {editorPayload, type EditorAction, type EditorState} from './editor-state.js';
import {keyName} from './keymap.js';
import {PaneTitle} from './pane-title.js';
import {displayLines, templates} from './payload.js';
import {tint, useTheme} from './theme.js';

type Props = {
	readonly state: EditorState;
	readonly dispatch: Dispatch<EditorAction>;
	/** Has the keyboard: letters are text, never commands. */
	readonly active: boolean;
	readonly focused: boolean;
	/** For the templates' Host header. */
	readonly host: string;
	readonly width: number;
	readonly height: number;
	readonly onLeave: () => void;
	readonly onFocus: (direction: 1 | -1) => void;
	readonly onQuit: () => void;
};

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
export function EditorPane({state, dispatch, active, focused, host, width, height, onLeave, onFocus, onQuit}: Props) {
	const theme = useTheme();
	const [template, setTemplate] = useState(0);
	const lines = displayLines(state.text);
	const cursorLine = Math.max(0, lines.findIndex(([start, end]) => state.cursor >= start && (state.cursor < end || end === state.text.length)));

	useInput((input, key) => {
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
	}, {isActive: active});

	const payload = editorPayload(state);
	const count = payload.ok ? `${payload.bytes.length} ${payload.bytes.length === 1 ? 'byte' : 'bytes'}` : 'does not encode';
	const rows = Math.max(0, height - 1);
	const first = focused ? Math.max(0, Math.min(cursorLine - rows + 1, lines.length - rows)) : 0;
	const shown = lines.slice(Math.max(0, first), Math.max(0, first) + rows);
	const problem = state.problem ?? (payload.ok ? undefined : payload.error);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<PaneTitle title="Payload" detail={`${state.mode}  ${count}${focused ? '  C-t template  C-x hex  Esc done' : '  e edit'}`} width={width} focused={focused} />
			{state.text === '' && !focused ? <Text dimColor>(empty: e to edit, then C-t for an HTTP GET)</Text> : null}
			{shown.map(([start, end]) => (
				<Text key={start} wrap="truncate">
					{pieces(state.text, start, end, focused ? state.cursor : undefined).map((piece, index) => (
						<Text key={index} inverse={piece.cursor} color={piece.escape ? tint(theme, 'info') : undefined} dimColor={piece.escape && !theme.color}>
							{piece.text === '\n' ? ' ' : piece.text}
						</Text>
					))}
					{focused && state.cursor === end && end === state.text.length ? <Text inverse> </Text> : null}
				</Text>
			))}
			{problem && rows > shown.length ? <Text color={tint(theme, 'error')} wrap="truncate">{problem}</Text> : null}
		</Box>
	);
}
