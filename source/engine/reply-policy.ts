// Which of the answers a connection proposes auto mode sends, policy by policy.
import type {AckReason, Reply} from './connection.js';

/**
 * What the engine may do on its own (the session's `AutoPolicies`). Manual is the default
 * in synack: it sends nothing the user did not ask for, except ARP.
 */
export type AutopilotPolicies = {
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

/** Whether the policies send `reply` now; `ack` is why the segment it answers called for an ACK. */
export function replyAllowed(policies: AutopilotPolicies, reply: Reply, ack: AckReason | undefined): boolean {
	const p = policies;
	switch (reply.kind) {
		case 'syn-ack': {
			return p.handshake;
		}

		case 'rst': {
			return p.rstUnknown;
		}

		case 'challenge-ack': {
			return p.ack !== 'off';
		}

		case 'ack': {
			switch (ack) {
				case 'handshake': {
					return p.handshake;
				}

				case 'probe': {
					return p.probes;
				}

				case 'fin': {
					return p.fin;
				}

				case 'data': {
					return p.ack === 'immediate';
				}

				default: {
					return p.ack !== 'off';
				}
			}
		}
	}
}

/** An ACK for in-order data the policies hold back rather than send now (policy `delayed`). */
export function ackDelayed(policies: AutopilotPolicies, reply: Reply, ack: AckReason | undefined): boolean {
	return reply.kind === 'ack' && ack === 'data' && policies.ack === 'delayed';
}
