// The live link's one-line errors, as a user meets them: no privilege, and an interface that is not
// Ethernet. Both need root to set up (a tun device; dropping to `nobody`).
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {openPcapLink} from '../../source/link/pcap-link.js';
import {canMakeLabs} from '../helpers/lab.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('live link errors', () => {
	test('without CAP_NET_RAW: one line that says how to fix it', t => {
		if (!canMakeLabs(t)) return;
		// As `nobody` with no capabilities, on loopback (always there), through the same code.
		const script = `import('./source/link/pcap-link.ts').then(m => m.openPcapLink({iface: 'lo', ip: 0})).then(() => console.log('opened'), e => console.log(e.message))`;
		const result = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all', process.execPath, '--import', 'tsx', '-e', script], {cwd: root, encoding: 'utf8', timeout: 20_000});
		const lines = result.stdout.trim().split('\n');
		assert.equal(lines.length, 1, result.stdout + result.stderr);
		assert.match(lines[0]!, /^no permission to capture on lo: run as root, or grant the capability with: sudo setcap cap_net_raw,cap_net_admin\+eip \//);
	});

	test('an interface that is not Ethernet is refused with its link type', async t => {
		if (!canMakeLabs(t)) return;
		const name = `synack-tun${process.pid % 10_000}`;
		execFileSync('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tun']);
		try {
			execFileSync('ip', ['link', 'set', name, 'up']);
			await assert.rejects(openPcapLink({iface: name, ip: 0}), {name: 'LinkError', message: `${name} is not an Ethernet interface (no MAC address; ARPHRD type 65534); synack speaks Ethernet only`});
		} finally {
			execFileSync('ip', ['link', 'del', name]);
		}
	});
});
