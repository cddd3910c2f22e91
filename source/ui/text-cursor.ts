/** A line or block of text with a cursor: the editing both the payload editor and the fault prompt do. */
export type TextCursor = {readonly text: string; readonly cursor: number};

export type CursorAction =
	| {readonly type: 'insert'; readonly text: string}
	| {readonly type: 'backspace'}
	| {readonly type: 'delete'}
	| {readonly type: 'move'; readonly by: number}
	| {readonly type: 'home'}
	| {readonly type: 'end'};

/** The edited text and cursor; the same object back when the action changes nothing. */
export function editCursor(state: TextCursor, action: CursorAction): TextCursor {
	const {text, cursor} = state;
	switch (action.type) {
		case 'insert': {
			return {text: text.slice(0, cursor) + action.text + text.slice(cursor), cursor: cursor + action.text.length};
		}

		case 'backspace': {
			return cursor === 0 ? state : {text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1};
		}

		case 'delete': {
			return cursor >= text.length ? state : {text: text.slice(0, cursor) + text.slice(cursor + 1), cursor};
		}

		case 'move': {
			return {text, cursor: Math.max(0, Math.min(text.length, cursor + action.by))};
		}

		case 'home': {
			return {text, cursor: 0};
		}

		case 'end': {
			return {text, cursor: text.length};
		}
	}
}
