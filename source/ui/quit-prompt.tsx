// `q` in the live TUI with a connection open: quit anyway, reset what is open first, or stay.
import type {ConnectionView} from '../session/session.js';
import {formatIpv4} from '../wire/addresses.js';
import {QuestionLine} from './question-line.js';

export type QuitHow = 'quit' | 'rst';

/** States in which quitting would leave the peer with a half-open connection. */
export function isOpen(connection: ConnectionView | undefined): boolean {
	const state = connection?.tcb.state;
	return state !== undefined && state !== 'CLOSED' && state !== 'LISTEN' && state !== 'TIME-WAIT';
}

/** The question for the connections quitting would leave open (none: they closed while it was asked). */
export function quitQuestion(open: readonly ConnectionView[]): string {
	if (open.length > 1) return `${open.length} connections open (${open.map(connection => `#${connection.id} ${connection.tcb.state}`).join(', ')}): r send RSTs and quit, q quit, Esc stay`;
	const [only] = open;
	if (only) return `${only.tcb.state} to ${only.remote ? `${formatIpv4(only.remote.ip)}:${only.remote.port}` : 'peer'}: r send RST and quit, q quit, Esc stay`;
	return 'nothing is open any more: q quits, Esc stays';
}

/** The answer a key gives (by keyName), or undefined for a key the question ignores. */
export function quitAnswer(name: string): QuitHow | 'stay' | undefined {
	if (name === 'r') return 'rst';
	if (name === 'q' || name === 'y' || name === 'ctrl-c') return 'quit';
	if (name === 'escape' || name === 'n') return 'stay';
	return undefined;
}

export function QuitPrompt({open, width}: {readonly open: readonly ConnectionView[]; readonly width: number}) {
	return <QuestionLine text={quitQuestion(open)} width={width} />;
}
