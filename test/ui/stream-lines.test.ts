import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {seqAdd} from '../../source/engine/seq.js';
import {reassemble, type StreamSegment, StreamReassembler} from '../../source/session/stream-reassembly.js';
import {escapeText, StreamLayout} from '../../source/ui/stream-lines.js';
import {tcpFlags} from '../../source/wire/records.js';

const {SYN, ACK} = tcpFlags;
const text = (value: string) => new TextEncoder().encode(value);
const data = (side: 'in' | 'out', at: number, payload: string | Uint8Array): StreamSegment => ({side, seq: seqAdd(side === 'out' ? 100 : 900, 1 + at), flags: ACK, payload: typeof payload === 'string' ? text(payload) : payload});
const syns: StreamSegment[] = [{side: 'out', seq: 100, flags: SYN, payload: new Uint8Array(0)}, {side: 'in', seq: 900, flags: SYN | ACK, payload: new Uint8Array(0)}];

function view(stream: StreamReassembler) {
	return {runs: stream.runs(), bytesOf: stream.bytesOf.bind(stream)};
}

function texts(stream: StreamReassembler, width: number, mode: 'text' | 'hex' = 'text', marker?: number): string[] {
	const layout = new StreamLayout(width, mode);
	const data = view(stream);
	layout.update(data);
	return layout.rows(data, 0, 1000, marker).map(row => `${row.kind === 'marker' ? '--' : row.side === 'out' ? '->' : '<-'} ${row.text}`);
}

describe('stream rows', () => {
	it('shows each line of each side on its own row, CR LF ending the row, other controls escaped', () => {
		const stream = reassemble([...syns, data('out', 0, 'GET / HTTP/1.0\r\n\r\n'), data('in', 0, 'HTTP/1.1 200 OK\r\nA:\tb\\\x01\r\n\r\n\xff')]);
		assert.deepEqual(texts(stream, 80), ['-> GET / HTTP/1.0', '-> ', '<- HTTP/1.1 200 OK', '<- A:\\tb\\\\\\x01', '<- ', '<- \\xc3\\xbf']);
	});

	it('wraps a long line at the width, never splitting an escape', () => {
		const stream = reassemble([...syns, data('in', 0, 'abcdefgh\x01ij')]);
		// 12 columns: the margin takes 2, leaving 10; `\x01` (4 columns) does not fit after 8.
		assert.deepEqual(texts(stream, 12), ['<- abcdefgh', '<- \\x01ij']);
	});

	it('shows a hole as [gap of N bytes], and the data after it', () => {
		const stream = reassemble([...syns, data('in', 0, 'abc\n'), data('in', 14, 'xyz')]);
		assert.deepEqual(texts(stream, 40), ['<- abc', '<- [gap of 10 bytes]', '<- xyz']);
	});

	it('puts the read marker after the row with the last octet read, or first when none is read', () => {
		const stream = reassemble([...syns, data('out', 0, 'q\n'), data('in', 0, 'one\ntwo\nthree\n')]);
		const marker = '-- read up to here: 5 B read by the application';
		assert.deepEqual(texts(stream, 40, 'text', 5), ['-> q', '<- one', '<- two', marker, '<- three']);
		assert.equal(texts(stream, 40, 'text', 0)[1], '-- read up to here: 0 B read by the application');
		assert.equal(texts(stream, 40, 'text', 14).at(-1), '-- read up to here: 14 B read by the application');
	});

	it('shows hex with offsets in the side\'s stream, 16 octets a row when they fit', () => {
		const stream = reassemble([...syns, data('in', 0, 'HTTP/1.1 200 OK\r\nX')]);
		assert.deepEqual(texts(stream, 80, 'hex'), [
			'<- 00000000  48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d  |HTTP/1.1 200 OK.|',
			'<- 00000010  0a 58                                            |.X|',
		]);
		assert.equal(texts(stream, 50, 'hex').length, 3, '8 a row at 50 columns');
	});

	it('lays out data as it arrives the same as all at once', () => {
		const body = text(Array.from({length: 400}, (_, i) => `line ${i} ${'x'.repeat(i % 97)}\r\n`).join(''));
		const growing = new StreamReassembler();
		const layout = new StreamLayout(60, 'text');
		for (const segment of syns) growing.add(segment);
		for (let at = 0; at < body.length; at += 1000) {
			growing.add(data('in', at, body.subarray(at, at + 1000)));
			layout.update(view(growing));
		}

		const whole = new StreamLayout(60, 'text');
		whole.update(view(growing));
		assert.equal(layout.rowCount, whole.rowCount);
		assert.deepEqual(layout.rows(view(growing), 0, 5000), whole.rows(view(growing), 0, 5000));
		assert.equal(layout.rows(view(growing), 0, 1)[0]!.text, 'line 0 ');
	});

	it('builds only the rows on screen for a 2 MiB body, quickly', () => {
		const body = new Uint8Array(2 * 1024 * 1024);
		for (let i = 0; i < body.length; i++) body[i] = i % 73 === 72 ? 0x0a : 0x21 + (i % 94);
		const segments = [...syns, data('out', 0, 'GET /bytes/2097152 HTTP/1.0\r\n\r\n')];
		for (let at = 0; at < body.length; at += 1448) segments.push(data('in', at, body.subarray(at, at + 1448)));
		const stream = reassemble(segments);
		const started = performance.now();
		const layout = new StreamLayout(100, 'text');
		layout.update(view(stream));
		const rows = layout.rows(view(stream), layout.rowCount - 28, 28);
		const elapsed = performance.now() - started;
		assert.equal(layout.rowCount, 2 + Math.ceil(body.length / 73));
		assert.equal(rows.length, 28);
		assert.equal(layout.built, 28, 'only the window was built');
		assert.equal(rows.at(-1)!.text, escapeText(body, body.length - (body.length % 73)));
		// Loose: one pass over 2 MiB takes ~20 ms here; a layout that built every row would take seconds.
		assert.ok(elapsed < 1500, `layout and window took ${elapsed} ms`);
		const again = performance.now();
		layout.rows(view(stream), 15_000, 28);
		assert.ok(performance.now() - again < 50, 'a page from the middle is immediate');
	});
});
