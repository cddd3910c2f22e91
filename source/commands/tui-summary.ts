import type {SessionSnapshot} from '../session/session.js';

/**
 * The line printed to stderr when the TUI ends, as tcpdump prints what it captured and dropped: what
 * the log took, what a flood kept from being handled or logged, and what the capture received and
 * (by the interface's counters, an estimate) dropped. Frames still waiting when it ends count as not logged.
 */
export function exitSummary(snapshot: Pick<SessionSnapshot, 'log' | 'link'>): string {
	const {log, link} = snapshot;
	const frames = `${log.count} ${log.count === 1 ? 'frame' : 'frames'} (${log.totals.framesIn} in, ${log.totals.framesOut} out)`;
	const overload = log.overloaded + log.dropped + log.waiting > 0 ? `; overloaded: ${log.overloaded} logged but not handled, ${log.dropped + log.waiting} not logged` : '';
	const drops = link.droppedSource === 'estimate' ? `about ${link.dropped}` : String(link.dropped);
	return `synack: ${frames}${overload}; the capture received ${link.received}, dropped ${drops}`;
}
