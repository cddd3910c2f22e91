import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {reconstruct, type ReconstructedRow} from '../../source/session/reconstruct.js';
import {parseIpv4, parseMac} from '../../source/wire/addresses.js';
import {arpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type DecodedFrame, tcpFlags} from '../../source/wire/records.js';
import {segmentBetween, type SegmentFields} from '../helpers/frames.js';

const {ACK, FIN, PSH, RST, SYN} = tcpFlags;
const client = {mac: parseMac('02:00:00:00:00:0a'), ip: parseIpv4('198.18.0.10'), port: 40_000};
const server = {mac: parseMac('02:00:00:00:00:02'), ip: parseIpv4('198.18.0.2'), port: 80};
const clientEnd = {ip: client.ip, port: client.port};
const serverEnd = {ip: server.ip, port: server.port};

type Row = {timestamp: {seconds: number; nanoseconds: number}; frame: DecodedFrame};

/** Captured rows a millisecond apart. */
function capture(...frames: DecodedFrame[]): Row[] {
	return frames.map((frame, index) => ({timestamp: {seconds: 1_700_000_000, nanoseconds: index * 1_000_000}, frame}));
}

const fromClient = (fields: SegmentFields) => decodeFrame(segmentBetween(client, server, fields));
const fromServer = (fields: SegmentFields) => decodeFrame(segmentBetween(server, client, fields));

// ISS 100 (client) and 500 (server).
const handshake = [
	fromClient({seq: 100, flags: SYN}),
	fromServer({seq: 500, ack: 101, flags: SYN | ACK}),
	fromClient({seq: 101, ack: 501, flags: ACK}),
];

const states = (rows: readonly ReconstructedRow[]) => rows.map(row => `${row.from}: ${row.clientState} / ${row.serverState}`);
const codes = (row: ReconstructedRow | undefined) => row?.verdicts.map(verdict => verdict.code);

describe('reconstruct: a captured conversation replayed through an engine on each side', () => {
	test('RFC 9293 §3.3.2: both sides through the handshake, data, and a close the server starts', () => {
		const rows = reconstruct(capture(
			...handshake,
			fromClient({seq: 101, ack: 501, flags: PSH | ACK, payload: 'GET'}),
			fromServer({seq: 501, ack: 104, flags: ACK}),
			fromServer({seq: 501, ack: 104, flags: PSH | ACK, payload: 'OK'}),
			fromServer({seq: 503, ack: 104, flags: FIN | ACK}),
			fromClient({seq: 104, ack: 504, flags: ACK}),
			fromClient({seq: 104, ack: 504, flags: FIN | ACK}),
			fromServer({seq: 504, ack: 105, flags: ACK}),
		), clientEnd, serverEnd);
		assert.deepEqual(states(rows), [
			'client: SYN-SENT / SYN-RECEIVED',
			'server: ESTABLISHED / SYN-RECEIVED',
			'client: ESTABLISHED / ESTABLISHED',
			'client: ESTABLISHED / ESTABLISHED',
			'server: ESTABLISHED / ESTABLISHED',
			'server: ESTABLISHED / ESTABLISHED',
			'server: CLOSE-WAIT / FIN-WAIT-1',
			'client: CLOSE-WAIT / FIN-WAIT-2',
			'client: LAST-ACK / TIME-WAIT',
			'server: CLOSED / TIME-WAIT',
		]);
		// A conformant exchange: the receiver of each segment finds nothing wrong with it.
		assert.deepEqual(rows.flatMap(row => row.verdicts).filter(verdict => verdict.severity !== 'info'), []);
		assert.deepEqual(codes(rows[6]), ['fin']);
	});

	test('a closed port (RFC 9293 §3.10.7.1): the RST|ACK resets the SYN-SENT client (§3.10.7.3), and the server has no connection', () => {
		const rows = reconstruct(capture(fromClient({seq: 100, flags: SYN}), fromServer({seq: 0, ack: 101, flags: RST | ACK})), clientEnd, serverEnd);
		assert.deepEqual(states(rows).at(-1), 'server: CLOSED / CLOSED');
		assert.deepEqual(codes(rows[1]), ['reset']);
	});

	test('a RST the receiver rejects (out of window, RFC 5961 §3.2): the receiver stays, the sender has closed all the same', () => {
		const rows = reconstruct(capture(...handshake, fromServer({seq: 501 + 1_000_000, flags: RST})), clientEnd, serverEnd);
		assert.equal(states(rows).at(-1), 'server: ESTABLISHED / CLOSED');
		assert.deepEqual(codes(rows.at(-1)), ['out-of-window']);
	});

	test('a segment sent again after it was acknowledged is the receiver\'s retransmission (RFC 9293 §3.8.1)', () => {
		const data = fromServer({seq: 501, ack: 101, flags: PSH | ACK, payload: 'OK'});
		const rows = reconstruct(capture(...handshake, data, fromClient({seq: 101, ack: 503, flags: ACK}), data), clientEnd, serverEnd);
		assert.deepEqual(codes(rows[3]), ['acceptable']);
		assert.deepEqual(codes(rows[5]), ['retransmission']);
	});

	test('a bad checksum (RFC 9293 §3.1) is the receiver\'s verdict, and the segment changes nothing', () => {
		const bytes = segmentBetween(client, server, {seq: 101, ack: 501, flags: FIN | ACK, payload: 'bye'});
		bytes[14 + 20 + 20]! ^= 0xff; // the payload's first octet (the frame ends in padding)
		const rows = reconstruct(capture(...handshake, decodeFrame(bytes)), clientEnd, serverEnd);
		assert.deepEqual(codes(rows.at(-1)), ['bad-checksum']);
		assert.equal(rows.at(-1)!.serverState, 'ESTABLISHED', 'the FIN was not taken');
	});

	test('a capture cut by its snap length: the length comes from the IP header, so the peer\'s ACK of the whole payload is acceptable', () => {
		const whole = segmentBetween(client, server, {seq: 101, ack: 501, flags: PSH | ACK, payload: 'x'.repeat(100)});
		const cut = decodeFrame(whole.subarray(0, 14 + 20 + 20 + 10));
		assert.equal(cut.truncated, true);
		assert.equal(cut.tcp!.payload.length, 10);
		const rows = reconstruct(capture(...handshake, cut, fromServer({seq: 501, ack: 201, flags: ACK})), clientEnd, serverEnd);
		assert.deepEqual(codes(rows.at(-1)), ['acceptable']);
		assert.deepEqual(rows.flatMap(row => row.verdicts).filter(verdict => verdict.severity !== 'info'), []);
	});

	test('frames without TCP are passed over: one row per segment', () => {
		const arp = decodeFrame(arpFrame({senderMac: client.mac, senderIp: client.ip, targetIp: server.ip}));
		const rows = reconstruct(capture(arp, ...handshake), clientEnd, serverEnd);
		assert.equal(rows.length, 3);
		assert.equal(rows[0]!.from, 'client');
		assert.deepEqual(reconstruct([], clientEnd, serverEnd), []);
	});
});
