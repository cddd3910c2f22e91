// How a live connection is named on screen: the list's rows and the status line (issue 22).
import type {ConnectionView} from '../session/session.js';
import {formatEndpoint, formatIpv4} from '../wire/addresses.js';

/** Connections the user can pick: all but a listener synack put on a port that has taken nothing yet. */
export function listedConnections(connections: readonly ConnectionView[]): readonly ConnectionView[] {
	return connections.filter(connection => !(connection.spawned && connection.tcb.state === 'LISTEN'));
}

/** Ended: the list greys it, `D` may drop it. */
export function isEnded(connection: ConnectionView): boolean {
	return connection.tcb.state === 'CLOSED' || connection.tcb.state === 'TIME-WAIT';
}

/** `#2 198.18.0.10:40123 → :80 ESTABLISHED`: the peer's address is left out when it is the usual one. */
export function connectionName(connection: ConnectionView, arrow: string, peerIp?: number): string {
	const local = formatEndpoint(connection.local);
	const remote = connection.remote === undefined ? 'any' : connection.remote.ip === peerIp ? `:${connection.remote.port}` : formatEndpoint(connection.remote);
	return `#${connection.id} ${local} ${arrow} ${remote} ${connection.tcb.state}`;
}

/** A row of the `c` list: number, endpoints, state, payload octets out/in, the newest segment's verdict. */
export function connectionRow(connection: ConnectionView, arrow: string): string {
	const id = `#${connection.id}`.padStart(4);
	const local = `:${connection.local.port}`.padEnd(6);
	const remote = (connection.remote === undefined ? '(any peer)' : formatEndpoint(connection.remote)).padEnd(21);
	const bytes = `${connection.bytesOut}/${connection.bytesIn}`.padEnd(11);
	const verdict = connection.lastVerdict?.text ?? '';
	return `${id} ${local} ${arrow} ${remote} ${connection.tcb.state.padEnd(11)} ${bytes} ${verdict}`;
}

/** The list's column heads, over connectionRow's columns. */
export const connectionHeads = '   # ours     peer                  state       out/in B    last segment';

/** The peer most connections talk to: named once, left out of the status line's endpoints. */
export function usualPeer(connections: readonly ConnectionView[]): number | undefined {
	return connections.find(connection => connection.remote !== undefined)?.remote?.ip;
}

/** `N`'s default: the peer of the newest connection we opened ourselves (not one a listener took). */
export function lastTarget(connections: readonly ConnectionView[]): string {
	for (let index = connections.length - 1; index >= 0; index--) {
		const {remote, passive} = connections[index]!;
		if (remote && !passive) return `${formatIpv4(remote.ip)}:${remote.port}`;
	}

	return '';
}
