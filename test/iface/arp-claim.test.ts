import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {ArpClaim, type ArpOut, labTimings, rfcTimings} from '../../source/iface/arp-claim.js';
import {broadcastMac} from '../../source/wire/addresses.js';
import {arpOperations, type ArpRecord} from '../../source/wire/records.js';

const ourMac = 0x02_00_00_00_00_10;
const otherMac = 0x02_00_00_00_00_99;
const ourIp = 0xc6_12_00_0a; // 198.18.0.10
const peerIp = 0xc6_12_00_02; // 198.18.0.2

function arp(fields: Partial<ArpRecord>): ArpRecord {
	return {hardwareType: 1, protocolType: 0x08_00, hardwareLength: 6, protocolLength: 4, operation: arpOperations.request, senderMac: otherMac, senderIp: peerIp, targetMac: 0, targetIp: ourIp, ...fields};
}

/** Runs the claim on virtual time until it has nothing scheduled, recording when each frame left. */
function runUntilIdle(claim: ArpClaim, limit = 100_000): Array<{at: number; out: ArpOut}> {
	const sent: Array<{at: number; out: ArpOut}> = [];
	for (let at = claim.pollAt(); at !== undefined && at <= limit; at = claim.pollAt()) {
		for (const out of claim.poll(at)) sent.push({at, out});
	}

	return sent;
}

const isProbe = (out: ArpOut) => out.arp.senderIp === 0 && out.arp.targetIp === ourIp && out.arp.operation === arpOperations.request;
const isAnnouncement = (out: ArpOut) => out.arp.senderIp === ourIp && out.arp.targetIp === ourIp && out.arp.operation === arpOperations.request;

