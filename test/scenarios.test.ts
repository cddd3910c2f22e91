// The conformance suite (issue #9): every script under test/scenarios/ runs against the Linux kernel in
// one lab, each with a fresh session, and every step must pass. SYNACK_SCENARIOS=word runs only the
// scripts whose file name contains the word.
import assert from 'node:assert/strict';
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
			const parsed = parseScenario(readFileSync(join(folder, name), 'utf8'));
			assert.ok(parsed.ok, parsed.ok ? '' : `${name}:${parsed.line}:${parsed.column}: ${parsed.message}`);
			const session = new Session({link: await openPcapLink({iface: lab.interface, ip}), ip, network: parseIpv4(lab.subnet.split('/')[0]!), prefixLength: lab.prefixLength, timings: labTimings});
			current = session;
			try {
				await session.host.claimed();
				const report = await runScenario(parsed.steps, {session, variables: {peer: lab.peerAddress, ip: lab.suggestedAddress}});
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
