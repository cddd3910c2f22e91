// A burst of auto mode's segments leaves the link back to back at the end of the turn (Link.cork):
// everything sent in that turn waits behind it, in order, and a lone segment with no burst before
// it goes out at once.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Link} from '../../source/link/link.js';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {SendQueue} from '../../source/link/send-queue.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import {Session} from '../../source/session/session.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type TcpRecord, tcpFlags} from '../../source/wire/records.js';
import {sleep} from '../helpers/session.js';

const ours = 0xc6_12_00_0a;
const theirs = 0xc6_12_00_02;
const ourMac = 0x02_00_00_00_00_0a;
const theirMac = 0x02_00_00_00_00_02;
const {SYN, ACK} = tcpFlags;

/** A memory link that corks as a live link does, noting each cork and each frame the wire got. */
function corkable(link: Link, events: string[]): Link {
	const queue = new SendQueue(frame => {
		link.send(frame);
		const tcp = decodeFrame(frame).tcp;
		// ARP (our announcements, a lookup) is not what this test looks at.
		if (tcp) events.push(`wire ${tcp.payload.length}`);
		return true;
	}, retry => setImmediate(retry));
	return {
		name: link.name,
		mac: link.mac,
		mtu: link.mtu,
		send: frame => queue.send(frame),
		cork() {
			events.push('cork');
			queue.hold();
		},
		uncork() {
			events.push('uncork');
			queue.release();
		},
		frameBuffer: length => link.frameBuffer(length),
		onFrame: listener => link.onFrame(listener),
		stats: () => link.stats(),
		close: () => link.close(),
	};
}

test('auto mode\'s burst is corked until the turn ends, then leaves in order', async t => {
	const [inner, peer] = createMemoryLinkPair({name: 'a', mac: ourMac}, {name: 'b', mac: theirMac});
	const events: string[] = [];
	const link = corkable(inner, events);
	const received: TcpRecord[] = [];
	peer.onFrame(frame => {
		const tcp = decodeFrame(frame.bytes).tcp;
		if (tcp) received.push(tcp);
	});
	const session = new Session({link, ip: ours, network: 0xc6_12_00_00, prefixLength: 24, probe: false});
	t.after(() => session.close());
	session.setAuto(autoPolicies);
	const id = session.listen(80);
	const deliver = (fields: {seq: number; ack?: number; flags: number; window?: number}) => {
		peer.send(tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort: 5555, destinationPort: 80, options: [{kind: 'mss', value: 1000}], ...fields}));
	};

	deliver({seq: 1000, flags: SYN, window: 60_000});
	await sleep(5);
	const synAck = received.at(-1)!;
	assert.equal(synAck.flags, SYN | ACK);
	assert.deepEqual(events, ['wire 0'], 'a lone SYN-ACK goes out at once, uncorked');
	deliver({seq: 1001, ack: synAck.seq + 1, flags: ACK, window: 60_000});
	await sleep(5);
	events.length = 0;
	// Four segments' worth: the initial window (RFC 5681 §3.1) lets a burst of several go.
	session.write(id, new Uint8Array(4000).fill(0x61));
	assert.equal(events[0], 'cork');
	assert.ok(!events.some(event => event.startsWith('wire')), 'nothing reached the wire within the turn');
	await sleep(5);
	const uncork = events.indexOf('uncork');
	assert.ok(uncork > 0);
	const wire = events.slice(uncork + 1).filter(event => event.startsWith('wire'));
	assert.ok(wire.length >= 2, `a burst: ${events.join(', ')}`);
	const data = received.filter(segment => segment.payload.length > 0);
	assert.deepEqual(data.map(segment => segment.seq - data[0]!.seq), data.map((_, index) => index * 1000), 'in order, back to back');
});
