import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {fieldLines, frameFields} from '../../source/ui/frame-fields.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type TcpOption} from '../../source/wire/records.js';
import {parseMptcpOption} from '../../source/wire/mptcp.js';
import {TcpdumpPrinter} from '../../source/wire/summary.js';
import {readPcap} from '../helpers/read-pcap.js';
import {seededRandom} from '../helpers/random.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

const next = seededRandom(0x4d_50_54_43);
const below = (limit: number): number => Math.floor(next() * limit);
const randomBytes = (length: number): Uint8Array => Uint8Array.from({length}, () => below(256));

// Lengths of the forms tcpdump and RFC 8684 know, so that random options often reach the deep paths.
const formLengths = [3, 4, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30];

/** Every consumer of a frame's bytes: decoder, both tcpdump numberings, the frame detail. */
function consume(bytes: Uint8Array, wireLength: number, label: string): string {
	try {
		const frame = decodeFrame(bytes);
		const relative = new TcpdumpPrinter().line(frame, wireLength);
		const absolute = new TcpdumpPrinter({absolute: true}).line(frame, wireLength);
		assert.equal(typeof relative, 'string');
		const lines = fieldLines(frameFields(frame));
		assert.ok(lines.length > 0);
		return absolute;
	} catch (error) {
		assert.fail(`${label}: ${String(error)} for ${Buffer.from(bytes).toString('hex')}`);
	}
}

describe('MPTCP options that are random or damaged', () => {
	it('parseMptcpOption gives a record or a reason for any bytes (20,000 options)', () => {
		for (let round = 0; round < 20_000; round++) {
			const data = randomBytes(below(40));
			if (data.length > 0 && next() < 0.8) {
				data[0] = (below(16) << 4) | below(16);
			}

			const result = parseMptcpOption(data);
			assert.ok(result.ok || result.reason.length > 0, Buffer.from(data).toString('hex'));
		}
	});

	it('random MPTCP options in real segments never throw, and print as an mptcp option (20,000 frames)', () => {
		for (let round = 0; round < 20_000; round++) {
			// TCP has 40 octets for options: two NOPs, perhaps a timestamp, and the MPTCP option.
			const timestamps = next() < 0.3;
			const room = 40 - 2 - (timestamps ? 10 : 0);
			const fitting = formLengths.filter(length => length <= room);
			const length = next() < 0.7 ? fitting[below(fitting.length)]! : 2 + below(room - 1);
			const data = randomBytes(length - 2);
			if (data.length > 0) {
				data[0] = (below(16) << 4) | (next() < 0.5 ? below(2) : below(16));
			}

			const options: TcpOption[] = [{kind: 'nop'}, {kind: 'nop'}, {kind: 'unknown', type: 30, data}];
			if (timestamps) {
				options.unshift({kind: 'timestamps', value: below(2 ** 32), echo: below(2 ** 32)});
			}

			const bytes = tcpFrame({
				sourceMac: 2, destinationMac: 4, source: below(2 ** 32), destination: below(2 ** 32),
				sourcePort: 40_000 + below(1000), destinationPort: 9999, seq: below(2 ** 32), ack: below(2 ** 32),
				flags: below(256), options, payload: randomBytes(below(8)),
			});
			const line = consume(bytes, bytes.length, `round ${round}`);
			assert.match(line, /mptcp/, `round ${round}: ${line}`);
			// A cut anywhere: the line may end early, never throw.
			const cut = 14 + below(bytes.length - 13);
			consume(bytes.subarray(0, cut), bytes.length, `round ${round} cut at ${cut}`);
		}
	});

	it('the MPTCP fixtures with flipped bits, lying lengths and cuts never throw (20,000 frames)', () => {
		const frames = [...readPcap(path.join(fixtures, 'mptcp.pcap')), ...readPcap(path.join(fixtures, 'mptcp-kernel.pcap'))]
			.filter(frame => frame.bytes.length === frame.originalLength)
			.map(frame => frame.bytes);
		assert.ok(frames.length > 100);
		for (let round = 0; round < 20_000; round++) {
			const bytes = frames[below(frames.length)]!.slice();
			// The TCP options start at 54 in these untagged frames; damage there, sometimes the length octets.
			for (let flips = 1 + below(4); flips > 0; flips--) {
				const at = Math.min(bytes.length - 1, 54 + below(40));
				bytes[at] = next() < 0.5 ? below(256) : bytes[at]! ^ (1 << below(8));
			}

			const cut = next() < 0.2 ? 14 + below(bytes.length - 13) : bytes.length;
			consume(bytes.subarray(0, cut), bytes.length, `round ${round}`);
		}
	});
});
