import fs from 'node:fs';
import type {StreamSide} from '../session/stream-reassembly.js';
import {pcapFileName} from './tui-write-pcap.js';

/** The stream view's `w`: one side's octets, in order, to a new file in the current directory. */
export function writeStream(side: StreamSide, bytes: Uint8Array, missing = 0, date = new Date()): string {
	const file = streamFileName(side, date);
	// `wx`: never overwrite, a second `w` in the same second gets its own name.
	let path = file;
	for (let n = 2; fs.existsSync(path); n++) path = file.replace(/\.bin$/, `-${n}.bin`);
	fs.writeFileSync(path, bytes, {flag: 'wx'});
	return `wrote ${bytes.length} B ${side === 'in' ? 'received' : 'sent'} to ${path}${missing > 0 ? ` (${missing} B never seen, written as zeros)` : ''}`;
}

/** `synack-20240101-120000-in.bin`, beside the `w` pcap's name. */
export function streamFileName(side: StreamSide, date = new Date()): string {
	return pcapFileName(date).replace(/\.pcap$/, `-${side}.bin`);
}
