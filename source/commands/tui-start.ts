import {ClaimConflictError, ResolveError} from '../session/host.js';
import type {Session} from '../session/session.js';
import {formatEndpoint, formatIpv4, type Endpoint} from '../wire/addresses.js';
import {EnvironmentError} from './errors.js';
import type {Notify} from './tui-run.js';

/** Startup failures the user can act on become one-line EnvironmentErrors (exit 2). */
async function explained<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (error) {
		if (error instanceof ClaimConflictError || error instanceof ResolveError) throw new EnvironmentError(error.message);
		throw error;
	}
}

export async function claim(session: Session, notify: Notify): Promise<void> {
	notify({text: `claiming ${formatIpv4(session.host.ip)} on ${session.link.name} (RFC 5227 probes)...`, severity: 'info'});
	await explained(session.host.claimed());
}

/** Claims our address, then makes the connection (ARP for the peer; no TCP is sent). */
export async function startConnect(session: Session, remote: Endpoint, localPort: number | undefined, notify: Notify): Promise<void> {
	await claim(session, notify);
	notify({text: `resolving ${formatIpv4(remote.ip)}...`, severity: 'info'});
	await explained(session.connect(remote, localPort === undefined ? {} : {localPort}));
	notify({text: `ready for ${formatEndpoint(remote)}: s sends the SYN, ? for help`, severity: 'info'});
}

export async function startListen(session: Session, port: number, notify: Notify, backlog?: number): Promise<void> {
	await claim(session, notify);
	session.listen(port, {}, backlog);
	notify({text: `listening on ${formatIpv4(session.host.ip)}:${port}: a SYN moves it to SYN-RECEIVED, then s sends the SYN-ACK`, severity: 'info'});
}
