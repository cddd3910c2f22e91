import {spawn} from 'node:child_process';
import {closeSync, openSync, readFileSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {LabError} from './lab-error.js';
import type {LabInfo, LabState, ProcessIdentity} from './lab-info.js';
import {hostLink, namespaceExists, namespaceLink, listeningPorts} from './lab-links.js';
import {labNames, type LabNames} from './lab-names.js';
import {cpuMask, steerPeer} from './peer-steering.js';
import {labServices, servicePort} from './lab-services.js';
import {parseLabSubnet} from './lab-subnet.js';
import {removeLab} from './lab-down.js';
import {labProcessEnvironment, nodeEntryCommand} from './node-entry.js';
import {checkLabPrivileges} from './privileges.js';
import {isRunning, processIdentity} from './processes.js';
import {runTool} from './run-tool.js';
import {slowReaderCommand} from './slow-reader.js';
import {createLabState, labLogPath, writeLabState} from './state-file.js';

export type LabUpOptions = {
	/** `lab` (the default) gives namespace `synack-lab` and interface `synack0`. */
	readonly name?: string;
	/** A subnet of 198.18.0.0/15; the default is 198.18.0.0/24. */
	readonly subnet?: string;
	/**
	 * This process will take the lab down itself (a TUI session, a test): `down --all` leaves it alone
	 * while this process lives. `synack lab up` leaves labs unheld.
	 */
	readonly held?: boolean;
	/** Like `held`, for another process: the PID of the process that will take the lab down. */
	readonly holder?: number;
	/** How long to wait for every server to listen. */
	readonly readyTimeoutMs?: number;
};

const offloads = ['tx', 'off', 'rx', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off'];

/** Makes a lab: namespace, veth pair, servers. Waits until every server listens; on failure removes what it made. */
export async function labUp(options: LabUpOptions = {}): Promise<LabInfo> {
	const names = labNames(options.name);
	const subnet = parseLabSubnet(options.subnet);
	checkLabPrivileges();
	const again = `synack lab down${names.name === 'lab' ? '' : ` --name ${names.name}`}`;
	if (namespaceExists(names.namespace) || hostLink(names.interface) !== undefined) {
		throw new LabError(`lab "${names.name}" is already up, or something else uses namespace ${names.namespace} or interface ${names.interface}; try: ${again}`);
	}

	const self = processIdentity(process.pid)!;
	let state: LabState = {version: 1, name: names.name, phase: 'starting', holder: self, processes: [], subnet: subnet.cidr, log: labLogPath(names.name)};
	if (!createLabState(state)) {
		throw new LabError(`lab "${names.name}" is already up (or left behind); try: ${again}`);
	}

	try {
		await makeLinks(names, subnet.peerAddress, subnet.prefixLength);
		const processes = startServers(names, state.log);
		state = {...state, processes: processes.map(({identity}) => identity)};
		writeLabState(state);
		await waitForServers(names, state, options.readyTimeoutMs ?? 15_000);
		const peer = await namespaceLink(names.namespace, names.peerInterface);
		const info: LabInfo = {
			name: names.name,
			namespace: names.namespace,
			interface: names.interface,
			mac: hostLink(names.interface)?.mac ?? '',
			peerInterface: names.peerInterface,
			peerAddress: subnet.peerAddress,
			peerMac: peer?.mac ?? '',
			subnet: subnet.cidr,
			prefixLength: subnet.prefixLength,
			suggestedAddress: subnet.suggestedAddress,
			services: labServices.map(({name, port}) => ({name, port, pid: processes.find(({serves}) => serves.includes(name))!.identity.pid})),
			createdAt: new Date().toISOString(),
		};
		const {holder: _, ...unheld} = state;
		const holder = options.held === true ? self : options.holder === undefined ? undefined : processIdentity(options.holder);
		writeLabState({...unheld, ...(holder === undefined ? {} : {holder}), phase: 'up', info});
		return info;
	} catch (error) {
		await removeLab(names, state);
		throw error;
	}
}

async function makeLinks(names: LabNames, peerAddress: string, prefixLength: number): Promise<void> {
	const {namespace, interface: ours, peerInterface: peer, alias} = names;
	await runTool('ip', ['netns', 'add', namespace]);
	// Made inside the namespace at once, the peer's name cannot collide with anything in ours.
	await runTool('ip', ['link', 'add', ours, 'type', 'veth', 'peer', 'name', peer, 'netns', namespace]);
	await runTool('ip', ['link', 'set', 'dev', ours, 'alias', alias]);
	await runTool('ip', ['-n', namespace, 'link', 'set', 'dev', peer, 'alias', alias]);
	await runTool('sysctl', [
		'-q', '-w',
		// No IPv6 means no router solicitations or MLD reports from this host onto the lab's wire.
		`net.ipv6.conf.${ours}.disable_ipv6=1`,
		// With no address here the host must never answer ARP on this link for its other addresses
		// (arp_ignore 8: reply for none), nor use them as ARP sources (arp_announce 2).
		`net.ipv4.conf.${ours}.arp_ignore=8`,
		`net.ipv4.conf.${ours}.arp_announce=2`,
		// Frames sent to our MAC for synack's address are not the host's: never route them onwards.
		`net.ipv4.conf.${ours}.forwarding=0`,
	]);
	await runTool('sysctl', ['-q', '-w', `net.ipv6.conf.${peer}.disable_ipv6=1`], {namespace});
	// Offloads off at both ends: segments are cut and checksummed as they would be on a wire.
	await runTool('ethtool', ['-K', ours, ...offloads]);
	await runTool('ethtool', ['-K', peer, ...offloads], {namespace});
	// The peer's TCP on any CPU, most often not the one synack runs on (see peer-steering.ts).
	const cpus = availableParallelism();
	if (cpus > 1) await steerPeer(namespace, peer, cpuMask(cpus));
	await runTool('ip', ['-n', namespace, 'link', 'set', 'dev', 'lo', 'up']);
	await runTool('ip', ['-n', namespace, 'address', 'add', `${peerAddress}/${prefixLength}`, 'dev', peer]);
	await runTool('ip', ['-n', namespace, 'link', 'set', 'dev', peer, 'up']);
	await runTool('ip', ['link', 'set', 'dev', ours, 'up']);
}

type StartedServer = {
	readonly identity: ProcessIdentity;
	readonly serves: readonly string[];
};

function startServers(names: LabNames, log: string): StartedServer[] {
	const logFd = openSync(log, 'a', 0o644);
	try {
		return [
			{serves: ['http', 'echo', 'discard', 'chargen'], identity: startDetached(names.namespace, [...nodeEntryCommand('servers'), 'synack-lab-server', names.name], logFd)},
			{serves: ['slow-reader'], identity: startDetached(names.namespace, slowReaderCommand(names.name, servicePort('slow-reader')), logFd)},
		];
	} finally {
		closeSync(logFd);
	}
}

/** Starts `command` inside the namespace in its own session, so it outlives the caller and its terminal. */
function startDetached(namespace: string, command: readonly string[], logFd: number): ProcessIdentity {
	// `ip netns exec` execs the command in place, so the PID is the server's own.
	const child = spawn('ip', ['netns', 'exec', namespace, ...command], {detached: true, stdio: ['ignore', logFd, logFd], env: labProcessEnvironment()});
	child.on('error', () => {
		// Reported by waitForServers, which sees the process missing.
	});
	child.unref();
	const identity = child.pid === undefined ? undefined : processIdentity(child.pid);
	if (identity === undefined) {
		throw new LabError(`could not start ${command[0] ?? 'a server'} in ${namespace}`);
	}

	return identity;
}

async function waitForServers(names: LabNames, state: LabState, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const listening = await listeningPorts(names.namespace);
		const missing = labServices.filter(({port}) => !listening.has(port));
		if (missing.length === 0) {
			return;
		}

		if (state.processes.some(identity => !isRunning(identity))) {
			throw new LabError(`a lab server stopped: ${lastLogLine(state.log)}`);
		}

		if (Date.now() > deadline) {
			throw new LabError(`lab servers not listening after ${timeoutMs / 1000} s: ${missing.map(({name, port}) => `${name} (${port})`).join(', ')}; ${lastLogLine(state.log)}`);
		}

		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

function lastLogLine(log: string): string {
	let text = '';
	try {
		text = readFileSync(log, 'utf8');
	} catch {}

	const line = text.split('\n').map(each => each.trim()).filter(each => each !== '').at(-1) ?? 'no output';
	const missing = /exec of "(.+)" failed: No such file/.exec(line)?.[1];
	return missing === undefined ? line : `${missing} not found in the namespace's PATH: install it`;
}
