import {readFileSync} from 'node:fs';
import {LabError} from './lab-error.js';

// Capability numbers from linux/capability.h: namespaces need SYS_ADMIN (mounts), interfaces NET_ADMIN.
const capNetAdmin = 12n;
const capSysAdmin = 21n;

/** Why this process cannot make a lab, or undefined when it can. */
export function labPrivilegeProblem(): string | undefined {
	if (process.getuid?.() === 0 || hasCapabilities([capNetAdmin, capSysAdmin])) {
		return undefined;
	}

	return 'synack lab needs root (or CAP_NET_ADMIN): run with sudo';
}

export function checkLabPrivileges(): void {
	const problem = labPrivilegeProblem();
	if (problem !== undefined) {
		throw new LabError(problem);
	}
}

function hasCapabilities(capabilities: readonly bigint[]): boolean {
	try {
		const effective = /^CapEff:\s*([\da-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
		const mask = BigInt(`0x${effective ?? '0'}`);
		return capabilities.every(capability => ((mask >> capability) & 1n) === 1n);
	} catch {
		return false;
	}
}
