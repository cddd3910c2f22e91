// The stream view in a real terminal (tmux, 100x30 and 80x24): `o` on a kernel's connection captured on
// its own host (checksums offloaded), the answer at the top, `G` at the body's end, `w` writes the
// received octets, and they are what `read --stream --direction in` prints.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {openTerminal, root} from './terminal.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

for (const size of [{columns: 100, rows: 30}, {columns: 80, rows: 24}]) {
	test(`synack read, o, G, w at ${size.columns}x${size.rows}`, async t => {
		assert.ok(fs.existsSync(`${root}dist/cli.js`), 'build first (npm run build): the test runs bin/synack.js');
		const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-stream-view-'));
		t.after(() => fs.rmSync(directory, {recursive: true, force: true}));
		const term = await openTerminal(`synack-stream-${size.columns}`, size);
		t.after(() => term.kill());
		term.keys('-l', `cd ${directory} && clear && node ${root}bin/synack.js read ${root}test/fixtures/offload.pcap; echo "exit=$?"`);
		term.keys('Enter');
		// The offload is said once, at the start.
		await term.waitFor('the viewer', text => text.includes('Packet log  38 frames') && text.includes('TCP checksums not judged from 198.18.233.1'), 30_000);
		term.keys('c');
		await term.waitFor('the conversation list', text => text.includes('Conversations'));
		term.keys('j');
		term.keys('Enter');
		await term.waitFor('the picked conversation', text => text.includes('segment 1/36'));
		term.keys('o');
		const top = await term.waitFor('the stream', text => text.includes('── Stream 198.18.233.1:'));
		const rows = top.split('\n');
		assert.equal(rows[1], '→ GET /bytes/20000 HTTP/1.0');
		assert.ok(rows.slice(1, 8).includes('← HTTP/1.1 200 OK'), top);
		term.keys('G');
		const bottom = await term.waitFor('the end of the body', text => /rows \d+-(\d+)\/\1 /.test(text));
		assert.match(bottom, /^← .*!"#\$$/m, 'the body\'s last octets');
		assert.doesNotMatch(bottom, /HTTP\/1\.1 200 OK/);
		term.keys('w');
		const saved = await term.waitFor('the file written', text => /wrote 20142 B received to synack-[\d-]+-in\.bin/.test(text));
		const name = /synack-[\d-]+-in\.bin/.exec(saved)![0];
		const stream = execFileSync(process.execPath, [`${root}bin/synack.js`, 'read', `${root}test/fixtures/offload.pcap`, '--stream', '--direction', 'in'], {stdio: ['ignore', 'pipe', 'ignore']});
		assert.equal(sha256(fs.readFileSync(path.join(directory, name))), sha256(stream));
		term.keys('Escape');
		await term.waitFor('the packet log again', text => text.includes('segment 1/36') || text.includes('Packet log'));
		term.keys('q');
		const after = await term.waitFor('the shell again', text => /exit=\d+/.test(text));
		assert.match(after, /exit=0/);
	});
}
