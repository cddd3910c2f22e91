// Keys that reach us in one read (typed fast, or on a busy machine) are handled one at a time, each
// after the render that the one before it caused.
import {type Key, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';

export type KeyPress = readonly [input: string, key: Key];

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

/** One character as Ink reports it when it arrives alone (Ink's parse-keypress, for the bytes we meet). */
export function keyOf(char: string): KeyPress {
	const code = char.codePointAt(0)!;
	if (char === '\r' || char === '\n') return ['', {...noKey, return: true}];
	if (char === '\t') return ['', {...noKey, tab: true}];
	// Esc typed right after text arrives in the same read: it still leaves the editor.
	if (char === '\u001B') return ['', {...noKey, escape: true}];
	if (char === '\u007F' || char === '\b') return ['', {...noKey, delete: true}];
	if (code < 0x20) return [String.fromCodePoint(code + 0x60), {...noKey, ctrl: true}];
	return [char, {...noKey, shift: /^[A-Z]$/.test(char)}];
}

/**
 * Ink hands plain characters that arrive in one read to useInput as one string (`kk`, `e` then C-t
 * as `e\x14`), which no key binding matches: they were lost. Split them into keys, unless they are
 * text going into the editor (a paste: printable, or Enter).
 */
export function splitKeys(input: string, key: Key, pasting: boolean): KeyPress[] {
	const chars = [...input];
	if (chars.length <= 1) return [[input, key]];
	if (pasting && chars.every(char => char >= ' ' || char === '\r' || char === '\n')) return [[input, key]];
	return chars.map(char => keyOf(char));
}

/**
 * `receive` takes the keys of one input event: the first is handled at once (unless keys are still
 * waiting: then behind them), the others wait and are handled one per render, each with the state the
 * one before it left (handlers close over state: a second key handled in the same tick would see the
 * state before the first).
 */
export function useKeyQueue(handle: (press: KeyPress) => void): {receive(presses: readonly KeyPress[]): void} {
	const queue = useRef<KeyPress[]>([]);
	const [, wake] = useState(0);
	useEffect(() => {
		const next = queue.current.shift();
		if (next === undefined) return;
		handle(next);
		// A key that changes nothing causes no render: ask for one, for the keys after it.
		if (queue.current.length > 0) wake(value => value + 1);
	});
	return {
		receive(presses) {
			const waiting = queue.current.length > 0;
			queue.current.push(...presses);
			if (!waiting) handle(queue.current.shift()!);
			if (queue.current.length > 0) wake(value => value + 1);
		},
	};
}

export type KeysOptions = {
	/** Off while another component reads the keys (the fault menu, the stream view). */
	readonly isActive?: boolean;
	/** Read as each input event arrives: whether it is text going into the editor (see splitKeys). */
	readonly pasting?: () => boolean;
	/** Read as each input event arrives: whether its keys belong to another component already. */
	readonly elsewhere?: () => boolean;
};

/** Ink's input, split into keys and handled one per render: the one way both apps read keys. */
export function useKeys(handle: (press: KeyPress) => void, {isActive = true, pasting = () => false, elsewhere = () => false}: KeysOptions = {}): void {
	useInput((input, key) => {
		if (elsewhere()) return;
		keys.receive(splitKeys(input, key, pasting()));
	}, {isActive});
	const keys = useKeyQueue(handle);
}
