import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import type {CapturedFrame} from '../../source/link/link.js';

const endA = {name: 'a', mac: 0x02_00_00_00_00_0a};
const endB = {name: 'b', mac: 0x02_00_00_00_00_0b};

function collect(link: {onFrame(l: (f: CapturedFrame) => void): () => void}): CapturedFrame[] {
	const frames: CapturedFrame[] = [];
	link.onFrame(frame => frames.push(frame));
	return frames;
}

async function settle(ms = 0): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, ms));
}

describe('memory link pair', () => {
	test('delivers a copy of each frame to the other end only', async () => {
		const [a, b] = createMemoryLinkPair(endA, endB);
		const atA = collect(a);
		const atB = collect(b);
		const frame = new Uint8Array([1, 2, 3, 4]);
		a.send(frame);
		frame[0] = 99;
		await settle();
		assert.equal(atA.length, 0);
		assert.equal(atB.length, 1);
		assert.deepEqual([...atB[0]!.bytes], [1, 2, 3, 4]);
		assert.deepEqual(a.stats(), {received: 0, sent: 1, dropped: 0, droppedSource: 'exact'});
		assert.equal(b.stats().received, 1);
	});

	test('applies the delay', async () => {
		const [a, b] = createMemoryLinkPair(endA, endB, {delayMs: 30});
		const atB = collect(b);
		a.send(new Uint8Array([1]));
		await settle(5);
		assert.equal(atB.length, 0);
		await settle(60);
		assert.equal(atB.length, 1);
	});

	test('loses frames with the given probability, counted as drops', async () => {
		let i = 0;
		// Lose every other frame, deterministically.
		const [a, b] = createMemoryLinkPair(endA, endB, {loss: 0.5, random: () => (i++ % 2 === 0 ? 0.1 : 0.9)});
		const atB = collect(b);
		for (let n = 0; n < 10; n++) a.send(new Uint8Array([n]));
		await settle();
		assert.deepEqual(atB.map(f => f.bytes[0]), [1, 3, 5, 7, 9]);
		assert.equal(a.stats().dropped, 5);
	});

	test('a closed link refuses to send and receives nothing', async () => {
		const [a, b] = createMemoryLinkPair(endA, endB, {delayMs: 10});
		const atB = collect(b);
		a.send(new Uint8Array([1]));
		b.close();
		await settle(30);
		assert.equal(atB.length, 0);
		assert.throws(() => b.send(new Uint8Array([1])), /closed/);
	});
});

describe('recording link', async () => {
	const {mkdtempSync, rmSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const {join} = await import('node:path');
	const {recordingLink} = await import('../../source/link/recording-link.js');
	const {PcapReader} = await import('../../source/link/pcap-file.js');

	test('writes every frame in and out, in order', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'synack-rec-'));
		try {
			const [a, b] = createMemoryLinkPair(endA, endB);
			const recorded = recordingLink(a, join(dir, 'x.pcap'));
			const seen = collect(recorded);
			recorded.send(new Uint8Array([1, 1, 1]));
			b.send(new Uint8Array([2, 2]));
			await settle();
			recorded.send(new Uint8Array([3]));
			recorded.close();
			assert.equal(seen.length, 1);
			const reader = PcapReader.open(join(dir, 'x.pcap'));
			const frames = [...reader.records()].map(r => [...r.bytes]);
			reader.close();
			assert.deepEqual(frames, [[1, 1, 1], [2, 2], [3]]);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
