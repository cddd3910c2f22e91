import {execFile} from 'node:child_process';
import {LabError} from './lab-error.js';

// Where each tool comes from on Debian and Ubuntu, for the error when it is missing.
const packages: Readonly<Record<string, string>> = {
	ip: 'iproute2',
	ss: 'iproute2',
	ethtool: 'ethtool',
	sysctl: 'procps',
	python3: 'python3',
};

export type ToolOptions = {
	/** Run inside this network namespace (`ip netns exec NS ...`). */
	readonly namespace?: string;
	readonly timeoutMs?: number;
	readonly env?: NodeJS.ProcessEnv;
};

/** Runs a tool with execFile (never a shell string) and resolves to its stdout; a failure is a one-line LabError. */
export async function runTool(command: string, args: readonly string[], options: ToolOptions = {}): Promise<string> {
	const file = options.namespace === undefined ? command : 'ip';
	const argv = options.namespace === undefined ? [...args] : ['netns', 'exec', options.namespace, command, ...args];
	return new Promise((resolve, reject) => {
		execFile(file, argv, {timeout: options.timeoutMs ?? 10_000, env: options.env ?? process.env, maxBuffer: 16 << 20, encoding: 'utf8'}, (error, stdout, stderr) => {
			if (error === null) {
				resolve(stdout);
				return;
			}

			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT') {
				reject(new LabError(`${file} not found: install ${packages[file] ?? file}`));
				return;
			}

			const why = firstLine(stderr) || (error.killed ? 'timed out' : `exit status ${String(code)}`);
			// `ip netns exec` runs the tool itself: its own "not found" is worth the package hint too.
			const missing = /exec of "(.+)" failed: No such file/.exec(why)?.[1];
			if (missing !== undefined) {
				reject(new LabError(`${missing} not found: install ${packages[missing] ?? missing}`));
				return;
			}

			reject(new LabError(`${[file, ...argv].join(' ')}: ${why}`));
		});
	});
}

/** Like runTool, but a failure resolves to undefined: for teardown, where "already gone" is success. */
export async function tryTool(command: string, args: readonly string[], options: ToolOptions = {}): Promise<string | undefined> {
	try {
		return await runTool(command, args, options);
	} catch {
		return undefined;
	}
}

function firstLine(text: string): string {
	return text.split('\n').map(line => line.trim()).find(line => line !== '') ?? '';
}
