import {bytesToHex, bytesToText, encodePayload, type Encoded, type PayloadMode} from './payload.js';

export type EditorState = {
	readonly text: string;
	/** Offset into `text`: the cursor sits before this character. */
	readonly cursor: number;
	readonly mode: PayloadMode;
	/** Why the last mode switch was refused, until the next edit. */
	readonly problem?: string;
};

export type EditorAction =
	| {readonly type: 'insert'; readonly text: string}
	| {readonly type: 'backspace'}
	| {readonly type: 'delete'}
	| {readonly type: 'move'; readonly by: number}
	| {readonly type: 'home'}
	| {readonly type: 'end'}
	| {readonly type: 'set'; readonly text: string; readonly mode?: PayloadMode}
	| {readonly type: 'toggle-mode'};

export const emptyEditor: EditorState = {text: '', cursor: 0, mode: 'text'};

const clamp = (value: number, max: number) => Math.max(0, Math.min(max, value));

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
	const {text, cursor} = state;
	switch (action.type) {
		case 'insert': {
			return {text: text.slice(0, cursor) + action.text + text.slice(cursor), cursor: cursor + action.text.length, mode: state.mode};
		}

		case 'backspace': {
			return cursor === 0 ? state : {text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1, mode: state.mode};
		}

		case 'delete': {
			return cursor >= text.length ? state : {text: text.slice(0, cursor) + text.slice(cursor + 1), cursor, mode: state.mode};
		}

		case 'move': {
			return {...state, cursor: clamp(cursor + action.by, text.length)};
		}

		case 'home': {
			return {...state, cursor: 0};
		}

		case 'end': {
			return {...state, cursor: text.length};
		}

		case 'set': {
			return {text: action.text, cursor: action.text.length, mode: action.mode ?? state.mode};
		}

		case 'toggle-mode': {
			const encoded = encodePayload(text, state.mode);
			if (!encoded.ok) return {...state, problem: `cannot switch mode: ${encoded.error}`};
			const mode: PayloadMode = state.mode === 'text' ? 'hex' : 'text';
			const converted = mode === 'hex' ? bytesToHex(encoded.bytes) : bytesToText(encoded.bytes);
			return {text: converted, cursor: converted.length, mode};
		}
	}
}

/** The bytes `d` would send now, or why there are none. */
export function editorPayload(state: EditorState): Encoded {
	return encodePayload(state.text, state.mode);
}
