// A scripted peer on the far end of a memory link, for TUI tests: answers ARP for its address, a SYN
// with a SYN-ACK, data with an ACK and a reply, a FIN with FIN-ACK. Every frame it gets is kept.
import {makeSegment} from '../../source/engine/segment.js';
import type {Link} from '../../source/link/link.js';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {emitArp} from '../../source/wire/arp.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {encodeFrame} from '../../source/wire/encode.js';
import {emitEthernet} from '../../source/wire/ethernet.js';
import {parseIpv4} from '../../source/wire/addresses.js';
import {arpOperations, type DecodedFrame, etherTypes, tcpFlags, type TcpRecord} from '../../source/wire/records.js';
import {labTimings} from '../../source/iface/arp-claim.js';
import {Session} from '../../source/session/session.js';

export const ourIp = parseIpv4('198.18.0.10');
export const peerIp = parseIpv4('198.18.0.2');
export const ourMac = 0x02_00_00_00_00_10;
export const peerMac = 0x02_00_00_00_00_02;
export const peerIss = 5000;
const {SYN, ACK, FIN, PSH} = tcpFlags;

export type Peer = {
	/** TCP segments received from us, in order. */
	readonly segments: TcpRecord[];
	readonly frames: DecodedFrame[];
};

export type PeerOptions = {
	/** What the peer sends back for data (default: an HTTP response line). */
	readonly reply?: string;
};

export function scriptedPeer(link: Link, options: PeerOptions = {}): Peer {
	const peer: Peer = {segments: [], frames: []};
	let rcvNxt = 0;
	let sndNxt = peerIss;
	const send = (to: TcpRecord, fields: {flags: number; payload?: Uint8Array}) => {
		const segment = makeSegment({sourcePort: to.destinationPort, destinationPort: to.sourcePort, seq: sndNxt, ack: rcvNxt, flags: fields.flags, window: 65_535, options: [], payload: fields.payload});
		link.send(encodeFrame({ethernet: {destination: ourMac, source: peerMac}, ipv4: {source: peerIp, destination: ourIp, ttl: 64}, tcp: segment}));
		sndNxt = (sndNxt + (fields.payload?.length ?? 0) + (fields.flags & (SYN | FIN) ? 1 : 0)) >>> 0;
	};

	link.onFrame(({bytes}) => {
		const frame = decodeFrame(bytes);
		peer.frames.push(frame);
		const {arp, tcp} = frame;
		if (arp && arp.operation === arpOperations.request && arp.targetIp === peerIp) {
			const reply = new Uint8Array(60);
			emitEthernet({destination: arp.senderMac, source: peerMac, etherType: etherTypes.arp}, reply);
			emitArp({operation: arpOperations.reply, senderMac: peerMac, senderIp: peerIp, targetMac: arp.senderMac, targetIp: arp.senderIp}, reply, 14);
			link.send(reply);
			return;
		}

		if (!tcp) return;
		peer.segments.push(tcp);
		if (tcp.flags & SYN) {
			rcvNxt = (tcp.seq + 1) >>> 0;
			send(tcp, {flags: SYN | ACK});
		} else if (tcp.payload.length > 0) {
			rcvNxt = (tcp.seq + tcp.payload.length) >>> 0;
			send(tcp, {flags: ACK});
			send(tcp, {flags: PSH | ACK, payload: new TextEncoder().encode(options.reply ?? 'HTTP/1.1 200 OK\r\n\r\nhello')});
		} else if (tcp.flags & FIN) {
			rcvNxt = (tcp.seq + 1) >>> 0;
			send(tcp, {flags: FIN | ACK});
		}
	});
	return peer;
}

/** A session on one end of a memory link with the scripted peer on the other, its claim done. */
export async function memorySession(options: PeerOptions = {}): Promise<{session: Session; peer: Peer}> {
	const [ours, theirs] = createMemoryLinkPair({name: 'mem0', mac: ourMac}, {name: 'mem1', mac: peerMac});
	const peer = scriptedPeer(theirs, options);
	const session = new Session({link: ours, ip: ourIp, network: parseIpv4('198.18.0.0'), prefixLength: 24, timings: labTimings, probe: false});
	await session.host.claimed();
	// The last announcement too, so that no ARP frame lands between a test's frames.
	for (let waited = 0; session.host.claim.phase !== 'claimed' && waited < 2000; waited += 5) await new Promise(resolve => setTimeout(resolve, 5));
	return {session, peer};
}
