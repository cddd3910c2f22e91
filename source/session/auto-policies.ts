/**
 * What the engine may do on its own. Manual is the default (DESIGN.md): synack sends nothing the user
 * did not ask for, except ARP. `A` in the TUI turns on everything but `rstUnknown`.
 */
export type AutoPolicies = {
	/** Complete handshakes: ACK a SYN-ACK; answer a SYN in LISTEN with a SYN-ACK. */
	readonly handshake: boolean;
	/** ACK incoming data: off, at once, or delayed (RFC 9293 §3.8.6.3 / RFC 1122 4.2.3.2). */
	readonly ack: 'off' | 'immediate' | 'delayed';
	/** RFC 6298 retransmission timeout with Karn's rule and backoff; fast retransmit (RFC 5681). */
	readonly retransmit: boolean;
	/** Answer keepalives and zero-window probes; probe a peer's zero window (RFC 9293 §3.8.6.1). */
	readonly probes: boolean;
	/** Send window updates when reading frees receive window. */
	readonly windowUpdate: boolean;
	/** ACK the peer's FIN, and close our side once the application is done. */
	readonly fin: boolean;
	/** Answer segments for connections that do not exist with RST, as a real host does (RFC 9293 §3.10.7.1). */
	readonly rstUnknown: boolean;
};

export const manualPolicies: AutoPolicies = {
	handshake: false,
	ack: 'off',
	retransmit: false,
	probes: false,
	windowUpdate: false,
	fin: false,
	rstUnknown: false,
};

export const autoPolicies: AutoPolicies = {
	handshake: true,
	ack: 'delayed',
	retransmit: true,
	probes: true,
	windowUpdate: true,
	fin: true,
	rstUnknown: false,
};

/** Auto mode is "on" when any policy is. */
export function isAuto(policies: AutoPolicies): boolean {
	return Object.entries(policies).some(([name, value]) => name !== 'rstUnknown' && value !== false && value !== 'off');
}
