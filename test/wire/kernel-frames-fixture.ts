import {readFileSync} from 'node:fs';

const fixtureUrl = new URL('../fixtures/kernel-frames.txt', import.meta.url);

/** The frames in test/fixtures/kernel-frames.txt by name. */
export function kernelFrames(): ReadonlyMap<string, Uint8Array> {
	const frames = new Map<string, Uint8Array>();
	for (const line of readFileSync(fixtureUrl, 'utf8').split('\n')) {
		if (line === '' || line.startsWith('#')) {
			continue;
		}

		const [name, hex] = line.split(' ');
		frames.set(name!, Uint8Array.from(Buffer.from(hex!, 'hex')));
	}

	return frames;
}

export function kernelFrame(name: string): Uint8Array {
	const frame = kernelFrames().get(name);
	if (!frame) {
		throw new Error(`no frame named ${name} in kernel-frames.txt`);
	}

	return frame;
}
