// The conformance suite (issue #9): every script under test/scenarios/ runs against the Linux kernel in
// one lab, each with a fresh session, and every step must pass. SYNACK_SCENARIOS=word runs only the
// scripts whose file name contains the word.
//
// Scripts only drive our side. A script whose header says `# kernel connects: P -> Q` also needs the
// kernel to open a connection: this runner starts curl in the lab, from the kernel's port P to our
// port Q, shortly after the script starts (for the simultaneous open).
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {labTimings} from '../source/iface/arp-claim.js';
import {openPcapLink} from '../source/link/pcap-link.js';
import {parseScenario} from '../source/session/scenario-parse.js';
import {runScenario, type StepResult} from '../source/session/scenario-run.js';
import {Session} from '../source/session/session.js';
import {parseIpv4} from '../source/wire/addresses.js';
import {beforeLabDown, useLab} from './helpers/lab.js';

const folder = fileURLToPath(new URL('scenarios/', import.meta.url));
const only = process.env['SYNACK_SCENARIOS'];
const scripts = readdirSync(folder).filter(name => name.endsWith('.syn') && (only === undefined || name.includes(only))).sort();

/** curl in the lab from port `from` to our `to`, after `delayMs`; returns a stop function. */
function kernelConnects(namespace: string, ip: string, from: number, to: number, delayMs: number): () => void {
	let stopped = false;
	let child: ReturnType<typeof spawn> | undefined;
	const timer = setTimeout(() => {
		if (stopped) return;
		child = spawn('ip', ['netns', 'exec', namespace, 'curl', '-s', '-o', '/dev/null', '--local-port', String(from), '--max-time', '4', `http://${ip}:${to}/`], {stdio: 'ignore'});
		child.on('error', () => undefined);
	}, delayMs);
	return () => {
		stopped = true;
		clearTimeout(timer);
		if (child?.exitCode === null) child.kill();
	};
}

function failure(file: string, result: StepResult): string {
	return `${file}:${result.step.line}: ${result.step.text}: ${result.message ?? 'failed'}`;
}

test('the suite holds at least 20 scenarios, each with a header saying what it checks and where the RFC says so', {skip: only !== undefined}, () => {
	assert.ok(scripts.length >= 20, `${scripts.length} scenarios`);
	for (const name of scripts) {
		const header = readFileSync(join(folder, name), 'utf8').split('\n').filter(line => line.startsWith('#'));
		assert.ok(header.length >= 2, `${name}: a header comment`);
		assert.match(header.join('\n'), /RFC \d+/, `${name}: the header cites an RFC`);
	}
});

test('every scenario passes against the kernel in a lab', {timeout: 150_000}, async t => {
	const lab = await useLab(t);
	if (!lab) return;
	const ip = parseIpv4(lab.suggestedAddress);
	let current: Session | undefined;
	beforeLabDown(lab, () => current?.close());
	for (const name of scripts) {
		await t.test(name, {timeout: 30_000}, async () => {
			const source = readFileSync(join(folder, name), 'utf8');
			const parsed = parseScenario(source);
			assert.ok(parsed.ok, parsed.ok ? '' : `${name}:${parsed.line}:${parsed.column}: ${parsed.message}`);
			const session = new Session({link: await openPcapLink({iface: lab.interface, ip}), ip, network: parseIpv4(lab.subnet.split('/')[0]!), prefixLength: lab.prefixLength, timings: labTimings});
			current = session;
			try {
				await session.host.claimed();
				const client = /^# kernel connects: (\d+) -> (\d+)$/m.exec(source);
				const stopClient = client ? kernelConnects(lab.namespace, lab.suggestedAddress, Number(client[1]), Number(client[2]), 300) : () => undefined;
				let report;
				try {
					report = await runScenario(parsed.steps, {session, variables: {peer: lab.peerAddress, ip: lab.suggestedAddress}});
				} finally {
					stopClient();
				}

				const failed = report.results.filter(result => !result.ok).map(result => failure(name, result));
				assert.deepEqual(failed, [], failed.join('\n'));
				assert.equal(report.passed, parsed.steps.length);
			} finally {
				session.close();
				current = undefined;
			}
		});
	}
});
