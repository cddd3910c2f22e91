import {readFileSync} from 'node:fs';
import {labTimings} from '../iface/arp-claim.js';
import {labDown, labUp} from '../lab/index.js';
import {openPcapLink} from '../link/pcap-link.js';
import {recordingLink} from '../link/recording-link.js';
import type {Link} from '../link/link.js';
import {parseScenario} from '../session/scenario-parse.js';
import {runScenario, type ScenarioReport, type StepResult} from '../session/scenario-run.js';
import {Session} from '../session/session.js';
import {formatIpv4, parseIpv4} from '../wire/addresses.js';
import {summarizeFrame} from '../wire/summary.js';
import {EnvironmentError, UsageError} from './errors.js';
import type {CommandContext} from './subcommands.js';
import {liveOptions, logFlags, openLiveSession, packetLog} from './tui-live.js';

/**
 * `synack run SCRIPT`: a scenario, headless. Each step prints as it passes or fails, with the
 * segments it sent or matched; the last line is `N passed, M failed`. Exit 0 when all passed, 1 when
 * a step failed, 2 when the script or the environment is wrong (nothing was sent then).
 */
export async function run(context: CommandContext): Promise<number> {
	const [file, ...extra] = context.input;
	if (file === undefined) throw new UsageError('run needs a script: synack run SCRIPT [--lab | --iface IF --ip ADDR]');
	if (extra.length > 0) throw new UsageError(`run takes one script, not ${context.input.length}`);
	let source: string;
	try {
		source = readFileSync(file, 'utf8');
	} catch (error) {
		throw new EnvironmentError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
	}

	const parsed = parseScenario(source);
	if (!parsed.ok) throw new UsageError(`${file}:${parsed.line}:${parsed.column}: ${parsed.message}`);
	const variables = parseVariables(context.flags.var ?? []);
	const json = context.flags.json === true;
	logFlags(context.flags);

	const target = context.flags.lab === true ? await labTarget(context) : {session: await openLiveSession(liveOptions(context.flags, 'the address synack claims for the script')), close: async () => undefined};
	const {session} = target;
	try {
		try {
			await session.host.claimed();
		} catch (error) {
			throw new EnvironmentError((error as Error).message);
		}

		const report = await untilInterrupted(runScenario(parsed.steps, {
			session,
			variables: {...target.variables, ip: formatIpv4(session.host.ip), ...variables},
			onStep: json ? undefined : result => context.stdout.write(formatStep(result, session)),
		}));
		if (json) {
			context.stdout.write(`${JSON.stringify(jsonReport(file, report, session), null, 2)}\n`);
		} else {
			context.stdout.write(`${report.passed} passed, ${report.failed} failed\n`);
		}

		return report.failed === 0 ? 0 : 1;
	} finally {
		session.close();
		await target.close();
	}
}

/**
 * The run, unless a signal or an uncaught exception comes first: then it rejects, so that the caller's
 * `finally` still closes the capture and takes the lab down.
 */
async function untilInterrupted<T>(work: Promise<T>): Promise<T> {
	let stop: (error: Error) => void = () => undefined;
	const stopped = new Promise<never>((_resolve, reject) => {
		stop = reject;
	});
	const onSignal = (signal: NodeJS.Signals) => stop(new EnvironmentError(`interrupted by ${signal}`));
	const onError = (error: Error) => stop(error);
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) process.on(signal, onSignal);
	process.on('uncaughtException', onError);
	try {
		return await Promise.race([work, stopped]);
	} finally {
		for (const signal of signals) process.off(signal, onSignal);
		process.off('uncaughtException', onError);
	}
}

type Target = {session: Session; variables?: Record<string, string>; close: () => Promise<unknown>};

/** `--lab`: a fresh lab for this run, `$peer` set to its kernel, removed afterwards whatever happens. */
async function labTarget(context: CommandContext): Promise<Target> {
	const lab = await labUp({...(context.flags.name === undefined ? {name: `run${process.pid}`} : {name: context.flags.name}), ...(context.flags.subnet === undefined ? {} : {subnet: context.flags.subnet}), held: true, holder: process.pid});
	try {
		const ip = parseIpv4(lab.suggestedAddress);
		let link: Link = await openPcapLink({iface: lab.interface, ip});
		if (context.flags.pcap !== undefined) link = recordingLink(link, context.flags.pcap);
		const log = logFlags(context.flags);
		const session = new Session({link, ip, network: parseIpv4(lab.subnet.split('/')[0]!), prefixLength: lab.prefixLength, timings: labTimings, ...(log === undefined ? {} : {log: packetLog(log)})});
		return {session, variables: {peer: lab.peerAddress}, close: async () => labDown(lab.name)};
	} catch (error) {
		await labDown(lab.name);
		throw error;
	}
}

function parseVariables(pairs: readonly string[]): Record<string, string> {
	const variables: Record<string, string> = {};
	for (const pair of pairs) {
		const match = /^([a-z_]\w*)=(.*)$/i.exec(pair);
		if (!match) throw new UsageError(`--var takes NAME=VALUE, not "${pair}"`);
		variables[match[1]!] = match[2]!;
	}

	return variables;
}

function segmentLines(result: StepResult, session: Session): string[] {
	return result.entries.map(entry => {
		const view = entry.connection === undefined ? undefined : session.getSnapshot().connections.find(connection => connection.id === entry.connection);
		const relativeTo = view?.remote === undefined ? undefined : {local: view.local, remote: view.remote, iss: view.tcb.iss, ...(view.tcb.irs === undefined ? {} : {irs: view.tcb.irs})};
		return `${entry.direction === 'out' ? '>' : '<'} ${summarizeFrame(entry.frame, relativeTo === undefined ? {} : {relativeTo})}`;
	});
}

function formatStep(result: StepResult, session: Session): string {
	const head = `${result.ok ? 'ok  ' : 'FAIL'} ${String(result.step.line).padStart(3)}  ${result.step.text}${result.message ? `: ${result.message}` : ''}`;
	return [head, ...segmentLines(result, session).map(line => `           ${line}`)].join('\n') + '\n';
}

function jsonReport(file: string, report: ScenarioReport, session: Session) {
	return {
		file,
		passed: report.passed,
		failed: report.failed,
		steps: report.results.map(result => ({
			line: result.step.line,
			step: result.step.text,
			ok: result.ok,
			...(result.message === undefined ? {} : {message: result.message}),
			segments: segmentLines(result, session),
		})),
	};
}
