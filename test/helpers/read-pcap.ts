import fs from 'node:fs';

export type CapturedFrame = {
	readonly bytes: Uint8Array;
	/** Length on the wire; more than bytes.length when the snaplen cut the frame. */
	readonly originalLength: number;
};

/**
 * The classic pcap format (24-byte file header, 16-byte record headers), in either byte order, so that
 * wire tests need not depend on link/pcap-file.ts. Throws on anything it does not recognise.
 */
export function readPcap(path: string): CapturedFrame[] {
	const file = fs.readFileSync(path);
	const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
	const magic = view.getUint32(0, true);
	const littleEndian = magic === 0xa1_b2_c3_d4 || magic === 0xa1_b2_3c_4d;
	if (!littleEndian && view.getUint32(0, false) !== 0xa1_b2_c3_d4 && view.getUint32(0, false) !== 0xa1_b2_3c_4d) {
		throw new Error(`${path}: not a classic pcap file (magic 0x${magic.toString(16)})`);
	}

	const frames: CapturedFrame[] = [];
	for (let at = 24; at < file.length;) {
		const capturedLength = view.getUint32(at + 8, littleEndian);
		const originalLength = view.getUint32(at + 12, littleEndian);
		const start = at + 16;
		if (start + capturedLength > file.length) {
			throw new Error(`${path}: record at byte ${at} runs past the end of the file`);
		}

		frames.push({bytes: new Uint8Array(file.buffer, file.byteOffset + start, capturedLength), originalLength});
		at = start + capturedLength;
	}

	return frames;
}