describe('ARP claim (RFC 5227) on virtual time', () => {
	for (const [name, random] of [['low', () => 0], ['high', () => 0.999_999], ['mid', () => 0.5]] as const) {
		test(`follows RFC 5227 timing (random ${name})`, () => {
			const claim = new ArpClaim({mac: ourMac, ip: ourIp, random}, 0);
			const sent = runUntilIdle(claim);
			assert.deepEqual(sent.map(s => (isProbe(s.out) ? 'probe' : isAnnouncement(s.out) ? 'announce' : 'other')), ['probe', 'probe', 'probe', 'announce', 'announce']);
			for (const {out} of sent) {
				assert.equal(out.destination, broadcastMac);
				assert.equal(out.arp.senderMac, ourMac);
				assert.equal(out.arp.targetMac, 0);
			}

			const t = sent.map(s => s.at);
			// §2.1.1: first probe after a random delay in [0, PROBE_WAIT).
			assert.ok(t[0]! >= 0 && t[0]! < rfcTimings.probeWait);
			// Probes PROBE_MIN..PROBE_MAX apart.
			for (const gap of [t[1]! - t[0]!, t[2]! - t[1]!]) assert.ok(gap >= rfcTimings.probeMin && gap <= rfcTimings.probeMax, `probe gap ${gap}`);
			// ANNOUNCE_WAIT after the last probe, then ANNOUNCE_INTERVAL between announcements.
			assert.equal(t[3]! - t[2]!, rfcTimings.announceWait);
			assert.equal(t[4]! - t[3]!, rfcTimings.announceInterval);
			assert.equal(claim.phase, 'claimed');
			assert.deepEqual(
				{probes: claim.snapshot().probesSent, announcements: claim.snapshot().announcementsSent},
				{probes: 3, announcements: 2},
			);
		});
	}

	test('the lab profile claims in well under a second', () => {
		const claim = new ArpClaim({mac: ourMac, ip: ourIp, timings: labTimings, random: () => 0.999_999}, 0);
		const sent = runUntilIdle(claim);
		assert.equal(claim.phase, 'claimed');
		assert.ok(sent.at(-1)!.at < 500, `claimed at ${sent.at(-1)!.at} ms`);
	});

	test('--no-probe announces at once', () => {
		const claim = new ArpClaim({mac: ourMac, ip: ourIp, probe: false}, 1000);
		assert.equal(claim.phase, 'announcing');
		const sent = runUntilIdle(claim);
		assert.deepEqual(sent.map(s => [s.at, isAnnouncement(s.out)]), [[1000, true], [3000, true]]);
	});

	test('a reply from the address holder while probing is a conflict: no announcement', () => {
		const claim = new ArpClaim({mac: ourMac, ip: ourIp, random: () => 0}, 0);
		assert.equal(claim.poll(0).length, 1);
		const out = claim.receive(10, arp({operation: arpOperations.reply, senderIp: ourIp, targetMac: ourMac, targetIp: 0}));
		assert.deepEqual(out, []);
		assert.equal(claim.phase, 'conflict');
		assert.deepEqual(runUntilIdle(claim), []);
		const {conflicts, announcementsSent} = claim.snapshot();
		assert.equal(announcementsSent, 0);
		assert.deepEqual(conflicts, [{at: 10, mac: otherMac, phase: 'probing', kind: 'sender', defended: false}]);
	});

	test('another host probing for the same address while we probe is a conflict', () => {
		const claim = new ArpClaim({mac: ourMac, ip: ourIp, random: () => 0}, 0);
		claim.poll(0);
		claim.receive(5, arp({senderIp: 0, targetIp: ourIp}));
		assert.equal(claim.phase, 'conflict');
		assert.equal(claim.snapshot().conflicts[0]!.kind, 'probe');
	});

	test('ARP traffic about other addresses is no conflict, and is not answered while probing', () => {
		const claim = new ArpClaim({mac: ourMac, ip: ourIp, random: () => 0}, 0);
		claim.poll(0);
		assert.deepEqual(claim.receive(5, arp({targetIp: peerIp + 5})), []);
		assert.deepEqual(claim.receive(6, arp({targetIp: ourIp})), [], 'not ours yet while probing');
		assert.equal(claim.phase, 'probing');
	});

	test('once claimed, answers who-has for our address only, with a unicast reply', () => {
		const claim = new ArpClaim({mac: ourMac, ip: ourIp, probe: false}, 0);
		runUntilIdle(claim);
		const [reply, ...rest] = claim.receive(5000, arp({targetIp: ourIp}));
		assert.equal(rest.length, 0);
		assert.equal(reply!.destination, otherMac);
		assert.deepEqual(reply!.arp, {hardwareType: 1, protocolType: 0x08_00, hardwareLength: 6, protocolLength: 4, operation: arpOperations.reply, senderMac: ourMac, senderIp: ourIp, targetMac: otherMac, targetIp: peerIp});
		assert.deepEqual(claim.receive(5001, arp({targetIp: ourIp + 1})), []);
		assert.deepEqual(claim.receive(5002, arp({operation: arpOperations.reply, targetIp: ourIp})), []);
		assert.equal(claim.snapshot().requestsAnswered, 1);
	});

	test('after the claim, defends once per DEFEND_INTERVAL and reports every conflict', () => {
		const claim = new ArpClaim({mac: ourMac, ip: ourIp, probe: false}, 0);
		runUntilIdle(claim);
		const thief = arp({operation: arpOperations.reply, senderIp: ourIp});
		const first = claim.receive(20_000, thief);
		assert.equal(first.length, 1);
		assert.ok(isAnnouncement(first[0]!));
		assert.deepEqual(claim.receive(25_000, thief), [], 'within DEFEND_INTERVAL: no second defence');
		assert.equal(claim.receive(30_000, thief).length, 1, 'DEFEND_INTERVAL later: defends again');
		assert.equal(claim.phase, 'claimed');
		const {conflicts, defences} = claim.snapshot();
		assert.equal(defences, 2);
		assert.deepEqual(conflicts.map(c => [c.at, c.defended]), [[20_000, true], [25_000, false], [30_000, true]]);
	});

	test('ignores its own frames echoed back', () => {
		const claim = new ArpClaim({mac: ourMac, ip: ourIp, random: () => 0}, 0);
		const [probe] = claim.poll(0);
		claim.receive(1, probe!.arp);
		assert.equal(claim.phase, 'probing');
	});
});
