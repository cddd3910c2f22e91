import type {LabState} from './lab-info.js';
import {hostLink, listeningPorts, namespaceExists, namespaceLink} from './lab-links.js';
import {labNames} from './lab-names.js';
import {labServices, type LabServiceName, type ServiceCounters} from './lab-services.js';
import {labProcessEnvironment, nodeEntryCommand} from './node-entry.js';
import {checkLabPrivileges} from './privileges.js';
import type {ProbeResult} from './probe-result.js';
import {isRunning} from './processes.js';
import {runTool} from './run-tool.js';
import {readLabState} from './state-file.js';

export type ServiceHealth = {
	readonly name: LabServiceName;
	readonly port: number;
	readonly pid?: number;
	/** The server process is alive, a socket listens on the port, and a client inside the namespace connected. */
	readonly healthy: boolean;
	readonly problem?: string;
};

export type LabStatus = {
	readonly name: string;
	/** Anything of the lab is there: state file, namespace or interface. */
	readonly found: boolean;
	/** Namespace, interface and state file are all there. */
	readonly up: boolean;
	/** Up, with every service healthy. */
	readonly healthy: boolean;
	readonly namespace: string;
	readonly interface: string;
	readonly mac?: string;
	readonly interfaceUp?: boolean;
	readonly peerInterface: string;
	readonly peerAddress?: string;
	readonly peerMac?: string;
	readonly subnet?: string;
	readonly suggestedAddress?: string;
	/** The process that will take the lab down itself, if any. */
	readonly holder?: number;
	readonly services: readonly ServiceHealth[];
	/** What the discard server has counted since the lab came up. */
	readonly discard?: ServiceCounters;
	/** One line each: what is missing or broken. */
	readonly problems: readonly string[];
};

/** Looks at a lab from outside and from inside its namespace. Never throws for a missing or broken lab. */
export async function labStatus(name?: string): Promise<LabStatus> {
	const names = labNames(name);
	checkLabPrivileges();
	const state = readLabState(names.name);
	const hasNamespace = namespaceExists(names.namespace);
	const link = hostLink(names.interface);
	const peer = hasNamespace ? await namespaceLink(names.namespace, names.peerInterface) : undefined;
	const problems: string[] = [];
	if (state === undefined) {
		problems.push('no state file');
	} else if (state.phase !== 'up') {
		problems.push('still starting, or its start failed');
	}

	if (!hasNamespace) {
		problems.push(`no namespace ${names.namespace}`);
	}

	if (link === undefined) {
		problems.push(`no interface ${names.interface}`);
	} else if (!link.up) {
		problems.push(`interface ${names.interface} is down`);
	}

	const peerAddress = peer?.addresses[0]?.split('/')[0] ?? state?.info?.peerAddress;
	const services = hasNamespace ? await serviceHealth(names.namespace, state, peerAddress) : {services: [], discard: undefined};
	for (const service of services.services.filter(({healthy}) => !healthy)) {
		problems.push(`${service.name} (${service.port}): ${service.problem ?? 'unhealthy'}`);
	}

	const up = state !== undefined && hasNamespace && link !== undefined;
	return {
		name: names.name,
		found: state !== undefined || hasNamespace || link !== undefined,
		up,
		healthy: up && problems.length === 0,
		namespace: names.namespace,
		interface: names.interface,
		mac: link?.mac,
		interfaceUp: link?.up,
		peerInterface: names.peerInterface,
		peerAddress,
		peerMac: peer?.mac,
		subnet: state?.info?.subnet ?? (state?.subnet || undefined),
		suggestedAddress: state?.info?.suggestedAddress,
		holder: state?.holder !== undefined && isRunning(state.holder) ? state.holder.pid : undefined,
		services: services.services,
		discard: services.discard,
		problems,
	};
}

async function serviceHealth(namespace: string, state: LabState | undefined, peerAddress: string | undefined): Promise<{services: ServiceHealth[]; discard?: ServiceCounters}> {
	const listening = await listeningPorts(namespace);
	let probe: ProbeResult | undefined;
	let probeProblem = 'the namespace has no peer address';
	if (peerAddress !== undefined) {
		try {
			const [node = process.execPath, ...args] = nodeEntryCommand('probe');
			probe = JSON.parse(await runTool(node, [...args, peerAddress], {namespace, timeoutMs: 20_000, env: labProcessEnvironment()})) as ProbeResult;
		} catch (error) {
			probeProblem = `probe failed: ${(error as Error).message}`;
		}
	}

	const services = labServices.map(({name, port}): ServiceHealth => {
		const pid = state?.info?.services.find(service => service.name === name)?.pid;
		const identity = state?.processes.find(process => process.pid === pid);
		const problem = identity !== undefined && !isRunning(identity) ? `server process ${identity.pid} is gone`
			: !listening.has(port) ? 'nothing listens'
				: probe === undefined ? probeProblem
					: probe.services[name].ok ? undefined
						: `connect failed: ${probe.services[name].problem ?? 'unknown'}`;
		return problem === undefined ? {name, port, pid, healthy: true} : {name, port, pid, healthy: false, problem};
	});
	return {services, discard: probe?.discard};
}
