import type {AutopilotPolicies} from '../engine/autopilot.js';

/** The auto policies, switchable at run time; `A` in the TUI turns on everything but `rstUnknown`. */
export type AutoPolicies = AutopilotPolicies;

export const manualPolicies: AutoPolicies = {
	handshake: false,
	ack: 'off',
	retransmit: false,
	probes: false,
	windowUpdate: false,
	fin: false,
	rstUnknown: false,
};

export const autoPolicies: AutoPolicies = {
	handshake: true,
	ack: 'delayed',
	retransmit: true,
	probes: true,
	windowUpdate: true,
	fin: true,
	rstUnknown: false,
};

/** Auto mode is "on" when any policy is. */
export function isAuto(policies: AutoPolicies): boolean {
	return Object.entries(policies).some(([name, value]) => name !== 'rstUnknown' && value !== false && value !== 'off');
}
