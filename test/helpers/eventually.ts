import assert from 'node:assert/strict';

/** Polls `condition` every 5 ms until it holds; fails the test with `what` after `ms`. */
export async function eventually(condition: () => boolean, what: string, ms = 2000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) assert.fail(`${what} did not happen`);
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}
