import type {LabServiceName, ServiceCounters} from './lab-services.js';

/** What `probe` prints: each service's connect result from inside the namespace, and the discard counters. */
export type ProbeResult = {
	readonly services: Readonly<Record<LabServiceName, {readonly ok: boolean; readonly problem?: string}>>;
	readonly discard?: ServiceCounters;
};
