// Runs the built program as a user would: `node bin/synack.js ...`.
import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = path.join(root, 'bin/synack.js');

function newestSourceTime(directory: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(directory, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) {
			newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
		}
	}

	return newest;
}

function isBuilt(): boolean {
	const built = path.join(root, 'dist/cli.js');
	return fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSourceTime(path.join(root, 'source'));
}

/**
 * Builds dist/ when it is missing or older than source/ (`npm test` builds first, so this is for
 * running one test file by hand). A lock directory keeps test files run in parallel from building
 * over each other.
 */
export function ensureBuilt(): void {
	const lock = path.join(root, 'dist.build-lock');
	const deadline = Date.now() + 120_000;
	while (!isBuilt()) {
		try {
			fs.mkdirSync(lock);
		} catch {
			if (Date.now() > deadline) {
				throw new Error(`could not take ${lock}; remove it if no build is running`);
			}

			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
			continue;
		}

		try {
			if (!isBuilt()) {
				// tsc still emits when some other file has type errors; dist/cli.js is what we need.
				spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], {cwd: root, stdio: 'ignore'});
				fs.utimesSync(path.join(root, 'dist/cli.js'), new Date(), new Date());
			}
		} finally {
			fs.rmdirSync(lock);
		}

		break;
	}
}

export type RunOptions = {readonly env?: Record<string, string>; readonly cwd?: string};

export function runSynack(args: readonly string[], options: RunOptions = {}): SpawnSyncReturns<string> {
	const env: Record<string, string | undefined> = {...process.env, ...options.env};
	if (options.env?.['DEBUG'] === undefined) {
		delete env['DEBUG'];
	}

	return spawnSync(process.execPath, [binary, ...args], {cwd: options.cwd ?? root, env, encoding: 'utf8', maxBuffer: 64 << 20});
}
