import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {decodeFrame} from '../../source/wire/decode.js';
import {TcpdumpPrinter} from '../../source/wire/summary.js';
import {readPcap} from '../helpers/read-pcap.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

// `TZ=UTC tcpdump -n -r X.pcap` lines start with HH:MM:SS.ffffff and a space.
const timestamp = /^\d\d:\d\d:\d\d\.\d{6} /;

function expectedLines(file: string): string[] {
	return fs.readFileSync(path.join(fixtures, file), 'utf8').split('\n').filter(line => line !== '').map(line => {
		assert.match(line, timestamp, `${file}: a line without a timestamp`);
		return line.replace(timestamp, '');
	});
}

const captures = fs.readdirSync(fixtures).filter(name => name.endsWith('.pcap')).sort();

describe('every fixture frame prints as tcpdump printed it', () => {
	test('the kernel captures, the edge cases, MPTCP and stacked VLANs are all here', () => {
		for (const name of ['arp', 'closed-port', 'edge-cases', 'fragment', 'http-close', 'mptcp', 'mptcp-kernel', 'sack', 'vlan-stack']) {
			assert.ok(captures.includes(`${name}.pcap`), `${name}.pcap is missing`);
		}
	});

	for (const capture of captures) {
		const base = capture.slice(0, -'.pcap'.length);
		for (const [suffix, absolute] of [['.tcpdump.txt', false], ['.tcpdump-S.txt', true]] as const) {
			test(`${capture} ${absolute ? '-S ' : ''}= ${base}${suffix}`, () => {
				const frames = readPcap(path.join(fixtures, capture));
				const expected = expectedLines(`${base}${suffix}`);
				assert.equal(frames.length, expected.length, 'one line per frame');
				const printer = new TcpdumpPrinter({absolute});
				const actual = frames.map(frame => printer.line(decodeFrame(frame.bytes), frame.originalLength));
				for (const [index, line] of actual.entries()) {
					assert.equal(line, expected[index], `frame ${index + 1}`);
				}
			});
		}
	}

	test('a snaplen-cut frame without its wire length reads as a truncated datagram', () => {
		const frame = readPcap(path.join(fixtures, 'sack.pcap')).find(frame => frame.bytes.length < frame.originalLength);
		assert.ok(frame, 'sack.pcap holds frames cut by its snaplen');
		const line = new TcpdumpPrinter({absolute: true}).line(decodeFrame(frame.bytes));
		assert.match(line, /^IP truncated-ip - \d+ bytes missing! /);
	});
});
