import {Connection} from '../engine/connection.js';
import type {TcpState} from '../engine/states.js';
import type {Verdict} from '../engine/verdict.js';
import type {Timestamp} from '../wire/timestamp.js';
import {type DecodedFrame, type TcpRecord, tcpFlags} from '../wire/records.js';
import type {Endpoints} from './conversations.js';

export type ReconstructedRow = {
	/** The side that sent the segment. */
	readonly from: 'client' | 'server';
	readonly clientState: TcpState;
	readonly serverState: TcpState;
	/** What the receiving side's engine made of the segment. */
	readonly verdicts: readonly Verdict[];
};

/**
 * A captured conversation replayed through two engines, one per side: each segment is "sent" by its
 * sender's engine (all fields as captured) and received by the other's. The states after each
 * segment are what a conformant stack on each side would be in. Capture times become `now`.
 */
export function reconstruct(rows: ReadonlyArray<{timestamp: Timestamp; frame: DecodedFrame}>, client: Endpoints, server: Endpoints): ReconstructedRow[] {
	const first = rows[0]?.timestamp;
	const ms = (timestamp: Timestamp) => (first === undefined ? 0 : (timestamp.seconds - first.seconds) * 1000 + (timestamp.nanoseconds - first.nanoseconds) / 1e6);
	// Every option on: the captured SYNs say what was really offered, and the engines read them.
	const clientEngine = new Connection({localPort: client.port, remotePort: server.port});
	const serverEngine = new Connection({localPort: server.port});
	serverEngine.listen(0);
	const out: ReconstructedRow[] = [];
	// A side that sends a RST has no connection any more (RFC 9293 §3.10.7.1: a closed port's answer,
	// or an abort), whatever its engine's checks of the RST's numbers say.
	const reset = {client: false, server: false};
	for (const {timestamp, frame} of rows) {
		const tcp = frame.tcp;
		if (!tcp || !frame.ipv4) continue;
		const now = ms(timestamp);
		const fromClient = frame.ipv4.source === client.ip && tcp.sourcePort === client.port;
		const [sender, receiver] = fromClient ? [clientEngine, serverEngine] : [serverEngine, clientEngine];
		const segment = wholeSegment(frame, tcp);
		observeSent(sender, now, segment);
		if (tcp.flags & tcpFlags.RST) reset[fromClient ? 'client' : 'server'] = true;
		const result = receiver.receive(now, segment, frame.tcpChecksumOk === undefined ? {} : {checksumOk: frame.tcpChecksumOk});
		// Applications on both sides read at once, as the captured ones evidently did.
		receiver.read();
		out.push({
			from: fromClient ? 'client' : 'server',
			clientState: reset.client ? 'CLOSED' : clientEngine.state,
			serverState: reset.server ? 'CLOSED' : serverEngine.state,
			verdicts: result.verdicts,
		});
	}

	return out;
}

/**
 * A capture cut by its snap length holds only the start of a payload; the numbers depend on its real
 * length (from the IP header), so the missing bytes are stood in for by zeros.
 */
function wholeSegment(frame: DecodedFrame, tcp: TcpRecord): TcpRecord {
	const length = frame.ipv4!.totalLength - frame.ipv4!.headerLength - tcp.headerLength;
	if (length <= tcp.payload.length) return tcp;
	const payload = new Uint8Array(length);
	payload.set(tcp.payload);
	return {...tcp, payload};
}

/** The sender's engine takes the segment as its own, every field as captured. */
function observeSent(engine: Connection, now: number, tcp: TcpRecord): void {
	engine.sendSegment(now, {
		seq: tcp.seq,
		ack: tcp.ack,
		flags: tcp.flags,
		window: tcp.window,
		options: tcp.options,
		payload: tcp.payload,
		urgentPointer: tcp.urgentPointer,
	});
}
