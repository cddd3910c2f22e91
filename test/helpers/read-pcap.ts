import {PcapReader} from '../../source/link/pcap-file.js';

export type CapturedFrame = {
	readonly bytes: Uint8Array;
	/** Length on the wire; more than bytes.length when the snaplen cut the frame. */
	readonly originalLength: number;
};

/** Every frame of a classic pcap file, read with the project's own reader. Throws on a damaged file. */
export function readPcap(path: string): CapturedFrame[] {
	const reader = PcapReader.open(path);
	try {
		const frames = [...reader.records()].map(({bytes, originalLength}) => ({bytes, originalLength}));
		if (reader.problem) throw new Error(reader.problem.message);
		return frames;
	} finally {
		reader.close();
	}
}
