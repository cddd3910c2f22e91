// The names `auto on|off` takes in scripts.
import type {AutopilotPolicies} from '../engine/autopilot.js';

/** The engine's auto policies, in the order `auto` lines name them. */
export const autopilotPolicyNames = ['handshake', 'ack', 'retransmit', 'probes', 'windowUpdate', 'fin', 'rstUnknown'] as const satisfies ReadonlyArray<keyof AutopilotPolicies>;

/** Every name `auto` takes: the engine's policies and `read`, the application side (session/reader.ts). */
export const policyNames = [...autopilotPolicyNames, 'read'] as const;

export type PolicyName = (typeof policyNames)[number];

/** What a bare `auto on` or `auto off` switches: everything but `rstUnknown`, as the A key does. */
export const defaultPolicyNames: readonly PolicyName[] = policyNames.filter(name => name !== 'rstUnknown');
