import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {conversations, formatEndpoints} from '../../source/session/conversations.js';
import {parseIpv4, parseMac} from '../../source/wire/addresses.js';
import {arpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type DecodedFrame, tcpFlags} from '../../source/wire/records.js';
import {type Host, segmentBetween, type SegmentFields} from '../helpers/frames.js';

const {ACK, RST, SYN} = tcpFlags;
const client = {mac: parseMac('02:00:00:00:00:0a'), ip: parseIpv4('198.18.0.10'), port: 40_000};
const server = {mac: parseMac('02:00:00:00:00:02'), ip: parseIpv4('198.18.0.2'), port: 80};
const otherClient = {...client, port: 40_001};

function tcp(from: Host, to: Host, fields: SegmentFields): DecodedFrame {
	return decodeFrame(segmentBetween(from, to, fields));
}

const endpoints = (host: Host) => ({ip: host.ip, port: host.port});
const arp = decodeFrame(arpFrame({senderMac: client.mac, senderIp: client.ip, targetIp: server.ip}));

describe('conversations: TCP frames grouped by address/port pair', () => {
	test('both directions of a pair are one conversation; another port is another; numbered as they first appear', () => {
		const frames = [
			tcp(client, server, {seq: 1, flags: SYN}),
			tcp(otherClient, server, {seq: 7, flags: SYN}),
			tcp(server, client, {seq: 100, ack: 2, flags: SYN | ACK}),
			tcp(server, otherClient, {seq: 200, ack: 8, flags: SYN | ACK}),
			tcp(client, server, {seq: 2, ack: 101, flags: ACK}),
		];
		const found = conversations(frames);
		assert.deepEqual(found.map(({number, frames: indexes}) => ({number, indexes})), [
			{number: 1, indexes: [0, 2, 4]},
			{number: 2, indexes: [1, 3]},
		]);
		assert.deepEqual(found[1]!.client, endpoints(otherClient));
	});

	test('frames that are not TCP (ARP, or no frame at all) belong to no conversation, and keep their indexes counted', () => {
		const found = conversations([arp, undefined, tcp(client, server, {seq: 1, flags: SYN}), arp, tcp(server, client, {seq: 9, ack: 2, flags: SYN | ACK})]);
		assert.equal(found.length, 1);
		assert.deepEqual(found[0]!.frames, [2, 4]);
		assert.deepEqual(conversations([arp, undefined]), []);
	});

	test('the sender of the first SYN without ACK is the client, even after a stray frame the other way', () => {
		const found = conversations([
			tcp(server, client, {seq: 50, ack: 0, flags: RST | ACK}),
			tcp(client, server, {seq: 1, flags: SYN}),
			tcp(server, client, {seq: 100, ack: 2, flags: SYN | ACK}),
		]);
		assert.deepEqual(found[0]!.client, endpoints(client));
		assert.deepEqual(found[0]!.server, endpoints(server));
		assert.deepEqual(found[0]!.frames, [0, 1, 2]);
	});

	test('a SYN-ACK names no client: without a SYN the first sender seen is taken as the client', () => {
		const found = conversations([
			tcp(server, client, {seq: 100, ack: 2, flags: SYN | ACK}),
			tcp(client, server, {seq: 2, ack: 101, flags: ACK}),
		]);
		assert.deepEqual(found[0]!.client, endpoints(server));
	});

	test('a later SYN of the same pair (a new connection on the same ports) leaves the client as first named', () => {
		const found = conversations([
			tcp(client, server, {seq: 1, flags: SYN}),
			tcp(server, client, {seq: 100, ack: 2, flags: SYN | ACK}),
			tcp(server, client, {seq: 5000, flags: SYN}),
		]);
		assert.equal(found.length, 1);
		assert.deepEqual(found[0]!.client, endpoints(client));
	});

	test('the same ports between other hosts are another conversation', () => {
		const elsewhere = {...client, ip: parseIpv4('198.18.0.11')};
		const found = conversations([tcp(client, server, {seq: 1, flags: SYN}), tcp(elsewhere, server, {seq: 1, flags: SYN})]);
		assert.equal(found.length, 2);
	});

	test('an endpoint prints as ADDRESS:PORT', () => {
		assert.equal(formatEndpoints(endpoints(client)), '198.18.0.10:40000');
	});
});
