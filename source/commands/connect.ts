import {parseEndpoint} from '../wire/addresses.js';
import {UsageError} from './errors.js';
import type {CommandContext} from './subcommands.js';
import {addressFlag, liveOptions, openLiveSession, portFlag} from './tui-live.js';
import {exitCode, runTui} from './tui-run.js';
import {requireTerminal} from './tui-terminal.js';
import {startConnect} from './tui-start.js';

/** `synack connect HOST:PORT [--iface IF] [--ip ADDR] [--mac MAC] [--sport N] [--pcap FILE] [--record FILE] [--no-probe]`. */
export async function connect({input, flags}: CommandContext): Promise<number> {
	if (input.length !== 1) throw new UsageError(`connect takes one HOST:PORT${input.length > 1 ? `, not ${input.join(' ')}` : ''}`);
	const remote = addressFlag('HOST:PORT', input[0]!, parseEndpoint);
	const localPort = portFlag('sport', flags.sport);
	requireTerminal('connect', 'for scripts: synack run SCRIPT');
	const session = await openLiveSession(liveOptions(flags, 'the address synack claims and connects from; pick one no other host on the link uses'));
	try {
		return exitCode(await runTui({session, start: async notify => startConnect(session, remote, localPort, notify), record: flags.record}));
	} finally {
		session.close();
	}
}
