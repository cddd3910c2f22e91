import {LabError} from '../lab/lab-error.js';
import type {LabInfo} from '../lab/lab-info.js';
import {labDown, labDownAll, type LabDownAllResult, type LabDownResult} from '../lab/lab-down.js';
import {defaultLabName, labNames} from '../lab/lab-names.js';
import {parseLabSubnet} from '../lab/lab-subnet.js';
import {labServices} from '../lab/lab-services.js';
import {labStatus, type LabStatus} from '../lab/lab-status.js';
import {labUp} from '../lab/lab-up.js';
import {findLabs} from '../lab/find-labs.js';
import {EnvironmentError, UsageError} from './errors.js';
import {requireTerminal} from './tui-terminal.js';

export type LabFlags = {
	readonly name?: string;
	readonly subnet?: string;
	readonly json?: boolean;
	readonly all?: boolean;
	/** The interactive lab's: `--pcap FILE`, `--sport N`, `--no-probe`. */
	readonly pcap?: string;
	readonly sport?: number;
	readonly probe?: boolean;
	readonly record?: string;
	readonly readerRate?: number;
};

export type LabOutput = {
	readonly stdout: NodeJS.WritableStream;
	readonly stderr: NodeJS.WritableStream;
};

const actions = ['up', 'down', 'status'] as const;
type Action = (typeof actions)[number];

/**
 * `synack lab up|down|status [--name NAME] [--subnet CIDR] [--json] [--all]`. Resolves to the exit
 * code: 0, or 1 when `status` finds no lab or an unhealthy one. Usage mistakes throw UsageError and
 * lab failures EnvironmentError, one line each.
 */
export async function runLab(args: readonly string[], flags: LabFlags, output: LabOutput = process): Promise<number> {
	const action = checkArguments(args, flags);
	if (action === 'interactive') {
		if (flags.json === true) {
			throw new UsageError('the interactive lab does not take --json; that is for lab up, down and status');
		}

		requireTerminal('lab', 'for scripts: synack lab up, synack lab down or synack lab status');
		// Imported on demand: the lab's actions never load the TUI.
		return (await import('./lab-interactive.js')).labInteractive(flags);
	}

	try {
		return await run(action, flags, output);
	} catch (error) {
		if (error instanceof LabError) {
			throw new EnvironmentError(error.message);
		}

		throw error;
	}
}

function checkArguments(args: readonly string[], flags: LabFlags): Action | 'interactive' {
	const [action, ...extra] = args;
	if (action !== undefined && !(actions as readonly string[]).includes(action)) {
		throw new UsageError(`unknown lab action '${action}'; use up, down or status`);
	}

	if (action !== undefined && extra.length > 0) {
		throw new UsageError(`lab ${action} takes no arguments, not ${extra.join(' ')}`);
	}

	if (flags.subnet !== undefined && action !== 'up' && action !== undefined) {
		throw new UsageError(`lab ${action} does not take --subnet; the lab remembers its own`);
	}

	if (flags.all === true && (action === 'up' || action === undefined)) {
		throw new UsageError(`${action === undefined ? 'the interactive lab' : 'lab up'} makes one lab; --all is for down and status`);
	}

	const interactiveFlag = flags.pcap !== undefined ? '--pcap' : flags.record !== undefined ? '--record' : flags.sport !== undefined ? '--sport' : flags.readerRate !== undefined ? '--reader-rate' : flags.probe === false && process.argv.includes('--no-probe') ? '--no-probe' : undefined;
	if (action !== undefined && interactiveFlag !== undefined) {
		throw new UsageError(`lab ${action} does not take ${interactiveFlag}; that is for the interactive lab (synack lab)`);
	}

	if (flags.all === true && flags.name !== undefined) {
		throw new UsageError(`lab ${action} takes --all or --name, not both`);
	}

	try {
		labNames(flags.name);
		if (flags.subnet !== undefined) {
			parseLabSubnet(flags.subnet);
		}
	} catch (error) {
		throw error instanceof LabError ? new UsageError(error.message) : error;
	}

	return action === undefined ? 'interactive' : action as Action;
}

