/** @jsxRuntime automatic */
/** @jsxImportSource react */
// The frame detail wraps what does not fit (the verdict above all) instead of cutting it.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {makeSegment} from '../../source/engine/segment.js';
import {PacketLog} from '../../source/session/packet-log.js';
import {detailLines, LogDetail} from '../../source/ui/log-detail.js';
import {makeTheme, ThemeContext} from '../../source/ui/theme.js';
import {wrapWords} from '../../source/ui/wrap-text.js';
import {encodeFrame} from '../../source/wire/encode.js';
import {tcpFlags} from '../../source/wire/records.js';
import {renderInk} from '../helpers/ink.js';
import {ourIp, peerIp} from './peer.js';

const verdict = 'retransmission: 1..757 already received (RCV.NXT 757); a real stack ACKs it again at once and drops the duplicate bytes';

function retransmitted() {
	const log = new PacketLog(10);
	const bytes = encodeFrame({ethernet: {destination: 2, source: 1}, ipv4: {source: peerIp, destination: ourIp, ttl: 64}, tcp: makeSegment({sourcePort: 80, destinationPort: 40_000, seq: 1, ack: 1, flags: tcpFlags.ACK | tcpFlags.PSH, window: 502, options: [], payload: new Uint8Array(756)})});
	log.append({direction: 'in', timestamp: {seconds: 1, nanoseconds: 0}, bytes, annotations: [{code: 'retransmission', severity: 'info', text: verdict, rfc: 'RFC 9293 §3.10.7.4'}]});
	return log.at(0)!;
}

describe('frame detail', () => {
	test('at 80 columns the whole verdict is on screen, wrapped under its value', async () => {
		const ui = await renderInk(<ThemeContext.Provider value={makeTheme({color: false, ascii: false})}><LogDetail entry={retransmitted()} offset={0} width={80} height={23} /></ThemeContext.Provider>);
		const lines = ui.screen().split('\n');
		const start = lines.findIndex(line => line.startsWith('  info: retransmission: 1..757'));
		assert.ok(start > 0, ui.screen());
		const note = lines.slice(start, start + 3).map(line => line.trimEnd());
		assert.match(note[1]!, /^ {8}\S/, 'the continuation starts under the value');
		assert.equal(note.map(line => line.trim()).join(' ').replace(/ \(RFC.*$/, ''), `info: ${verdict}`);
		assert.match(note.join(' '), /\(RFC 9293 §3\.10\.7\.4\)/);
		for (const line of lines) assert.ok(line.length <= 80, line);
		ui.unmount();
	});

	test('no line is cut at any width: the words on screen are the words of the fields', () => {
		const entry = retransmitted();
		const wide = detailLines(entry, undefined, 1000);
		for (const width of [40, 60, 80]) {
			const lines = detailLines(entry, undefined, width);
			for (const line of lines) assert.ok(line.length <= width, `${width}: ${line}`);
			const words = (text: string[]) => text.join(' ').split(/\s+/).filter(Boolean);
			assert.deepEqual(words(lines), words(wide), `${width} columns`);
		}
	});
});

describe('wrapWords', () => {
	test('breaks at spaces, keeps the first line\'s indentation, hangs the rest', () => {
		assert.deepEqual(wrapWords('  ab cd ef', 7, '    '), ['  ab cd', '    ef']);
		assert.deepEqual(wrapWords('short', 40, '  '), ['short']);
		assert.deepEqual(wrapWords('', 10), ['']);
	});

	test('a word longer than the line is cut where the line ends, nothing lost', () => {
		assert.deepEqual(wrapWords('abcdefghij kl', 4, ' '), ['abcd', ' efg', ' hij', ' kl']);
	});
});
