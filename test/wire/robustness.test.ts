import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {encodeFrame, exactOverrides, frameSpecOf} from '../../source/wire/encode.js';
import {type DecodedFrame, tcpFlags} from '../../source/wire/records.js';
import {kernelFrames} from './kernel-frames-fixture.js';
import {seededRandom} from '../helpers/random.js';

const next = seededRandom(0x5e_ed);
const below = (limit: number): number => Math.floor(next() * limit);

/** Checks what must hold for any decode, and returns whether the frame decoded cleanly. */
function checkInvariants(bytes: Uint8Array, frame: DecodedFrame, label: string): void {
	assert.equal(frame.length, bytes.length, label);
	if (frame.error) {
		assert.ok(frame.error.layer && frame.error.field && frame.error.reason.length > 0, label);
	} else {
		// Without an error, every layer the frame announces was decoded (or the capture ended first).
		const {ethernet, ipv4} = frame;
		assert.ok(ethernet, label);
		if (ethernet.etherType === 0x08_06) {
			assert.ok(frame.arp, label);
		}

		if (ethernet.etherType === 0x08_00) {
			assert.ok(ipv4, label);
			if (ipv4.protocol === 6 && ipv4.fragmentOffset === 0) {
				assert.ok(frame.tcp ?? frame.truncated, label);
			}
		}
	}

	if (frame.tcp && (frame.truncated || frame.ipv4?.moreFragments)) {
		assert.equal(frame.tcpChecksumOk, undefined, label);
	}

	// Whatever was decoded encodes back to the bytes it came from (IPv4 drops the link padding).
	const spec = frameSpecOf(frame);
	if (!spec) {
		assert.ok(frame.error?.layer === 'ethernet', label);
		return;
	}

	let expected = bytes;
	if (frame.ipv4 && !frame.truncated) {
		const linkHeader = 14 + (4 * (frame.ethernet?.tags?.length ?? 0));
		expected = bytes.subarray(0, linkHeader + frame.ipv4.totalLength);
	}

	assert.deepEqual(encodeFrame(spec, exactOverrides(frame)), expected, label);
}

function decodeChecked(bytes: Uint8Array, label: string): void {
	let frame: DecodedFrame;
	try {
		frame = decodeFrame(bytes);
	} catch (error) {
		assert.fail(`${label}: decodeFrame threw ${String(error)} for ${Buffer.from(bytes).toString('hex')}`);
	}

	checkInvariants(bytes, frame, `${label}: ${Buffer.from(bytes).toString('hex')}`);
}

function seeds(): Uint8Array[] {
	const frames = [...kernelFrames().values()];
	for (let index = 0; index < 20; index++) {
		const options = [{kind: 'mss', value: below(65_536)}, {kind: 'sack', blocks: [[below(2 ** 32), below(2 ** 32)]]}, {kind: 'timestamps', value: 1, echo: 2}] as const;
		frames.push(tcpFrame({
			sourceMac: below(2 ** 48), destinationMac: below(2 ** 48), source: below(2 ** 32), destination: below(2 ** 32),
			sourcePort: below(65_536), destinationPort: below(65_536), seq: below(2 ** 32), ack: below(2 ** 32),
			flags: tcpFlags.ACK | tcpFlags.PSH, options: options.slice(0, below(4)), payload: Uint8Array.from({length: below(40)}, () => below(256)),
		}, {pad: next() < 0.5}));
	}

	return frames;
}

// Offsets of fields that lie about lengths, from the start of an untagged IPv4 frame.
const ihlAt = 14;
const totalLengthAt = 16;
const dataOffsetAt = 46;
const firstOptionAt = 54;

describe('decodeFrame on hostile input', () => {
	it('never throws, and every result is clean, a named fault or a marked partial (>= 100,000 frames)', () => {
		let count = 0;
		const base = seeds();
		for (const [index, frame] of base.entries()) {
			for (let length = 0; length <= frame.length; length++) {
				decodeChecked(frame.subarray(0, length), `seed ${index} cut at ${length}`);
				count++;
			}
		}

		const mutations: Array<[string, (bytes: Uint8Array) => void]> = [
			['bit flips', bytes => {
				for (let flips = 1 + below(4); flips > 0; flips--) {
					const at = below(bytes.length);
					bytes[at]! ^= 1 << below(8);
				}
			}],
			['lying IHL', bytes => {
				bytes[ihlAt] = (bytes[ihlAt]! & 0xf0) | below(16);
			}],
			['lying total length', bytes => {
				const value = below(4) === 0 ? below(65_536) : bytes.length - 14 + below(41) - 20;
				bytes[totalLengthAt] = value >>> 8;
				bytes[totalLengthAt + 1] = value;
			}],
			['lying data offset', bytes => {
				bytes[dataOffsetAt] = (below(16) << 4) | (bytes[dataOffsetAt]! & 0x0f);
			}],
			['lying option lengths', bytes => {
				for (let at = firstOptionAt; at < Math.min(bytes.length, firstOptionAt + 40); at++) {
					if (next() < 0.2) {
						bytes[at] = below(4) === 0 ? below(256) : below(12);
					}
				}
			}],
			['random bytes after a sane header', bytes => {
				for (let at = 14 + below(40); at < bytes.length; at++) {
					bytes[at] = below(256);
				}
			}],
		];
		for (const [name, mutate] of mutations) {
			for (let round = 0; round < 20_000; round++) {
				const bytes = base[below(base.length)]!.slice();
				mutate(bytes);
				const cut = next() < 0.2 ? below(bytes.length + 1) : bytes.length;
				decodeChecked(bytes.subarray(0, cut), `${name} #${round}`);
				count++;
			}
		}

		const etherTypes = [0x08_00, 0x08_06, 0x81_00, 0x88_a8, 0x91_00, 0x86_dd, below(65_536)];
		for (let round = 0; round < 20_000; round++) {
			const bytes = Uint8Array.from({length: below(120)}, () => below(256));
			if (bytes.length >= 14 && next() < 0.8) {
				const type = etherTypes[below(etherTypes.length)]!;
				bytes[12] = type >>> 8;
				bytes[13] = type;
				if (bytes.length > 14 && type === 0x08_00) {
					bytes[14] = 0x40 | (bytes[14]! & 0x0f);
				}
			}

			decodeChecked(bytes, `random #${round}`);
			count++;
		}

		assert.ok(count >= 100_000, `only ${count} frames`);
	});
});
