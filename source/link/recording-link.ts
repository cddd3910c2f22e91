import {type CapturedFrame, type FrameListener, type Link, timestampNow} from './link.js';
import {PcapWriter, type PcapWriterOptions} from './pcap-file.js';

/**
 * `--pcap FILE`: a link that writes every frame in and out to a pcap file as it happens. Frames are
 * recorded before anyone else sees them, and the records of one turn of the event loop go to the file
 * together at its end (one write, not one per frame: under a flood the writes were most of the
 * cost). The screen is drawn later in the loop, so a frame on screen is in the file.
 */
export function recordingLink(link: Link, path: string, options: PcapWriterOptions = {}): Link {
	const writer = PcapWriter.open(path, {...options, buffered: true});
	const listeners = new Set<FrameListener>();
	let flushing: NodeJS.Immediate | undefined;
	const record = (bytes: Uint8Array, timestamp: CapturedFrame['timestamp']) => {
		writer.write(bytes, timestamp);
		flushing ??= setImmediate(() => {
			flushing = undefined;
			writer.flush();
		});
	};

	const unsubscribe = link.onFrame((frame: CapturedFrame) => {
		record(frame.bytes, frame.timestamp);
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
			record(frame, timestampNow());
		},
		onFrame(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		cork: () => link.cork?.(),
		uncork: () => link.uncork?.(),
		frameBuffer: length => link.frameBuffer(length),
		stats: () => link.stats(),
		close() {
			if (closed) return;
			closed = true;
			unsubscribe();
			if (flushing) clearImmediate(flushing);
			link.close();
			writer.close();
		},
	};
}
