import {defaultBacklog} from '../session/session.js';
import {UsageError} from './errors.js';
import type {CommandContext} from './subcommands.js';
import {liveOptions, openLiveSession} from './tui-live.js';
import {exitCode, runTui} from './tui-run.js';
import {requireTerminal} from './tui-terminal.js';
import {startListen} from './tui-start.js';

/** `synack listen PORT [--iface IF] [--ip ADDR] [--mac MAC] [--backlog N] [--pcap FILE] [--record FILE] [--no-probe]`. */
export async function listen({input, flags}: CommandContext): Promise<number> {
	if (input.length !== 1 || !/^\d{1,5}$/.test(input[0]!) || Number(input[0]) < 1 || Number(input[0]) > 65_535) {
		throw new UsageError(`listen takes one port from 1 to 65535${input.length > 0 ? `, not ${input.join(' ')}` : ''}`);
	}

	const port = Number(input[0]);
	const backlog = flags.backlog ?? defaultBacklog;
	if (!Number.isInteger(backlog) || backlog < 1 || backlog > 65_535) throw new UsageError(`--backlog takes a whole number from 1 to 65535${Number.isNaN(backlog) ? "" : `, not ${backlog}`}`);
	requireTerminal('listen', 'for scripts: synack run SCRIPT');
	const session = await openLiveSession(liveOptions(flags, 'the address synack claims and listens on; pick one no other host on the link uses'));
	try {
		return exitCode(await runTui({session, start: async notify => startListen(session, port, notify, backlog), record: flags.record}));
	} finally {
		session.close();
	}
}
