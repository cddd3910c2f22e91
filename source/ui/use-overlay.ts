// What covers the panes (help, a list, the frame detail, a prompt...), one at a time.
import type {Command} from './keymap.js';
import {useStateNow} from './use-state-now.js';

export type Closed = {readonly kind: 'none'};
export const closed: Closed = {kind: 'none'};

export type Overlays<O extends {readonly kind: string}> = {
	/** What this render shows. */
	readonly shown: O | Closed;
	/** What the key before this one left: keys that arrive before the next render must see it. */
	now(): O | Closed;
	open(next: O | Closed): void;
	/** Esc (and Enter on the detail): back to the panes. */
	close(): void;
	/** `?` and the like: opens it, or closes it when it is already open. */
	toggle(next: O): void;
	/**
	 * With the help on screen, any command key but quit closes it and does nothing else (`q` still
	 * quits): true when the key was spent so.
	 */
	closeHelpOn(command: Command): boolean;
};

export function useOverlay<O extends {readonly kind: string}>(): Overlays<O> {
	const state = useStateNow<O | Closed>(closed);
	const {now, set: open} = state;
	return {
		shown: state.value,
		now,
		open,
		close: () => open(closed),
		toggle: next => open(now().kind === next.kind ? closed : next),
		closeHelpOn(command) {
			if (now().kind !== 'help' || command === 'quit') return false;
			open(closed);
			return true;
		},
	};
}
