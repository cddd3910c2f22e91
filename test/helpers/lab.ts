// Labs for tests: uniquely named, in 198.19.0.0/16, always taken down, skipped (visibly) without root
// unless SYNACK_REQUIRE_LAB=1 (CI), where a missing privilege fails instead.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import type {TestContext} from 'node:test';
import {findLabs, labDown, labNames, labPrivilegeProblem, labStatePath, labUp, type LabInfo, type LabUpOptions} from '../../source/lab/index.js';
import type {ProcessIdentity} from '../../source/lab/lab-info.js';
import {isRunning, processIdentity} from '../../source/lab/processes.js';
import {listLabStateNames, readLabState} from '../../source/lab/state-file.js';

let counter = 0;

/** `t<pid>-<n>`: unique on this machine while this process lives. */
export function uniqueLabName(): string {
	counter++;
	return `t${process.pid}-${counter}`;
}

/** A /24 in 198.19.0.0/16 that no lab with a state file uses, starting from a place this process picks. */
export function uniqueLabSubnet(): string {
	const used = new Set(listLabStateNames().map(name => readLabState(name)?.subnet));
	const start = ((process.pid * 7) + (counter * 13)) % 256;
	for (let step = 0; step < 256; step++) {
		const subnet = `198.19.${(start + step) % 256}.0/24`;
		if (!used.has(subnet)) {
			return subnet;
		}
	}

	return `198.19.${start}.0/24`;
}

/** False (and the test skipped, or failed under SYNACK_REQUIRE_LAB=1) when this process cannot make labs. */
export function canMakeLabs(t: TestContext): boolean {
	const problem = labPrivilegeProblem();
	if (problem === undefined) {
		return true;
	}

	if (process.env['SYNACK_REQUIRE_LAB'] === '1') {
		assert.fail(`SYNACK_REQUIRE_LAB=1 but ${problem}`);
	}

	t.skip(`needs a lab: ${problem}`);
	return false;
}

const live = new Set<string>();

async function downAllLive(): Promise<void> {
	await Promise.allSettled([...live].map(async name => labDown(name)));
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	// `on`, not `once`: a second signal while the labs come down must not cut the teardown short.
	process.on(signal, () => {
		if (!stopping) {
			stopping = true;
			void downAllLive().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
		}
	});
}

let swept: Promise<void> | undefined;

/**
 * Removes labs that earlier test processes made (names `t<pid>-<n>`) and could not take down because
 * they were SIGKILLed. Labs whose holder lives, and labs not made by tests, stay.
 */
async function sweepStaleTestLabs(): Promise<void> {
	swept ??= (async () => {
		for (const name of (await findLabs()).filter(name => /^t\d+-\d+$/.test(name))) {
			const holder = readLabState(name)?.holder;
			if (holder === undefined || !isRunning(holder)) {
				await labDown(name);
			}
		}
	})();
	return swept;
}

const beforeDown = new Map<string, Array<() => void>>();

/**
 * Runs `close` before the lab goes down, whatever happens in the test: captures must close first, as
 * cap aborts the process when its interface vanishes under an open capture.
 */
export function beforeLabDown(lab: Pick<LabInfo, 'name'>, close: () => void): void {
	const list = beforeDown.get(lab.name) ?? [];
	list.push(close);
	beforeDown.set(lab.name, list);
}

/**
 * A fresh lab, held by this process, taken down when the test ends (t.after). Undefined when the test
 * was skipped for lack of privilege: `const lab = await useLab(t); if (!lab) return;`.
 */
export async function useLab(t: TestContext, options: LabUpOptions = {}): Promise<LabInfo | undefined> {
	if (!canMakeLabs(t)) {
		return undefined;
	}

	await sweepStaleTestLabs();
	const name = options.name ?? uniqueLabName();
	live.add(name);
	t.after(async () => {
		for (const close of beforeDown.get(name)?.splice(0) ?? []) close();
		await labDown(name);
		live.delete(name);
	});
	return labUp({subnet: uniqueLabSubnet(), held: true, ...options, name});
}

/** Runs `fn` with a fresh lab, then takes the lab down whatever happened. */
export async function withLab<T>(t: TestContext, fn: (lab: LabInfo) => Promise<T>, options: LabUpOptions = {}): Promise<T | undefined> {
	if (!canMakeLabs(t)) {
		return undefined;
	}

	await sweepStaleTestLabs();
	const name = options.name ?? uniqueLabName();
	live.add(name);
	try {
		return await fn(await labUp({subnet: uniqueLabSubnet(), held: true, ...options, name}));
	} finally {
		await labDown(name);
		live.delete(name);
	}
}

/** Runs a command inside the lab's namespace (execFile, no shell) and returns its stdout. */
export function inLab(lab: Pick<LabInfo, 'namespace'>, command: string, args: readonly string[], input?: string | Buffer): Buffer {
	return execFileSync('ip', ['netns', 'exec', lab.namespace, command, ...args], {input, timeout: 15_000, maxBuffer: 64 << 20});
}

/** The lab's server processes as they are now (PID and start time), to look for after it is down. */
export function labProcesses(lab: LabInfo): ProcessIdentity[] {
	return [...new Set(lab.services.map(({pid}) => pid))].map(pid => processIdentity(pid)).filter(identity => identity !== undefined);
}

function namespaceListed(namespace: string): boolean {
	return execFileSync('ip', ['netns', 'list'], {encoding: 'utf8'}).split('\n').some(line => line.split(' ')[0] === namespace);
}

/** What is left of a lab: its namespace, interface, state file, server processes. Empty when it is all gone. */
export function labLeftovers(name: string, processes: readonly ProcessIdentity[] = []): string[] {
	const names = labNames(name);
	const left: string[] = [];
	if (namespaceListed(names.namespace)) {
		left.push(`namespace ${names.namespace}`);
	}

	if (existsSync(`/sys/class/net/${names.interface}`)) {
		left.push(`interface ${names.interface}`);
	}

	if (existsSync(labStatePath(name))) {
		left.push(`state file ${labStatePath(name)}`);
	}

	for (const identity of processes) {
		if (isRunning(identity)) {
			left.push(`process ${identity.pid}`);
		}
	}

	return left;
}

/** The lab servers' counters, read from inside the namespace (HTTP `/stats`). */
export function labStats(lab: LabInfo): Record<string, {connections: number; bytesIn: number; bytesOut: number; resets: number}> {
	return JSON.parse(inLab(lab, 'curl', ['-s', '--max-time', '3', `http://${lab.peerAddress}/stats`]).toString()) as Record<string, {connections: number; bytesIn: number; bytesOut: number; resets: number}>;
}
