// What native code writes straight to file descriptor 2, caught instead of reaching the terminal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Caught<T> = {readonly value: T; readonly written: string};

const {O_WRONLY, O_APPEND, O_NOCTTY} = fs.constants;
const reopenFlags = O_WRONLY | O_APPEND | O_NOCTTY;

function isOpen(fd: number): boolean {
	try {
		fs.fstatSync(fd);
		return true;
	} catch {
		return false;
	}
}

/**
 * Runs `work` (synchronous) with fd 2 pointed at a temporary file, and returns what was written there
 * meanwhile: cap's native code prints with fprintf(stderr), which no patch of process.stderr sees.
 * Node has no dup2, but open(2) takes the lowest free descriptor: with 0 and 1 open, closing 2 and
 * opening a file makes that file fd 2; the original comes back the same way from a saved
 * /proc/self/fd link. Where that cannot be done (stderr a socket, no /proc), `work` runs as it is.
 */
export function catchNativeStderr<T>(work: () => T): Caught<T> {
	if (!isOpen(0) || !isOpen(1)) return {value: work(), written: ''};
	let saved: number;
	try {
		saved = fs.openSync('/proc/self/fd/2', reopenFlags);
	} catch {
		return {value: work(), written: ''};
	}

	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synack-stderr-'));
	const file = path.join(directory, 'stderr');
	try {
		fs.closeSync(2);
		const fd = fs.openSync(file, 'w+');
		if (fd !== 2) {
			// Another thread took fd 2 in between (it cannot be helped without dup2): give it back as it was.
			fs.closeSync(fd);
			fs.openSync(`/proc/self/fd/${saved}`, reopenFlags);
			return {value: work(), written: ''};
		}

		try {
			const value = work();
			return {value, written: fs.readFileSync(file, 'utf8')};
		} finally {
			fs.closeSync(2);
			fs.openSync(`/proc/self/fd/${saved}`, reopenFlags);
		}
	} finally {
		fs.closeSync(saved);
		fs.rmSync(directory, {recursive: true, force: true});
	}
}
