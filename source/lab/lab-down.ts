import {LabError} from './lab-error.js';
import type {LabState, ProcessIdentity} from './lab-info.js';
import {findLabs} from './find-labs.js';
import {hostLink, namespaceExists, namespaceLink} from './lab-links.js';
import {labNames, type LabNames} from './lab-names.js';
import {checkLabPrivileges} from './privileges.js';
import {isRunning, namespaceProcesses, terminate} from './processes.js';
import {tryTool} from './run-tool.js';
import {readLabState, removeLabState} from './state-file.js';

export type LabDownResult = {
	readonly name: string;
	/** Something of the lab was there and is now gone. */
	readonly removed: boolean;
	/** Things named like the lab that are not marked as a lab's, and so were left alone. */
	readonly leftAlone: readonly string[];
};

/** Removes a lab: its processes, veth pair, namespace and state file. Nothing there is not an error. */
export async function labDown(name?: string): Promise<LabDownResult> {
	const names = labNames(name);
	checkLabPrivileges();
	return removeLab(names, readLabState(names.name));
}

export type LabDownAllResult = {
	readonly removed: readonly string[];
	/** Labs held by a live process (a TUI session, a test run) that will remove them itself. */
	readonly kept: ReadonlyArray<{readonly name: string; readonly holder: number}>;
	/** Labs that could not be removed, each with a one-line reason. */
	readonly failed: ReadonlyArray<{readonly name: string; readonly problem: string}>;
};

/**
 * Removes every lab on this machine (see findLabs) except those held by a live process. Namespaces and
 * interfaces named synack-* without the lab marker belong to something else (fixture scripts, say) and
 * are not touched.
 */
export async function labDownAll(): Promise<LabDownAllResult> {
	checkLabPrivileges();
	const candidates = await findLabs();
	const removed: string[] = [];
	const kept: Array<{name: string; holder: number}> = [];
	const failed: Array<{name: string; problem: string}> = [];
	for (const name of candidates) {
		const state = readLabState(name);
		if (state?.holder !== undefined && isRunning(state.holder)) {
			kept.push({name, holder: state.holder.pid});
			continue;
		}

		try {
			if ((await removeLab(labNames(name), state)).removed) {
				removed.push(name);
			}
		} catch (error) {
			failed.push({name, problem: error instanceof Error ? error.message : String(error)});
		}
	}

	return {removed, kept, failed};
}

/**
 * Takes a lab apart, last made first. Only touches the namespace and interface when they are marked as
 * this lab's or when the state file says the lab was being made (a crash before the marker was set).
 */
export async function removeLab(names: LabNames, state: LabState | undefined): Promise<LabDownResult> {
	const leftAlone: string[] = [];
	let removed = state !== undefined;

	const namespaceIsOurs = namespaceExists(names.namespace)
		&& (state !== undefined || (await namespaceLink(names.namespace, names.peerInterface))?.alias === names.alias);
	if (namespaceExists(names.namespace) && !namespaceIsOurs) {
		leftAlone.push(`namespace ${names.namespace}`);
	}

	const processes: ProcessIdentity[] = [...(state?.processes ?? [])];
	if (namespaceIsOurs) {
		processes.push(...await namespaceProcesses(names.namespace));
	}

	if (processes.some(identity => isRunning(identity))) {
		removed = true;
		await terminate(processes);
	}

	const link = hostLink(names.interface);
	if (link !== undefined) {
		if (link.alias === names.alias || (link.alias === '' && state !== undefined)) {
			// Deleting one end of a veth pair deletes both, at once; a namespace's interfaces go only later.
			await tryTool('ip', ['link', 'del', 'dev', names.interface]);
			removed = true;
		} else {
			leftAlone.push(`interface ${names.interface}`);
		}
	}

	if (namespaceIsOurs) {
		await tryTool('ip', ['netns', 'del', names.namespace]);
		removed = true;
	}

	const stuck = [
		...(namespaceIsOurs && namespaceExists(names.namespace) ? [`namespace ${names.namespace}`] : []),
		...(hostLink(names.interface)?.alias === names.alias ? [`interface ${names.interface}`] : []),
	];
	if (stuck.length > 0) {
		throw new LabError(`could not remove ${stuck.join(' and ')} of lab "${names.name}"`);
	}

	removeLabState(names.name);
	return {name: names.name, removed, leftAlone};
}
