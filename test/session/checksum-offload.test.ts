import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, it} from 'node:test';
import {looksPartial, offloadedSenders, offloadNote, unjudged, withoutOffloaded} from '../../source/session/checksum-offload.js';
import {parseIpv4} from '../../source/wire/addresses.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type FieldNode, frameFields} from '../../source/ui/frame-fields.js';
import {readPcap} from '../helpers/read-pcap.js';
import {root} from '../cli/run-synack.js';

const fixture = (name: string) => path.join(root, 'test', 'fixtures', name);
const frames = (name: string) => readPcap(fixture(name)).map(({bytes}) => decodeFrame(bytes));
const client = parseIpv4('198.18.233.1');

describe('TCP checksums left to the card', () => {
	it('on a kernel\'s own host: every frame it sent holds the pseudo-header sum, the peer\'s are right', () => {
		const tcp = frames('offload.pcap').filter(frame => frame.tcp);
		const sent = tcp.filter(frame => frame.ipv4!.source === client);
		const received = tcp.filter(frame => frame.ipv4!.source !== client);
		assert.ok(sent.length > 5 && received.length > 5);
		assert.ok(sent.every(frame => frame.tcpChecksumOk === false && looksPartial(frame)));
		assert.ok(received.every(frame => frame.tcpChecksumOk === true && !looksPartial(frame)));
		assert.deepEqual(offloadedSenders(tcp), [{ip: client, frames: sent.length, partial: sent.length}]);
		assert.match(offloadNote(offloadedSenders(tcp))!, /^TCP checksums not judged from 198\.18\.233\.1 \(all \d+ wrong, each only the pseudo-header sum\)/);
	});

	it('a checksum damaged on the way is not taken for offload, and a sender with one right checksum is judged', () => {
		const tcp = frames('offload.pcap').filter(frame => frame.tcp);
		const fromServer = readPcap(fixture('offload.pcap')).map(({bytes}) => bytes).filter(bytes => {
			const frame = decodeFrame(bytes);
			return frame.tcp && frame.ipv4!.source !== client && frame.tcp.payload.length > 0;
		});
		const damaged = Uint8Array.from(fromServer[0]!);
		damaged[damaged.length - 1]! ^= 0x40;
		const frame = decodeFrame(damaged);
		assert.equal(frame.tcpChecksumOk, false);
		assert.equal(looksPartial(frame), false);
		// The server's frames, one of them damaged: the server still computes its checksums.
		const withDamage = [...tcp.filter(each => each.ipv4!.source !== client), frame];
		assert.deepEqual(offloadedSenders(withDamage), []);
	});

	it('a frame\'s detail says its checksum was left partial, and a damaged one is WRONG', () => {
		const values = (nodes: readonly FieldNode[]): string[] => nodes.flatMap(node => [`${node.label}: ${node.value ?? ''}`, ...values(node.children ?? [])]);
		const tcp = frames('offload.pcap').filter(frame => frame.tcp);
		const partial = tcp.find(frame => frame.ipv4!.source === client)!;
		assert.ok(values(frameFields(partial)).some(line => /^checksum: 0x[0-9a-f]{4} \(partial: left to the sender's card, not judged\)$/.test(line)));
		const right = tcp.find(frame => frame.ipv4!.source !== client)!;
		assert.ok(values(frameFields(right)).some(line => /^checksum: 0x[0-9a-f]{4} \(correct\)$/.test(line)));
	});

	it('captures with right checksums have no offloaded sender', () => {
		assert.deepEqual(offloadedSenders(frames('http-close.pcap')), []);
		assert.deepEqual(offloadedSenders(frames('lab-session.pcap')), []);
	});

	it('offloaded senders\' frames lose their verdict; the others keep theirs', () => {
		const rows = frames('offload.pcap').filter(frame => frame.tcp).map(frame => ({frame}));
		const cleared = withoutOffloaded(rows, offloadedSenders(rows.map(row => row.frame)));
		for (const [index, {frame}] of cleared.entries()) {
			if (frame.ipv4!.source === client) assert.equal(frame.tcpChecksumOk, undefined);
			else assert.equal(frame.tcpChecksumOk, rows[index]!.frame.tcpChecksumOk);
		}

		assert.equal(unjudged(rows[0]!.frame).tcp, rows[0]!.frame.tcp);
	});
});
