import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {LabState} from './lab-info.js';
import {LabError} from './lab-error.js';

/** Where lab state files live; /run is a tmpfs, so a reboot (which removes every lab) clears them too. */
export const labStateDirectory = '/run/synack/labs';

export function labStatePath(name: string): string {
	return path.join(labStateDirectory, `${name}.json`);
}

export function labLogPath(name: string): string {
	return path.join(labStateDirectory, `${name}.log`);
}

/**
 * Writes the first state of a lab; fails if the file exists, so two `up`s of one name cannot both go
 * on. Returns false when it exists.
 */
export function createLabState(state: LabState): boolean {
	mkdirSync(labStateDirectory, {recursive: true, mode: 0o755});
	try {
		writeFileSync(labStatePath(state.name), serialize(state), {flag: 'wx', mode: 0o644});
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return false;
		}

		throw error;
	}
}

export function writeLabState(state: LabState): void {
	const file = labStatePath(state.name);
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, serialize(state), {mode: 0o644});
	renameSync(temporary, file);
}

/** The lab's state, or undefined when there is no readable state file. */
export function readLabState(name: string): LabState | undefined {
	let text: string;
	try {
		text = readFileSync(labStatePath(name), 'utf8');
	} catch {
		return undefined;
	}

	try {
		const state = JSON.parse(text) as LabState;
		return state.version === 1 && state.name === name && Array.isArray(state.processes) ? state : undefined;
	} catch {
		// A half-written file (a crash inside writeFileSync) still names a lab to remove.
		return {version: 1, name, phase: 'starting', processes: [], subnet: '', log: labLogPath(name)};
	}
}

export function removeLabState(name: string): void {
	for (const file of [labStatePath(name), labLogPath(name)]) {
		try {
			rmSync(file, {force: true});
		} catch (error) {
			throw new LabError(`cannot remove ${file}: ${(error as Error).message}`);
		}
	}
}

/** The names of the labs that have a state file. */
export function listLabStateNames(): string[] {
	try {
		return readdirSync(labStateDirectory)
			.filter(file => file.endsWith('.json'))
			.map(file => file.slice(0, -'.json'.length))
			.sort();
	} catch {
		return [];
	}
}

function serialize(state: LabState): string {
	return `${JSON.stringify(state, undefined, '\t')}\n`;
}
