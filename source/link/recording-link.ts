import {type CapturedFrame, type FrameListener, type Link, timestampNow} from './link.js';
import {PcapWriter, type PcapWriterOptions} from './pcap-file.js';

/**
 * `--pcap FILE`: a link that writes every frame in and out to a pcap file as it happens. Frames are
 * written before anyone else sees them, so a frame on screen is always in the file.
 */
export function recordingLink(link: Link, path: string, options: PcapWriterOptions = {}): Link {
	const writer = PcapWriter.open(path, options);
	const listeners = new Set<FrameListener>();
	const unsubscribe = link.onFrame((frame: CapturedFrame) => {
		writer.write(frame.bytes, frame.timestamp);
		for (const listener of listeners) listener(frame);
	});
	let closed = false;

	return {
		name: link.name,
		mac: link.mac,
		mtu: link.mtu,
		send(frame) {
			link.send(frame);
			// After a successful send only: a frame the link refused never reached the wire.
			writer.write(frame, timestampNow());
		},
		onFrame(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		stats: () => link.stats(),
		close() {
			if (closed) return;
			closed = true;
			unsubscribe();
			link.close();
			writer.close();
		},
	};
}
