/** The eleven connection states of RFC 9293 §3.3.2, named exactly as the RFC names them. */
export const tcpStates = [
	'CLOSED',
	'LISTEN',
	'SYN-SENT',
	'SYN-RECEIVED',
	'ESTABLISHED',
	'FIN-WAIT-1',
	'FIN-WAIT-2',
	'CLOSE-WAIT',
	'CLOSING',
	'LAST-ACK',
	'TIME-WAIT',
] as const;

export type TcpState = typeof tcpStates[number];

/** RFC 9293 §3.10.7.4 and RFC 5961: the states after the handshake, where both ISNs are known and acked. */
export function isSynchronized(state: TcpState): boolean {
	return state !== 'CLOSED' && state !== 'LISTEN' && state !== 'SYN-SENT' && state !== 'SYN-RECEIVED';
}

/** States in which received data is delivered (RFC 9293 §3.10.7.4, seventh step). */
export function receivesData(state: TcpState): boolean {
	return state === 'ESTABLISHED' || state === 'FIN-WAIT-1' || state === 'FIN-WAIT-2';
}

/** States in which the user may still send data (RFC 9293 §3.10.2 SEND). */
export function sendsData(state: TcpState): boolean {
	return state === 'ESTABLISHED' || state === 'CLOSE-WAIT';
}

/** One recorded state change. `why` cites the RFC rule that made it. */
export type Transition = {
	readonly at: number;
	readonly from: TcpState;
	readonly to: TcpState;
	readonly why: string;
};
