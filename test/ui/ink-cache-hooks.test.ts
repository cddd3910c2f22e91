import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {root} from '../e2e/terminal.js';

// Heap growth after Ink measures and wraps 200,000 distinct lines (a long busy session's worth), in a
// child process with or without the hooks bin/synack.js registers.
function growthMiB(hooked: boolean): number {
	const script = `
		import {register} from 'node:module';
		if (${hooked}) register(${JSON.stringify(`file://${root}dist/ui/ink-cache-hooks.js`)});
		const {default: measureText} = await import(${JSON.stringify(`file://${root}node_modules/ink/build/measure-text.js`)});
		const {default: wrapText} = await import(${JSON.stringify(`file://${root}node_modules/ink/build/wrap-text.js`)});
		globalThis.gc();
		const before = process.memoryUsage().heapUsed;
		for (let i = 0; i < 200_000; i++) {
			measureText(\`frame \${i} \${'x'.repeat(100)}\`);
			wrapText(\`frame \${i} \${'y'.repeat(100)}\`, 50, 'truncate');
		}
		globalThis.gc();
		console.log((process.memoryUsage().heapUsed - before) / 2 ** 20);
	`;
	return Number(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {cwd: root, encoding: 'utf8', timeout: 60_000}).trim());
}

test('Ink\'s text caches stay bounded with the hooks, and grow without them', () => {
	assert.ok(existsSync(`${root}dist/ui/ink-cache-hooks.js`), 'build first (npm run build)');
	const unbounded = growthMiB(false);
	const bounded = growthMiB(true);
	assert.ok(unbounded > 40, `without the hooks Ink kept ${unbounded.toFixed(1)} MiB: the test no longer shows the growth`);
	assert.ok(bounded < 15, `with the hooks Ink kept ${bounded.toFixed(1)} MiB`);
});

test('what Ink measures and wraps is the same with the hooks', () => {
	const script = (hooked: boolean) => `
		import {register} from 'node:module';
		if (${hooked}) register(${JSON.stringify(`file://${root}dist/ui/ink-cache-hooks.js`)});
		const {default: measureText} = await import(${JSON.stringify(`file://${root}node_modules/ink/build/measure-text.js`)});
		const {default: wrapText} = await import(${JSON.stringify(`file://${root}node_modules/ink/build/wrap-text.js`)});
		// More distinct texts than the hooks keep, twice: the caches start again on the way.
		const out = [];
		for (let round = 0; round < 2; round++) for (let i = 0; i < 25_000; i++) {
			const text = \`\${'wide '.repeat(i % 13)}line \${i}\\nand a second\`;
			const measured = measureText(text);
			const wrapped = wrapText(text, 20, i % 2 === 0 ? 'wrap' : 'truncate-middle');
			if (i % 499 === 0) out.push(measured, wrapped);
		}
		console.log(JSON.stringify(out));
	`;
	const run = (hooked: boolean) => execFileSync(process.execPath, ['--input-type=module', '-e', script(hooked)], {cwd: root, encoding: 'utf8', timeout: 60_000});
	assert.equal(run(true), run(false));
});
