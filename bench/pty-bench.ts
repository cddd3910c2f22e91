// Runs bench/tui-pty.py (the real TUI in a pseudo-terminal against its own lab) and returns the JSON
// it prints. The TUI makes the lab and takes it down when it quits; on SIGINT/SIGTERM and in any case
// afterwards the lab is taken down here too (labDown is idempotent), after the driver (and so the
// TUI, the capture holding the lab's interface) has stopped.
import {spawn} from 'node:child_process';
import {labDown} from '../source/lab/index.js';

const driver = new URL('tui-pty.py', import.meta.url).pathname;

export async function runPtyBench(lab: string, args: readonly string[], timeLimitMs: number): Promise<Record<string, unknown>> {
	const child = spawn('python3', [driver, ...args], {stdio: ['ignore', 'pipe', 'inherit']});
	let stdout = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (text: string) => {
		stdout += text;
	});
	const exited = new Promise<number | null>(resolve => {
		child.once('exit', code => resolve(code));
	});
	const stop = (signal: NodeJS.Signals) => {
		child.kill('SIGTERM');
		void exited.then(async () => labDown(lab)).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const timer = setTimeout(() => child.kill('SIGTERM'), timeLimitMs);
	try {
		const code = await exited;
		const last = stdout.trim().split('\n').at(-1) ?? '';
		let result: Record<string, unknown>;
		try {
			result = JSON.parse(last) as Record<string, unknown>;
		} catch {
			throw new Error(`tui-pty.py ${args[0]} exited ${code ?? 'on a signal'} without a result${last ? `: ${last}` : ''}`);
		}

		if (typeof result['error'] === 'string') throw new Error(`tui-pty.py ${args[0]}: ${result['error']}`);
		return result;
	} finally {
		clearTimeout(timer);
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
		await labDown(lab);
	}
}

/** `198.18.N.0/24`, N from `base` (a bench's own range) and this process, so concurrent runs differ. */
export function benchSubnet(base: number): string {
	return `198.18.${base + (process.pid % 8)}.0/24`;
}

export const fixed = (value: unknown, digits = 1): string => (typeof value === 'number' ? value.toFixed(digits) : '-');