async function run(action: Action, flags: LabFlags, {stdout, stderr}: LabOutput): Promise<number> {
	const json = flags.json === true;
	const write = (text: string) => stdout.write(text);
	switch (action) {
		case 'up': {
			const info = await labUp({name: flags.name, subnet: flags.subnet, holder: holderFromEnvironment()});
			write(json ? `${JSON.stringify(info, undefined, '\t')}\n` : describeUp(info));
			return 0;
		}

		case 'down': {
			if (flags.all === true) {
				const result = await labDownAll();
				write(json ? `${JSON.stringify(result, undefined, '\t')}\n` : describeDownAll(result));
				return result.failed.length === 0 ? 0 : 1;
			}

			const result = await labDown(flags.name);
			for (const thing of result.leftAlone) {
				stderr.write(`synack: left ${thing} alone: it is not marked as a synack lab\n`);
			}

			write(json ? `${JSON.stringify(result, undefined, '\t')}\n` : describeDown(result));
			return 0;
		}

		case 'status': {
			const statuses = flags.all === true ? await Promise.all((await findLabs()).map(async name => labStatus(name))) : [await labStatus(flags.name)];
			if (json) {
				write(`${JSON.stringify(flags.all === true ? statuses : statuses[0], undefined, '\t')}\n`);
			} else if (statuses.length === 0) {
				write('no labs\n');
			} else {
				write(statuses.map(status => describeStatus(status)).join('\n'));
			}

			return statuses.every(status => status.healthy) ? 0 : 1;
		}
	}
}

/**
 * SYNACK_LAB_HOLDER=PID: that process will take the lab down itself, so `down --all` leaves it alone
 * while it lives. For test runs that start `synack lab up` beside others that run `down --all`.
 */
function holderFromEnvironment(): number | undefined {
	const text = process.env['SYNACK_LAB_HOLDER'];
	return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

function nameFlag(name: string): string {
	return name === defaultLabName ? '' : ` --name ${name}`;
}

function table(rows: ReadonlyArray<readonly [string, string]>): string {
	const width = Math.max(...rows.map(([label]) => label.length));
	return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}\n`).join('');
}

export function describeUp(info: LabInfo): string {
	return `lab "${info.name}" is up\n${table([
		['namespace', info.namespace],
		['interface', `${info.interface} ${info.mac} (ours: no IP address; synack claims one)`],
		['peer', `${info.peerAddress}/${info.prefixLength} ${info.peerMac} on ${info.peerInterface} in ${info.namespace}`],
		['synack IP', `${info.suggestedAddress} (suggested)`],
		['services', labServices.map(({name, port}) => `${name} ${port}`).join(', ')],
	])}try:  synack connect ${info.peerAddress}:80 --iface ${info.interface} --ip ${info.suggestedAddress}\nthen: synack lab down${nameFlag(info.name)}\n`;
}

export function describeDown(result: LabDownResult): string {
	return result.removed ? `lab "${result.name}" removed\n` : `no lab "${result.name}" to remove\n`;
}

export function describeDownAll(result: LabDownAllResult): string {
	const lines = [result.removed.length === 0 ? 'no labs to remove' : `removed ${result.removed.length === 1 ? 'lab' : 'labs'} ${result.removed.join(', ')}`];
	for (const {name, holder} of result.kept) {
		lines.push(`kept lab ${name}: process ${holder} holds it and will remove it (synack lab down --name ${name} removes it now)`);
	}

	for (const {name, problem} of result.failed) {
		lines.push(`could not remove lab ${name}: ${problem}`);
	}

	return `${lines.join('\n')}\n`;
}

export function describeStatus(status: LabStatus): string {
	if (!status.found) {
		return `no lab "${status.name}" (start one: synack lab up${nameFlag(status.name)})\n`;
	}

	const condition = status.healthy ? 'up, healthy' : status.up ? 'up, NOT healthy' : 'broken (synack lab down, then up again)';
	const rows: Array<readonly [string, string]> = [
		['interface', `${status.interface} ${status.mac ?? '(missing)'}${status.interfaceUp === false ? ' (down)' : ''}`],
		['peer', `${status.peerAddress ?? '(no address)'} ${status.peerMac ?? '(missing)'} on ${status.peerInterface} in ${status.namespace}`],
	];
	if (status.suggestedAddress !== undefined) {
		rows.push(['synack IP', `${status.suggestedAddress} (suggested)`]);
	}

	if (status.holder !== undefined) {
		rows.push(['held by', `process ${status.holder}`]);
	}

	for (const service of status.services) {
		rows.push([`${service.name} ${service.port}`, service.healthy ? `ok${service.pid === undefined ? '' : ` (pid ${service.pid})`}` : `FAIL: ${service.problem ?? 'unhealthy'}`]);
	}

	if (status.discard !== undefined) {
		rows.push(['discarded', `${status.discard.bytesIn} bytes in ${status.discard.connections} ${status.discard.connections === 1 ? 'connection' : 'connections'}`]);
	}

	const problems = status.problems.filter(problem => !status.services.some(service => problem.startsWith(`${service.name} (`)));
	for (const problem of problems) {
		rows.push(['problem', problem]);
	}

	return `lab "${status.name}": ${condition}\n${table(rows)}`;
}
