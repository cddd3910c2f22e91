import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {labTimings} from '../../source/iface/arp-claim.js';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {type BacklogConfig, Host} from '../../source/session/host.js';
import {parseIpv4} from '../../source/wire/addresses.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {tcpFlags} from '../../source/wire/records.js';
import {eventually} from '../helpers/eventually.js';

const ourMac = 0x02_00_00_00_00_10;
const peerMac = 0x02_00_00_00_00_02;
const ourIp = parseIpv4('198.18.0.10');
const peerIp = parseIpv4('198.18.0.2');

/** A host, and a peer that can send it a burst of TCP segments (seq = index) in one turn of the event loop. */
function flooded(backlog: Partial<BacklogConfig>) {
	const [ours, theirs] = createMemoryLinkPair({name: 'ours', mac: ourMac}, {name: 'theirs', mac: peerMac});
	const host = new Host({link: ours, ip: ourIp, network: parseIpv4('198.18.0.0'), prefixLength: 24, timings: labTimings, probe: false, backlog});
	const burst = (count: number) => {
		for (let seq = 0; seq < count; seq++) {
			theirs.send(tcpFrame({sourceMac: peerMac, destinationMac: ourMac, source: peerIp, destination: ourIp, sourcePort: 40_000, destinationPort: 1, seq, flags: tcpFlags.ACK}));
		}
	};

	return {host, burst, close: () => host.close()};
}

const burstSeqs = (host: Host) => {
	const seqs: number[] = [];
	for (let index = 0; index < host.log.size; index++) {
		const tcp = host.log.at(index)!.frame.tcp;
		if (tcp) seqs.push(tcp.seq);
	}

	return seqs;
};

describe('host backlog (a peer that floods us)', () => {
	test('a burst longer than a turn\'s budget is worked through between turns, in order, none lost', async () => {
		const {host, burst, close} = flooded({turnMs: 1, limit: 1_000_000});
		try {
			await host.claimed();
			const before = host.log.totals().framesIn;
			burst(20_000);
			// The burst arrives in one turn (microtasks); a callback queued behind it runs before the host
			// has handled all of it: the host gave the event loop back.
			const handledWhenYielded = await new Promise<number>(resolve => {
				setImmediate(() => resolve(host.log.totals().framesIn - before));
			});
			assert.ok(handledWhenYielded < 20_000, `all ${handledWhenYielded} frames handled before the event loop got a turn`);
			await eventually(() => host.log.totals().framesIn - before === 20_000, 'all 20,000 frames logged', 20_000);
			assert.equal(host.backlog, 0);
			assert.equal(host.overloaded, 0);
			assert.deepEqual(burstSeqs(host), Array.from({length: 20_000}, (_, seq) => seq));
		} finally {
			close();
		}
	});

	test('past the backlog limit, frames are only logged, marked, in their turn; past eight times it, counted as dropped', async () => {
		const {host, burst, close} = flooded({turnMs: 0, limit: 100});
		try {
			await host.claimed();
			const before = host.log.totals().framesIn;
			burst(1000);
			// The first frame of the turn is handled at once, 100 wait to be handled, 700 more wait to be
			// logged only, and the 199 after them find even that backlog full.
			await eventually(() => host.log.totals().framesIn - before === 801 && host.backlog === 0, '801 frames logged', 10_000);
			assert.equal(host.overloaded, 700);
			assert.equal(host.dropped, 199);
			assert.deepEqual(burstSeqs(host), Array.from({length: 801}, (_, seq) => seq), 'logged in the order they came');
			const marked: number[] = [];
			for (let index = 0; index < host.log.size; index++) {
				const entry = host.log.at(index)!;
				if (entry.annotations.some(note => note.code === 'overload')) marked.push(entry.frame.tcp!.seq);
			}

			assert.deepEqual(marked, Array.from({length: 700}, (_, index) => 101 + index));
			assert.match(host.log.at(host.log.size - 1)!.annotations[0]!.text, /^not handled: 799 frames were waiting \(synack overloaded\)$/);
		} finally {
			close();
		}
	});
});
