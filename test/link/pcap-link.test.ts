// The live link against the Linux kernel in a lab: ARP and TCP frames out, the kernel's answers in,
// and the capture our writer made read back by tcpdump.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {labTimings} from '../../source/iface/arp-claim.js';
import type {CapturedFrame, Link} from '../../source/link/link.js';
import {openPcapLink} from '../../source/link/pcap-link.js';
import {recordingLink} from '../../source/link/recording-link.js';
import {Host} from '../../source/session/host.js';
import {parseIpv4, parseMac} from '../../source/wire/addresses.js';
import {arpFrame, tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {arpOperations, tcpFlags} from '../../source/wire/records.js';
import {TcpdumpPrinter} from '../../source/wire/summary.js';
import {useLab} from '../helpers/lab.js';

/** Waits (bounded) for a frame that `match` accepts. */
function nextFrame(link: Link, match: (frame: CapturedFrame) => boolean, timeoutMs = 3000): Promise<CapturedFrame> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			off();
			reject(new Error(`no matching frame within ${timeoutMs} ms`));
		}, timeoutMs);
		const off = link.onFrame(frame => {
			if (!match(frame)) return;
			clearTimeout(timer);
			off();
			resolve(frame);
		});
	});
}

describe('live pcap link on a lab', () => {
	test('an ARP request for the peer gets the kernel\'s reply', async t => {
		const lab = await useLab(t);
		if (!lab) return;
		const ours = parseIpv4(lab.suggestedAddress);
		const peer = parseIpv4(lab.peerAddress);
		const link = await openPcapLink({iface: lab.interface, ip: ours});
		try {
			assert.equal(link.mac, parseMac(lab.mac));
			assert.equal(link.mtu, 1500);
			const reply = nextFrame(link, ({bytes}) => decodeFrame(bytes).arp?.operation === arpOperations.reply);
			link.send(arpFrame({senderMac: link.mac, senderIp: ours, targetIp: peer}));
			const arp = decodeFrame((await reply).bytes).arp!;
			assert.deepEqual({sender: arp.senderIp, mac: arp.senderMac, target: arp.targetIp, targetMac: arp.targetMac}, {sender: peer, mac: parseMac(lab.peerMac), target: ours, targetMac: link.mac});
			assert.equal(link.stats().received, 1);
			assert.equal(link.stats().sent, 1);
		} finally {
			// Before the lab goes: cap aborts the process if its interface vanishes under an open capture.
			link.close();
		}
	});

	test('a SYN to a closed port draws the kernel\'s RST, and tcpdump reads our capture of it', async t => {
		const lab = await useLab(t);
		if (!lab) return;
		const dir = mkdtempSync(join(tmpdir(), 'synack-live-'));
		t.after(() => rmSync(dir, {recursive: true, force: true}));
		const file = join(dir, 'syn-rst.pcap');
		const ours = parseIpv4(lab.suggestedAddress);
		const peer = parseIpv4(lab.peerAddress);
		const link = recordingLink(await openPcapLink({iface: lab.interface, ip: ours}), file);
		// The host answers the kernel's who-has for our address: without it the RST never comes.
		const host = new Host({link, ip: ours, network: parseIpv4(lab.subnet.split('/')[0]!), prefixLength: lab.prefixLength, timings: labTimings, probe: false});
		try {
			await exchange(host, link, ours, peer);
		} finally {
			host.close();
			link.close();
		}

		// tcpdump reads our file and sees the same frames the host logged, in the same order.
		const tcpdump = execFileSync('tcpdump', ['-n', '-t', '-r', file], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim().split('\n');
		const printer = new TcpdumpPrinter();
		const logged = host.log.slice(0, host.log.size).map(entry => printer.line(entry.frame));
		assert.deepEqual(tcpdump, logged);
		assert.ok(tcpdump.some(line => line.includes('Flags [R.]')), tcpdump.join('\n'));
		assert.ok(tcpdump.some(line => line.includes('Flags [S]')));
	});

	async function exchange(host: Host, link: Link, ours: number, peer: number): Promise<void> {
		await host.claimed();
		const peerMac = await host.resolve(peer);
		const rst = nextFrame(link, ({bytes}) => Boolean(decodeFrame(bytes).tcp && (decodeFrame(bytes).tcp!.flags & tcpFlags.RST)));
		host.send(tcpFrame({sourceMac: link.mac, destinationMac: peerMac, source: ours, destination: peer, sourcePort: 40_000, destinationPort: 81, seq: 1000, flags: tcpFlags.SYN, options: [{kind: 'mss', value: 1460}]}));
		const segment = decodeFrame((await rst).bytes);
		assert.equal(segment.tcp!.flags, tcpFlags.RST | tcpFlags.ACK);
		assert.equal(segment.tcp!.ack, 1001, 'RFC 9293 §3.10.7.1: RST acknowledges the SYN');
		assert.equal(segment.ipv4!.source, peer);
		assert.equal(segment.tcpChecksumOk, true);
		// Let the announcements' stragglers and the kernel's last words arrive before closing.
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	test('a missing interface is a one-line error naming the ones that exist', async () => {
		await assert.rejects(openPcapLink({iface: 'synack-nope0', ip: 1}), (error: Error) => /^no interface named "synack-nope0" \(interfaces here: .*lo.*\)$/.test(error.message));
	});
});
