// The ARP claim and neighbour resolution against the Linux kernel in a lab (issue: ARP claim).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {describe, test, type TestContext} from 'node:test';
import {promisify} from 'node:util';
import {labTimings} from '../../source/iface/arp-claim.js';
import type {LabInfo} from '../../source/lab/index.js';
import {openPcapLink} from '../../source/link/pcap-link.js';
import {ClaimConflictError, Host, ResolveError} from '../../source/session/host.js';
import {formatMac, parseIpv4} from '../../source/wire/addresses.js';
import {inLab, useLab} from '../helpers/lab.js';

const run = promisify(execFile);

/** A host on the lab's interface; closed before the lab goes (cap aborts if the interface vanishes). */
async function hostOn(t: TestContext, lab: LabInfo, ip: string, options: {probe?: boolean} = {}): Promise<Host> {
	const link = await openPcapLink({iface: lab.interface, ip: parseIpv4(ip)});
	const host = new Host({
		link,
		ip: parseIpv4(ip),
		network: parseIpv4(lab.subnet.split('/')[0]!),
		prefixLength: lab.prefixLength,
		timings: labTimings,
		probe: options.probe,
		neighbours: {retryInterval: 200},
	});
	return host;
}

async function closing<T>(host: Host, body: () => Promise<T>): Promise<T> {
	try {
		return await body();
	} finally {
		host.close();
		host.link.close();
	}
}

describe('ARP claim against the kernel', () => {
	test('a claim completes in under a second; the kernel learns our MAC and arping -D sees the address in use', async t => {
		const lab = await useLab(t);
		if (!lab) return;
		const host = await hostOn(t, lab, lab.suggestedAddress);
		await closing(host, async () => {
			const started = performance.now();
			await host.claimed();
			const elapsed = performance.now() - started;
			assert.ok(elapsed < 1000, `claimed after ${elapsed.toFixed(0)} ms`);
			assert.deepEqual({probes: host.claim.probesSent, phase: host.claim.phase === 'announcing' || host.claim.phase === 'claimed'}, {probes: 3, phase: true});

			// The kernel learns us when it needs us: a connection attempt from the namespace makes it ask
			// who-has, and the claim answers. (Lab TCP to us goes unanswered here: no engine on this host.)
			await run('ip', ['netns', 'exec', lab.namespace, 'curl', '-s', '--max-time', '0.5', `http://${lab.suggestedAddress}:9/`]).catch(() => undefined);
			const neighbours = inLab(lab, 'ip', ['neigh', 'show', lab.suggestedAddress]).toString();
			assert.match(neighbours, new RegExp(`lladdr ${formatMac(host.link.mac)}`), neighbours);
			assert.ok(host.claim.requestsAnswered >= 1);

			// iputils arping -D exits 1 when someone answers for the address.
			const arping = await run('ip', ['netns', 'exec', lab.namespace, 'arping', '-D', '-c', '2', '-w', '3', '-I', lab.peerInterface, lab.suggestedAddress]).then(
				() => ({code: 0, out: ''}),
				(error: {code: number; stdout: string}) => ({code: error.code, out: error.stdout}),
			);
			assert.equal(arping.code, 1, `arping -D should see the address in use: ${arping.out}`);
			assert.match(arping.out, new RegExp(`reply from ${lab.suggestedAddress.replaceAll('.', '\\.')} \\[${formatMac(host.link.mac).toUpperCase()}\\]`, 'i'));
		});
	});

	test('claiming the kernel\'s own address fails with a conflict and sends no announcement', async t => {
		const lab = await useLab(t);
		if (!lab) return;
		const host = await hostOn(t, lab, lab.peerAddress);
		await closing(host, async () => {
			await assert.rejects(host.claimed(), (error: Error) => error instanceof ClaimConflictError && error.message.includes(`${lab.peerAddress} is already in use by ${lab.peerMac}`));
			await new Promise(resolve => setTimeout(resolve, 300));
			assert.equal(host.claim.phase, 'conflict');
			assert.equal(host.claim.announcementsSent, 0);
			const out = host.log.slice(0, host.log.size).filter(entry => entry.direction === 'out');
			assert.ok(out.length >= 1 && out.every(entry => entry.annotations.some(a => a.code === 'arp-probe')), out.map(e => e.annotations.map(a => a.code).join()).join(' '));
		});
	});

	test('resolving an address nobody holds fails after the retries with a clear error', async t => {
		const lab = await useLab(t);
		if (!lab) return;
		const host = await hostOn(t, lab, lab.suggestedAddress, {probe: false});
		await closing(host, async () => {
			await host.claimed();
			const nobody = lab.suggestedAddress.replace(/\.\d+$/, '.99');
			assert.equal(await host.resolve(parseIpv4(lab.peerAddress)), parseIpv4Mac(lab.peerMac));
			await assert.rejects(host.resolve(parseIpv4(nobody)), new ResolveError(`no ARP reply from ${nobody} after 3 tries`));
		});
	});
});

function parseIpv4Mac(text: string): number {
	return Number.parseInt(text.replaceAll(':', ''), 16);
}
