import {readFileSync} from 'node:fs';
import type {ProcessIdentity} from './lab-info.js';
import {tryTool} from './run-tool.js';

type ProcessStat = {
	readonly state: string;
	readonly startTime: number;
};

/** Fields of /proc/PID/stat (proc(5)); undefined when there is no such process. */
function processStat(pid: number): ProcessStat | undefined {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}

	// The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	// Fields 3 (state) onwards; starttime is field 22.
	return {state: fields[0] ?? '', startTime: Number(fields[19])};
}

export function processIdentity(pid: number): ProcessIdentity | undefined {
	const stat = processStat(pid);
	return stat === undefined ? undefined : {pid, startTime: stat.startTime};
}

/** The same process is still there, and not a zombie waiting to be reaped. */
export function isRunning(identity: ProcessIdentity): boolean {
	const stat = processStat(identity.pid);
	return stat !== undefined && stat.startTime === identity.startTime && stat.state !== 'Z' && stat.state !== 'X';
}

/** The processes inside a network namespace (`ip netns pids`), or none when it does not exist. */
export async function namespaceProcesses(namespace: string): Promise<ProcessIdentity[]> {
	const output = await tryTool('ip', ['netns', 'pids', namespace]);
	return (output ?? '')
		.split(/\s+/)
		.filter(word => /^\d+$/.test(word))
		.map(word => processIdentity(Number(word)))
		.filter(identity => identity !== undefined);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when all are gone or `deadlineMs` has passed. */
export async function terminate(identities: readonly ProcessIdentity[], graceMs = 1000, deadlineMs = 5000): Promise<ProcessIdentity[]> {
	const started = Date.now();
	let living = identities.filter(identity => identity.pid !== process.pid && isRunning(identity));
	signal(living, 'SIGTERM');
	let killed = false;
	while (living.length > 0 && Date.now() - started < deadlineMs) {
		await new Promise(resolve => setTimeout(resolve, 20));
		living = living.filter(identity => isRunning(identity));
		if (!killed && Date.now() - started >= graceMs) {
			signal(living, 'SIGKILL');
			killed = true;
		}
	}

	return living;
}

function signal(identities: readonly ProcessIdentity[], name: NodeJS.Signals): void {
	for (const {pid} of identities) {
		try {
			process.kill(pid, name);
		} catch {
			// Gone between the check and the signal: that is what we wanted.
		}
	}
}
