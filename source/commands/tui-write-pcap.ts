import {PcapWriter} from '../link/pcap-file.js';
import type {PacketLog} from '../session/packet-log.js';

/** `w`: the frames the log holds, in order, to `path`. Returns the status line. */
export function writeLogPcap(log: Pick<PacketLog, 'size' | 'count' | 'at'>, path: string): string {
	const writer = PcapWriter.open(path, {nanosecond: true});
	try {
		for (let index = 0; index < log.size; index++) {
			const entry = log.at(index)!;
			writer.write(entry.bytes, entry.timestamp);
		}
	} finally {
		writer.close();
	}

	const dropped = log.count - log.size;
	return `wrote ${log.size} ${log.size === 1 ? 'frame' : 'frames'} to ${path}${dropped > 0 ? ` (the ${dropped} oldest are no longer held)` : ''}`;
}

/** `synack-20240101-120000.pcap` in the current directory. */
export function pcapFileName(date = new Date()): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `synack-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}.pcap`;
}
