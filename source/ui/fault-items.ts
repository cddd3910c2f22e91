// The fault menu's entries (`x`): one key each. Lower case breaks our segments, upper case does the
// same to the peer's (before the engine sees them). A fault opens a one-line prompt prefilled with its
// text in the script vocabulary (syntax/fault-text.ts), scope included, ready to edit or take.

import {type CursorAction, editCursor, type TextCursor} from './text-cursor.js';

export type FaultItem =
	| {readonly key: string; readonly kind: 'fault'; readonly label: string; readonly text: string}
	| {readonly key: string; readonly kind: 'zero-window' | 'hold-acks' | 'clear' | 'type'; readonly label: string};

export const outgoingItems: readonly FaultItem[] = [
	{key: 'c', kind: 'fault', label: 'bad TCP checksum', text: 'out bad-checksum count 1'},
	{key: 'i', kind: 'fault', label: 'bad IP checksum', text: 'out bad-ip-checksum count 1'},
	{key: 's', kind: 'fault', label: 'seq offset', text: 'out seq +1000 count 1'},
	{key: 'a', kind: 'fault', label: 'ack offset', text: 'out ack +1000 count 1'},
	{key: 'w', kind: 'fault', label: 'window forced', text: 'out window 0 count 1'},
	{key: 'f', kind: 'fault', label: 'flags replaced', text: 'out flags SYN,ACK count 1'},
	{key: 'o', kind: 'fault', label: 'options removed', text: 'out no-options count 1'},
	{key: 'p', kind: 'fault', label: 'option added', text: 'out option mss=536 count 1'},
	{key: 't', kind: 'fault', label: 'TTL', text: 'out ttl 1 count 1'},
	{key: 'b', kind: 'fault', label: 'payload bytes corrupted', text: 'out corrupt 4 count 1 on data'},
	{key: 'u', kind: 'fault', label: 'sent twice', text: 'out duplicate count 1'},
	{key: 'l', kind: 'fault', label: 'delayed', text: 'out delay 500ms count 1'},
	{key: 'r', kind: 'fault', label: 'swapped with the next', text: 'out swap count 1'},
	{key: 'd', kind: 'fault', label: 'dropped (TCB thinks sent)', text: 'out drop count 1'},
];

export const incomingItems: readonly FaultItem[] = [
	{key: 'D', kind: 'fault', label: 'drop', text: 'in drop count 1'},
	{key: 'U', kind: 'fault', label: 'duplicate', text: 'in duplicate count 1'},
	{key: 'L', kind: 'fault', label: 'delay', text: 'in delay 500ms count 1'},
	{key: 'R', kind: 'fault', label: 'reorder', text: 'in reorder count 1'},
];

export const otherItems: readonly FaultItem[] = [
	{key: 'z', kind: 'zero-window', label: 'advertise a zero window now'},
	{key: 'h', kind: 'hold-acks', label: 'hold back ACKs (auto ACK off)'},
	{key: 'C', kind: 'clear', label: 'clear all faults'},
	{key: ':', kind: 'type', label: 'type a fault'},
];

/** In the order j/k moves through them: the left column, then the right. */
export const faultItems: readonly FaultItem[] = [...outgoingItems, ...incomingItems, ...otherItems];

/** `z` adds this at once: every segment we send says window 0 until the fault is cleared. */
export const zeroWindowText = 'out window 0 always';

/** The scope words the prompt takes, for its hint line. */
export const scopeHint = 'count N | for 5s | always | on data|ack|fin|syn|rst';

export function findFaultItem(key: string): FaultItem | undefined {
	return faultItems.find(item => item.key === key);
}

/** A one-line prompt's text and cursor. */
export type PromptState = TextCursor;

export type PromptAction = CursorAction | {readonly type: 'clear'};

export function promptReducer(state: PromptState, action: PromptAction): PromptState {
	switch (action.type) {
		case 'insert': {
			// One line: a pasted newline becomes a space.
			return editCursor(state, {type: 'insert', text: action.text.replaceAll(/[\r\n]/g, ' ')});
		}

		case 'clear': {
			return {text: '', cursor: 0};
		}

		default: {
			return editCursor(state, action);
		}
	}
}
