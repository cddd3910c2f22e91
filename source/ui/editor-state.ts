import {bytesToHex, bytesToText, encodePayload, type Encoded, type PayloadMode} from './payload.js';
import {type CursorAction, editCursor} from './text-cursor.js';

export type EditorState = {
	readonly text: string;
	/** Offset into `text`: the cursor sits before this character. */
	readonly cursor: number;
	readonly mode: PayloadMode;
	/** Why the last mode switch was refused, until the next edit. */
	readonly problem?: string;
};

export type EditorAction =
	| CursorAction
	| {readonly type: 'set'; readonly text: string; readonly mode?: PayloadMode}
	| {readonly type: 'toggle-mode'};

export const emptyEditor: EditorState = {text: '', cursor: 0, mode: 'text'};

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
	const {text} = state;
	switch (action.type) {
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

		default: {
			const edited = editCursor(state, action);
			if (edited === state) return state;
			// A change to the text clears a refused mode switch's message; moving the cursor keeps it.
			const moved = action.type === 'move' || action.type === 'home' || action.type === 'end';
			return moved ? {...state, cursor: edited.cursor} : {text: edited.text, cursor: edited.cursor, mode: state.mode};
		}
	}
}

/** The bytes `d` would send now, or why there are none. */
export function editorPayload(state: EditorState): Encoded {
	return encodePayload(state.text, state.mode);
}
