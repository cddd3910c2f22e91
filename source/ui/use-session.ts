import {useMemo, useSyncExternalStore} from 'react';
import type {Session, SessionSnapshot} from '../session/session.js';

/** How often the TUI takes a new snapshot at most: Ink draws at 30 frames a second by default. */
export const defaultFps = 30;

type Store = {
	readonly subscribe: (listener: () => void) => () => void;
	readonly getSnapshot: () => SessionSnapshot;
};

/**
 * The session's snapshots, coalesced: at most `fps` a second, and never inside the session's own
 * work, since rendering on every frame stalls the TUI under a flood (docs/performance.md). The first
 * change after a quiet spell is taken at once (on the next turn of the event loop), so a key's
 * effect shows without waiting.
 */
export function coalescedSnapshots(session: Session, fps = defaultFps): Store {
	const interval = fps > 0 ? 1000 / fps : 0;
	const listeners = new Set<() => void>();
	let snapshot = session.getSnapshot();
	let pending: {cancel: () => void} | undefined;
	let last = Number.NEGATIVE_INFINITY;
	let unsubscribe: (() => void) | undefined;
	// How long the last render took (React's commit and Ink's drawing run right after the listeners,
	// before the next turn of the event loop). While changes keep coming, renders are spaced so that
	// drawing takes at most a quarter of the time: a big terminal under a flood of frames still
	// leaves the session and the keyboard most of it.
	let renderMs = 0;

	const flush = () => {
		pending = undefined;
		last = performance.now();
		const next = session.getSnapshot();
		if (next === snapshot) return;
		snapshot = next;
		for (const listener of [...listeners]) listener();
		setImmediate(() => {
			renderMs = performance.now() - last;
		});
	};

	const changed = () => {
		if (pending) return;
		const wait = last + Math.max(interval, 4 * renderMs) - performance.now();
		if (wait <= 0) {
			const immediate = setImmediate(flush);
			pending = {cancel: () => clearImmediate(immediate)};
		} else {
			const timer = setTimeout(flush, wait);
			pending = {cancel: () => clearTimeout(timer)};
		}
	};

	return {
		subscribe(listener) {
			listeners.add(listener);
			unsubscribe ??= session.subscribe(changed);
			// A change between the first snapshot and this subscription is not lost.
			changed();
			return () => {
				listeners.delete(listener);
				if (listeners.size > 0) return;
				unsubscribe?.();
				unsubscribe = undefined;
				pending?.cancel();
				pending = undefined;
			};
		},
		// A render for another reason (a key) while a change waits takes the newest snapshot: the panes
		// also read the live packet log, and the two must agree on one screen.
		getSnapshot() {
			if (pending) snapshot = session.getSnapshot();
			return snapshot;
		},
	};
}

/** The session's current snapshot, coalesced (see `coalescedSnapshots`); re-renders when it moves. */
export function useSessionSnapshot(session: Session, fps = defaultFps): SessionSnapshot {
	const store = useMemo(() => coalescedSnapshots(session, fps), [session, fps]);
	return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
