import {createHash} from 'node:crypto';
import {LabError} from './lab-error.js';

export const defaultLabName = 'lab';

/** Every lab namespace and every host-side lab interface starts with this. */
export const labPrefix = 'synack';

/** Marks lab interfaces (IFLA_IFALIAS), so `down --all` removes labs and nothing else named synack*. */
export const labAliasPrefix = 'synack-lab:';

/** The peer's interface name inside the namespace; the namespace is the lab's own, so it never collides. */
export const peerInterface = 'eth0';

// IFNAMSIZ is 16 with the terminating NUL.
const maxInterfaceName = 15;
const maxLabName = 40;

export type LabNames = {
	readonly name: string;
	readonly namespace: string;
	/** Our end of the veth pair, in the caller's namespace. */
	readonly interface: string;
	readonly peerInterface: string;
	/** The interface alias that marks both ends as this lab's. */
	readonly alias: string;
};

/** Lowercase letters, digits and dashes, starting with a letter or digit: safe in file and interface names. */
export function checkLabName(name: string): void {
	if (!/^[a-z\d][a-z\d-]*$/.test(name) || name.length > maxLabName) {
		throw new LabError(`bad lab name "${name}": use up to ${maxLabName} lowercase letters, digits and dashes`);
	}
}

export function labNames(name: string = defaultLabName): LabNames {
	checkLabName(name);
	return {
		name,
		namespace: `${labPrefix}-${name}`,
		interface: hostInterfaceName(name),
		peerInterface,
		alias: `${labAliasPrefix}${name}`,
	};
}

/** The lab's name from an interface alias, or undefined when the alias is not a lab's. */
export function labNameFromAlias(alias: string | undefined): string | undefined {
	if (alias === undefined || !alias.startsWith(labAliasPrefix)) {
		return undefined;
	}

	const name = alias.slice(labAliasPrefix.length);
	return /^[a-z\d][a-z\d-]*$/.test(name) ? name : undefined;
}

/** The lab's name from a namespace name, or undefined when it is not `synack-NAME`. */
export function labNameFromNamespace(namespace: string): string | undefined {
	const name = namespace.startsWith(`${labPrefix}-`) ? namespace.slice(labPrefix.length + 1) : '';
	return /^[a-z\d][a-z\d-]*$/.test(name) && name.length <= maxLabName ? name : undefined;
}

function hostInterfaceName(name: string): string {
	if (name === defaultLabName) {
		return `${labPrefix}0`;
	}

	const readable = `${labPrefix}-${name}`;
	if (readable.length <= maxInterfaceName) {
		return readable;
	}

	// Too long for IFNAMSIZ: a hash keeps the name stable, so `down --name` finds it without the state file.
	const room = maxInterfaceName - labPrefix.length - 1;
	return `${labPrefix}-${createHash('sha256').update(name).digest('hex').slice(0, room)}`;
}
