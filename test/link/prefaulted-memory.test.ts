import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {setTimeout as sleep} from 'node:timers/promises';
import {describe, it} from 'node:test';
import {FrameSlab, isSlabCopy} from '../../source/link/frame-slab.js';
import {PrefaultedMemory} from '../../source/link/prefaulted-memory.js';

async function takeWithin(memory: PrefaultedMemory, ms: number): Promise<SharedArrayBuffer | undefined> {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		const taken = memory.take();
		if (taken !== undefined) return taken;
		await sleep(5);
	}

	return undefined;
}

describe('PrefaultedMemory', () => {
	it('hands out buffers of the size asked, up to the total, then ends its worker', async () => {
		const memory = new PrefaultedMemory({size: 1 << 16, ahead: 2, total: 3 << 16});
		try {
			const buffers: SharedArrayBuffer[] = [];
			for (let i = 0; i < 3; i++) {
				const taken = await takeWithin(memory, 5000);
				assert.ok(taken, `buffer ${i} within 5 s`);
				buffers.push(taken);
			}

			assert.deepEqual(buffers.map(buffer => buffer.byteLength), [1 << 16, 1 << 16, 1 << 16]);
			assert.equal(new Set(buffers).size, 3);
			assert.equal(memory.requested, 3 << 16);
			assert.equal(memory.closed, true, 'the worker ends once the total is handed out');
			assert.equal(memory.take(), undefined);
		} finally {
			memory.close();
		}
	});

	it('keeps mapping ahead past the packet log\'s first fill when no total is given', async () => {
		// 129 MiB: the 128 MiB after which the worker used to end, and one more.
		const memory = new PrefaultedMemory({size: 1 << 20});
		try {
			for (let i = 0; i < 129; i++) assert.ok(await takeWithin(memory, 5000), `buffer ${i} within 5 s`);
			assert.equal(memory.closed, false);
			assert.ok(memory.requested > 129 << 20, 'more is on its way');
		} finally {
			memory.close();
		}
	});

	it('never keeps the process alive', () => {
		const script = `import {PrefaultedMemory} from ${JSON.stringify(new URL('../../source/link/prefaulted-memory.ts', import.meta.url).href)};
new PrefaultedMemory(); console.log('made');`;
		const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8', timeout: 20_000});
		assert.equal(run.signal, null, 'exited by itself, not killed at the time limit');
		assert.equal(run.status, 0, run.stderr);
		assert.equal(run.stdout.trim(), 'made');
	});
});

describe('FrameSlab with memory given', () => {
	it('carves blocks from the given buffers, and allocates its own when none is given', () => {
		const given = [new SharedArrayBuffer(2 << 10)];
		const slab = new FrameSlab(1 << 10, () => given.shift());
		const frames = Array.from({length: 40}, (_, index) => Uint8Array.from({length: 60}, (_, at) => (index + at) & 0xff));
		const copies = frames.map(frame => slab.copy(frame));
		for (const [index, copy] of copies.entries()) {
			assert.deepEqual([...copy], [...frames[index]!], `frame ${index} copied intact`);
			assert.ok(isSlabCopy(copy));
		}

		// 60-octet frames, 17 to a 1 KiB block: two blocks' worth from the 2 KiB buffer, then the slab's own.
		const shared = copies.map(copy => copy.buffer instanceof SharedArrayBuffer);
		assert.deepEqual(shared, Array.from({length: 40}, (_, index) => index < 34));
		assert.equal(new Set(copies.slice(0, 34).map(copy => copy.buffer)).size, 1);
	});
});

describe('FrameSlab.blank', () => {
	it('gives zeroed memory to build a frame in, even where a block held something before', () => {
		const dirty = new SharedArrayBuffer(2 << 10);
		new Uint8Array(dirty).fill(0xff);
		const slab = new FrameSlab(1 << 10, () => dirty);
		const blank = slab.blank(60);
		assert.equal(blank.buffer, dirty);
		assert.deepEqual([...blank], Array.from({length: 60}, () => 0));
		assert.ok(isSlabCopy(blank), 'the log may keep it without a copy');
		// The next frame starts after it: what one frame was built in is never handed out again.
		const next = slab.copy(Uint8Array.of(1, 2, 3));
		assert.equal(next.byteOffset, blank.byteOffset + 60);
	});
});
