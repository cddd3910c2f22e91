import {labTimings} from '../iface/arp-claim.js';
import {LabError} from '../lab/lab-error.js';
import {labDown} from '../lab/lab-down.js';
import {labUp} from '../lab/lab-up.js';
import {parseIpv4} from '../wire/addresses.js';
import {EnvironmentError} from './errors.js';
import type {Flags} from './flags.js';
import {logFlags, openLiveSession, probeFlag, readerRateFlag} from './tui-live.js';
import {exitCode, runTui} from './tui-run.js';
import {startConnect} from './tui-start.js';

const httpPort = 80;

/**
 * `synack lab [--name N] [--subnet CIDR] [--pcap FILE] [--record FILE] [--log-size N] [--log-memory MIB] [--reader-rate N]`: a lab held by this process, the TUI connected
 * (not yet SYN'd) to its HTTP server, the lab removed on the way out, whatever the way out is.
 */
export async function labInteractive(flags: Flags): Promise<number> {
	const log = logFlags(flags);
	const readerRate = readerRateFlag(flags.readerRate);
	let info;
	try {
		info = await labUp({name: flags.name, subnet: flags.subnet, held: true, holder: process.pid});
	} catch (error) {
		throw error instanceof LabError ? new EnvironmentError(error.message) : error;
	}

	try {
		const session = await openLiveSession({iface: info.interface, ip: info.suggestedAddress, pcap: flags.pcap, probe: probeFlag(), timings: labTimings, log, readerRate, ipHint: ''});
		try {
			const remote = {ip: parseIpv4(info.peerAddress), port: httpPort};
			return exitCode(await runTui({session, start: async notify => startConnect(session, remote, flags.sport, notify), record: flags.record, peerVariable: 'peer'}));
		} finally {
			// Before the lab goes: cap aborts the process if its interface vanishes under an open capture.
			session.close();
		}
	} finally {
		await labDown(info.name);
	}
}
