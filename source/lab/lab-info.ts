import type {LabServiceName} from './lab-services.js';

/** A process, identified beyond its PID (PIDs are reused): the start time in clock ticks after boot. */
export type ProcessIdentity = {
	readonly pid: number;
	readonly startTime: number;
};

export type LabServiceInfo = {
	readonly name: LabServiceName;
	readonly port: number;
	readonly pid: number;
};

/** A lab that is up: what synack needs to use it. Addresses are text, as `ip` prints them. */
export type LabInfo = {
	readonly name: string;
	readonly namespace: string;
	/** Our end of the veth pair, in the caller's namespace, UP, with no IP address. */
	readonly interface: string;
	readonly mac: string;
	/** The twin, inside the namespace. */
	readonly peerInterface: string;
	readonly peerAddress: string;
	readonly peerMac: string;
	/** `198.18.0.0/24`. */
	readonly subnet: string;
	readonly prefixLength: number;
	/** The address synack should claim on `interface` (network + 10). */
	readonly suggestedAddress: string;
	readonly services: readonly LabServiceInfo[];
	/** ISO 8601. */
	readonly createdAt: string;
};

/** What /run/synack/labs/NAME.json holds; written before anything is made, so a crash leaves a trace. */
export type LabState = {
	readonly version: 1;
	readonly name: string;
	readonly phase: 'starting' | 'up';
	/** A live process that will remove the lab itself; `down --all` leaves such labs alone. */
	readonly holder?: ProcessIdentity;
	/** Every process started for the lab (servers), to kill by PID on the way down. */
	readonly processes: readonly ProcessIdentity[];
	readonly subnet: string;
	/** The servers' stdout and stderr. */
	readonly log: string;
	readonly info?: LabInfo;
};
