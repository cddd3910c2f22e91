/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {loadCapture} from '../../source/session/capture.js';
import type {StreamSide} from '../../source/session/stream-reassembly.js';
import {App} from '../../source/ui/app.js';
import {ReadApp} from '../../source/ui/read-app.js';
import {makeTheme} from '../../source/ui/theme.js';
import {chargenSlice} from '../../source/lab/chargen-pattern.js';
import {eventually} from '../helpers/eventually.js';
import {keys, renderInk, settle} from '../helpers/ink.js';
import {memorySession, peerIp} from './peer.js';

const fixture = (name: string) => path.join(new URL('../fixtures/', import.meta.url).pathname, name);
const plain = makeTheme({color: false, ascii: false});
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

type Saved = {side: StreamSide; bytes: Uint8Array; missing: number};

describe('the stream view (o)', () => {
	test('live: both sides of the exchange, → ours and ← theirs, the read marker; Esc back', async () => {
		const {session, peer} = await memorySession({reply: 'HTTP/1.1 200 OK\r\n\r\nhello\x01'});
		const saved: Saved[] = [];
		const ui = await renderInk(<App session={session} theme={plain} onWriteStream={(side, bytes, missing) => {
			saved.push({side, bytes: bytes.slice(), missing});
			return `wrote ${bytes.length} B`;
		}} />);
		try {
			const id = await session.connect({ip: peerIp, port: 80}, {localPort: 40_000, iss: 1000});
			await ui.waitFor('CLOSED  manual');
			await ui.press('o');
			await ui.waitFor('no data in either direction yet');
			await ui.press(keys.escape);
			await ui.waitFor('Packet log');
			session.syn(id);
			await eventually(() => session.tcb(id).state === 'ESTABLISHED', 'handshake');
			session.ack(id);
			session.data(id, new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n'));
			await eventually(() => session.tcb(id).readable > 0, 'the reply');
			await ui.press('o');
			const screen = await ui.waitFor('← hello\\x01');
			assert.match(screen, /Stream 198\.18\.0\.10:40000 → 198\.18\.0\.2:80 {2}rows 1-\d+\/\d+ {2}out 18 B {2}in 25 B {2}read 0 {2}text/);
			const rows = screen.split('\n').slice(1, 8);
			assert.deepEqual(rows.slice(0, 6), ['→ GET / HTTP/1.0', '→', '── read up to here: 0 B read by the application ──', '← HTTP/1.1 200 OK', '←', '← hello\\x01']);
			// The application reads: the marker moves after what it took.
			session.read(id);
			await ui.press('j');
			await ui.waitFor('read up to here: 25 B');
			assert.equal(peer.segments.length > 0, true);
			await ui.press('w');
			await ui.waitFor('wrote 25 B');
			await ui.press('d');
			await ui.press('w');
			await ui.waitFor('wrote 18 B');
			assert.deepEqual(saved.map(({side, bytes}) => [side, decode(bytes)]), [['in', 'HTTP/1.1 200 OK\r\n\r\nhello\x01'], ['out', 'GET / HTTP/1.0\r\n\r\n']]);
			await ui.press(keys.escape);
			await ui.waitFor('Packet log');
		} finally {
			ui.unmount();
			session.close();
		}
	});

	test('read: a capture\'s conversation, HTTP/1.1 200 OK near the top, G at the body\'s end, x hex, w the body', async () => {
		const capture = loadCapture(fixture('offload.pcap'));
		const saved: Saved[] = [];
		const ui = await renderInk(<ReadApp capture={capture} theme={plain} onWriteStream={(side, bytes, missing) => {
			saved.push({side, bytes: bytes.slice(), missing});
			return `wrote ${bytes.length} B`;
		}} />);
		try {
			Object.defineProperty(ui.stdout, 'columns', {value: 80});
			ui.stdout.emit('resize');
			await settle();
			await ui.press('o');
			await ui.waitFor('this frame is in no TCP conversation');
			await ui.press('c');
			await ui.press('j');
			await ui.press(keys.enter);
			await ui.press('o');
			const top = await ui.waitFor('← HTTP/1.1 200 OK');
			assert.match(top, /^→ GET \/bytes\/20000 HTTP\/1\.0$/m);
			assert.doesNotMatch(top, /read up to here/, 'a capture has no reader');
			await ui.press('G');
			const body = chargenSlice(0, 20_000).toString();
			const bottom = await ui.waitFor('rows 261-282/282');
			// The last row is the body's last line (it ends without a line feed), then the keys.
			assert.equal(bottom.split('\n').at(-2), `← ${body.slice(body.lastIndexOf('\n') + 1)}`);
			assert.doesNotMatch(bottom, /HTTP\/1\.1 200 OK/);
			await ui.press('x');
			await ui.waitFor('00004ea0  76 77 78 79 7a 7b 7c 7d 7e 20 21 22 23 24        |vwxyz{|}~ !"#$|');
			await ui.press('w');
			await ui.waitFor('wrote 20142 B');
			const saving = saved[0]!.bytes;
			assert.deepEqual(Buffer.from(saving.subarray(decode(saving).indexOf('\r\n\r\n') + 4)), chargenSlice(0, 20_000));
			await ui.press('g');
			await ui.waitFor('GET /bytes/20000');
			await ui.press(keys.escape);
			await ui.waitFor('Conversation 1 of 1');
		} finally {
			ui.unmount();
		}
	});
});
