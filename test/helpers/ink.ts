// ink-testing-library with a press() that yields around each write: Ink re-subscribes useInput after
// a render, and a key written too early is dropped. Yielding beats fixed sleeps.
import type {ReactElement} from 'react';
import {render} from 'ink-testing-library';

export const keys = {
	arrowUp: '\u001B[A',
	arrowDown: '\u001B[B',
	arrowLeft: '\u001B[D',
	arrowRight: '\u001B[C',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	backspace: '\u007F',
	ctrlC: '\u0003',
	ctrlT: '\u0014',
	ctrlU: '\u0015',
	ctrlX: '\u0018',
	ctrlD: '\u0004',
} as const;

export async function settle(): Promise<void> {
	await new Promise(resolve => setImmediate(resolve));
	await new Promise(resolve => setTimeout(resolve, 0));
}

export type Rendered = ReturnType<typeof render> & {
	press(key: string): Promise<void>;
	/** Types each character as its own key press. */
	type(text: string): Promise<void>;
	/** The last frame, never undefined. */
	screen(): string;
	/** Waits (yielding, bounded) until the screen contains `text` or `match` holds. */
	waitFor(match: string | ((screen: string) => boolean), ms?: number): Promise<string>;
};

export async function renderInk(tree: ReactElement): Promise<Rendered> {
	const instance = render(tree);
	await settle();
	const press = async (key: string) => {
		await settle();
		instance.stdin.write(key);
		await quiet();
	};

	// React may finish a render over several turns of the loop (its scheduler yields after a few ms,
	// which a loaded machine reaches): settle until a turn passes with no new frame (bounded).
	const quiet = async () => {
		let frames = instance.frames.length;
		for (let turn = 0; turn < 50; turn++) {
			await settle();
			if (turn > 0 && instance.frames.length === frames) return;
			frames = instance.frames.length;
		}
	};

	const screen = () => instance.lastFrame() ?? '';
	return {
		...instance,
		press,
		async type(text: string) {
			for (const char of text) await press(char);
		},
		screen,
		async waitFor(match, ms = 2000) {
			const test = typeof match === 'string' ? (text: string) => text.includes(match) : match;
			const deadline = Date.now() + ms;
			while (!test(screen())) {
				if (Date.now() > deadline) throw new Error(`screen never matched ${typeof match === 'string' ? JSON.stringify(match) : 'the condition'} within ${ms} ms; last screen:\n${screen()}`);
				await new Promise(resolve => setTimeout(resolve, 10));
			}

			return screen();
		},
	};
}
