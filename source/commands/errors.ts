import {LinkError} from '../link/link.js';
import {PcapFormatError} from '../link/pcap-file.js';

/** The command line asks for something synack cannot do: the user should change the command. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/** The command is fine but the world is not: a missing file, an interface that does not exist. */
export class EnvironmentError extends Error {
	override readonly name = 'EnvironmentError';
}

export type DescribedError = {
	/** One line, without the `synack: ` prefix. */
	readonly message: string;
	/** A failure synack anticipated (exit code 2); false for a bug or a surprise. */
	readonly expected: boolean;
};

const systemErrorText: Readonly<Record<string, string>> = {
	ENOENT: 'no such file or directory',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	EISDIR: 'is a directory',
	ENOTDIR: 'not a directory',
	ENOSPC: 'no space left on device',
	EROFS: 'read-only file system',
	EMFILE: 'too many open files',
};

function isSystemError(error: unknown): error is NodeJS.ErrnoException & {code: string} {
	return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

export function describeError(error: unknown): DescribedError {
	if (error instanceof UsageError || error instanceof EnvironmentError || error instanceof PcapFormatError || error instanceof LinkError) {
		return {message: oneLine(error.message), expected: true};
	}

	if (isSystemError(error)) {
		const text = systemErrorText[error.code];
		if (text !== undefined) {
			return {message: oneLine(`${error.path ?? error.syscall}: ${text}`), expected: true};
		}
	}

	const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	return {message: oneLine(`internal error: ${message}`), expected: false};
}

function oneLine(text: string): string {
	return text.replaceAll(/\s*\n\s*/g, '; ');
}
