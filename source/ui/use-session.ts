import {useSyncExternalStore} from 'react';
import type {Session, SessionSnapshot} from '../session/session.js';

/** The session's current snapshot; re-renders when the session changes. */
export function useSessionSnapshot(session: Session): SessionSnapshot {
	return useSyncExternalStore(listener => session.subscribe(listener), session.getSnapshot, session.getSnapshot);
}
