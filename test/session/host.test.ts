import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {labTimings} from '../../source/iface/arp-claim.js';
import type {Link} from '../../source/link/link.js';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {ClaimConflictError, Host, ResolveError} from '../../source/session/host.js';
import {parseIpv4} from '../../source/wire/addresses.js';
import {emitArp} from '../../source/wire/arp.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {emitEthernet} from '../../source/wire/ethernet.js';
import {arpOperations, etherTypes} from '../../source/wire/records.js';

const ourMac = 0x02_00_00_00_00_10;
const peerMac = 0x02_00_00_00_00_02;
const ourIp = parseIpv4('198.18.0.10');
const peerIp = parseIpv4('198.18.0.2');

/** A stand-in peer on the other end of a memory link: answers who-has for the addresses it holds. */
function peer(link: Link, holds: number[]): void {
	link.onFrame(({bytes}) => {
		const arp = decodeFrame(bytes).arp;
		if (!arp || arp.operation !== arpOperations.request || !holds.includes(arp.targetIp)) return;
		const reply = new Uint8Array(60);
		emitEthernet({destination: arp.senderMac, source: peerMac, etherType: etherTypes.arp}, reply);
		emitArp({operation: arpOperations.reply, senderMac: peerMac, senderIp: arp.targetIp, targetMac: arp.senderMac, targetIp: arp.senderIp}, reply, 14);
		link.send(reply);
	});
}

function makeHost(holds: number[], ip = ourIp) {
	const [ours, theirs] = createMemoryLinkPair({name: 'ours', mac: ourMac}, {name: 'theirs', mac: peerMac});
	peer(theirs, holds);
	const host = new Host({link: ours, ip, network: parseIpv4('198.18.0.0'), prefixLength: 24, timings: labTimings, neighbours: {retryInterval: 20}});
	return host;
}

describe('host on an in-memory link', () => {
	test('claims a free address and logs every ARP frame', async () => {
		const host = makeHost([peerIp]);
		await host.claimed();
		await new Promise(resolve => setTimeout(resolve, 200));
		assert.equal(host.claim.phase, 'claimed');
		const kinds = host.log.slice(0, 100).map(e => `${e.direction} ${e.annotations.map(a => a.code).join(',')}`);
		assert.deepEqual(kinds, ['out arp-probe', 'out arp-probe', 'out arp-probe', 'out arp-announcement', 'out arp-announcement']);
		host.close();
	});

	test('a claim of an address the peer holds fails with a conflict, and no announcement', async () => {
		const host = makeHost([peerIp], peerIp);
		await assert.rejects(host.claimed(), (error: Error) => error instanceof ClaimConflictError && /198\.18\.0\.2 is already in use by 02:00:00:00:00:02/.test(error.message));
		await new Promise(resolve => setTimeout(resolve, 200));
		assert.equal(host.claim.announcementsSent, 0);
		assert.ok(host.log.slice(0, 100).some(e => e.direction === 'in' && e.annotations.some(a => a.code === 'arp-conflict')));
		host.close();
	});

	test('resolves a neighbour, and fails clearly for an address nobody holds', async () => {
		const host = makeHost([peerIp]);
		await host.claimed();
		assert.equal(await host.resolve(peerIp), peerMac);
		await assert.rejects(host.resolve(parseIpv4('198.18.0.99')), new ResolveError('no ARP reply from 198.18.0.99 after 3 tries'));
		host.close();
	});
});

test('--mac: the host claims and sends from the given MAC, not the interface\'s', async () => {
	const [ours, theirs] = createMemoryLinkPair({name: 'ours', mac: ourMac}, {name: 'theirs', mac: peerMac});
	peer(theirs, [peerIp]);
	const spoofed = 0x02_aa_bb_cc_dd_ee;
	const host = new Host({link: ours, ip: ourIp, mac: spoofed, network: parseIpv4('198.18.0.0'), prefixLength: 24, timings: labTimings, probe: false});
	await host.claimed();
	assert.equal(await host.resolve(peerIp), peerMac);
	for (const entry of host.log.slice(0, 100).filter(e => e.direction === 'out')) {
		assert.equal(entry.frame.ethernet!.source, spoofed);
		assert.equal(entry.frame.arp!.senderMac, spoofed);
	}

	host.close();
});
