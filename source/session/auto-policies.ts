import type {AutopilotPolicies} from '../engine/autopilot.js';
import type {ReaderMode} from './reader.js';

/**
 * The auto policies, switchable at run time; `A` in the TUI turns on everything but `rstUnknown`.
 * `read` is the application side (session/reader.ts): who takes received data, so the window opens.
 */
export type AutoPolicies = AutopilotPolicies & {readonly read: ReaderMode};

export const manualPolicies: AutoPolicies = {
	handshake: false,
	ack: 'off',
	retransmit: false,
	probes: false,
	windowUpdate: false,
	fin: false,
	rstUnknown: false,
	read: 'manual',
};

export const autoPolicies: AutoPolicies = {
	handshake: true,
	ack: 'delayed',
	retransmit: true,
	probes: true,
	windowUpdate: true,
	fin: true,
	rstUnknown: false,
	read: 'arrival',
};

/** Auto mode is "on" when any policy of the engine is (the reader is the application's, not the engine's). */
export function isAuto(policies: AutoPolicies): boolean {
	return Object.entries(policies).some(([name, value]) => name !== 'rstUnknown' && name !== 'read' && value !== false && value !== 'off');
}
