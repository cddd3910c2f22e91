// A real terminal for end-to-end tests: a tmux session of a given size running a plain shell, its
// screen read as text, keys typed as a user would.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import type {TestContext} from 'node:test';
import {labDown} from '../../source/lab/index.js';
import {labLeftovers, uniqueLabName, uniqueLabSubnet} from '../helpers/lab.js';

export const root = new URL('../../', import.meta.url).pathname;

const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8', timeout: 5000});

export type Terminal = {
	readonly target: string;
	screen(): string;
	/** tmux send-keys: key names (`Enter`, `Escape`) or, after `-l`, literal text. */
	keys(...names: string[]): void;
	/** Polls the screen until `match` holds; fails with the screen after `ms`. */
	waitFor(what: string, match: (text: string) => boolean, ms?: number): Promise<string>;
	/** Fails if `match` ever holds during the next `ms` (polling). */
	never(what: string, match: (text: string) => boolean, ms: number): Promise<void>;
	alternateScreen(): boolean;
	kill(): void;
};

/** A detached tmux session (80x24 unless told) at a `ready$ ` prompt, Ink's CI mode off. */
export async function openTerminal(name: string, size: {columns: number; rows: number} = {columns: 80, rows: 24}): Promise<Terminal> {
	const target = `${name}-${process.pid}`;
	// CI=1 makes Ink print only final frames; a user's terminal is not CI.
	tmux('new-session', '-d', '-s', target, '-x', String(size.columns), '-y', String(size.rows), 'env -u CI -u CONTINUOUS_INTEGRATION PS1="ready$ " bash --norc --noprofile');
	const screen = () => tmux('capture-pane', '-p', '-t', target);
	const terminal: Terminal = {
		target,
		screen,
		keys: (...names) => void tmux('send-keys', '-t', target, ...names),
		async waitFor(what, match, ms = 8000) {
			const deadline = Date.now() + ms;
			// A capture can land in the middle of a screen write (rows above drawn, rows below still
			// blank): a match counts once the next capture shows the same screen, or, on a screen that
			// never stops changing (a live transfer), once the time is up.
			let matched: string | undefined;
			for (;;) {
				const text = screen();
				if (match(text)) {
					if (text === matched) return text;
					matched = text;
				} else {
					matched = undefined;
				}

				if (Date.now() > deadline) {
					if (matched !== undefined) return matched;
					assert.fail(`${what}: not on screen within ${ms} ms; screen:\n${text}`);
				}

				await new Promise(resolve => setTimeout(resolve, matched === undefined ? 50 : 25));
			}
		},
		async never(what, match, ms) {
			const deadline = Date.now() + ms;
			while (Date.now() < deadline) {
				const text = screen();
				if (match(text)) assert.fail(`${what}; screen:\n${text}`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		},
		alternateScreen: () => tmux('display', '-p', '-t', target, '#{alternate_on}').trim() === '1',
		kill() {
			try {
				tmux('kill-session', '-t', target);
			} catch {
				// Already gone.
			}
		},
	};
	await terminal.waitFor('shell prompt', text => text.includes('ready$'));
	return terminal;
}

/**
 * `synack lab` on a fresh lab in a terminal (80x24 unless told), once its address is claimed; the terminal and
 * the lab go when the test ends, however it ends.
 */
export async function startLabTui(t: TestContext, terminalName: string, size?: {columns: number; rows: number}): Promise<{term: Terminal; name: string; subnet: string}> {
	const name = uniqueLabName();
	const subnet = uniqueLabSubnet();
	const term = await openTerminal(terminalName, size);
	t.after(async () => {
		term.kill();
		await labDown(name);
	});

	term.keys('-l', `cd ${root} && node bin/synack.js lab --name ${name} --subnet ${subnet}; echo "exit=$?"`);
	term.keys('Enter');
	await term.waitFor('claimed and ready', text => text.includes('phase claimed') && text.includes('CLOSED'), 20_000);
	return {term, name, subnet};
}

/** Types an HTTP/1.1 GET (29 bytes) into the payload editor and leaves it. */
export async function typeRequest(term: Terminal): Promise<void> {
	term.keys('e');
	await term.waitFor('editor focused', text => text.includes('Esc done'));
	term.keys('-l', 'GET / HTTP/1.1\\r\\nHost: lab\\r\\n\\r\\n');
	await term.waitFor('the request in the editor', text => text.includes('29 bytes'));
	term.keys('Escape');
	await term.waitFor('editor left', text => /Payload {2}text {2}29 bytes {2}e edit/.test(text));
}

/** q, then r (send RST and quit) with the connection open: exit 0, the terminal restored, the lab gone. */
export async function quitWithRst(term: Terminal, lab: string): Promise<void> {
	term.keys('q');
	await term.waitFor('the quit question', text => text.includes('r send RST and quit'));
	term.keys('r');
	const after = await term.waitFor('the shell again', text => /exit=\d+/.test(text), 15_000);
	assert.match(after, /exit=0/);
	assert.equal(term.alternateScreen(), false, 'alternate screen left');
	assert.deepEqual(labLeftovers(lab), [], 'the lab is gone');
}
