/** @jsxRuntime automatic */
/** @jsxImportSource react */
// Which overlay covers the panes (source/ui/use-overlay.ts): one at a time, toggled, closed, and
// known to a key that comes before the next render.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Text} from 'ink';
import {useKeys} from '../../source/ui/key-queue.js';
import {findBinding, keyName} from '../../source/ui/keymap.js';
import {useOverlay} from '../../source/ui/use-overlay.js';
import {keys, renderInk} from '../helpers/ink.js';

type Overlay = {readonly kind: 'help'} | {readonly kind: 'list'; readonly cursor: number};

/** `?` toggles the help, `c` the list; `x` opens the list and notes what now() said at once. Commands go to `seen`. */
function Overlays({seen}: {readonly seen: string[]}) {
	const overlays = useOverlay<Overlay>();
	useKeys(([input, key]) => {
		const name = keyName(input, key);
		if (name === 'x') {
			overlays.open({kind: 'list', cursor: 7});
			seen.push(`now ${overlays.now().kind}, shown ${overlays.shown.kind}`);
			return;
		}

		const command = findBinding(name, true)?.command;
		if (command === undefined || overlays.closeHelpOn(command)) return;
		seen.push(command);
		if (command === 'help') overlays.toggle({kind: 'help'});
		else if (command === 'conversations') overlays.toggle({kind: 'list', cursor: 0});
		else if (command === 'close') overlays.close();
	});
	const {shown} = overlays;
	return <Text>{`overlay ${shown.kind}${shown.kind === 'list' ? ` ${shown.cursor}` : ''}`}</Text>;
}

describe('use-overlay', () => {
	test('? opens the help and ? again closes it; c opens the list in its place; Esc closes it', async () => {
		const seen: string[] = [];
		const ui = await renderInk(<Overlays seen={seen} />);
		assert.match(ui.screen(), /^overlay none$/);
		await ui.press('?');
		assert.match(ui.screen(), /^overlay help$/);
		await ui.press('c');
		assert.match(ui.screen(), /^overlay none$/, 'with the help open, a command key only closes the help');
		await ui.press('c');
		assert.match(ui.screen(), /^overlay list 0$/);
		await ui.press('c');
		assert.match(ui.screen(), /^overlay none$/, 'c again closes the list');
		await ui.press('c');
		await ui.press(keys.escape);
		assert.match(ui.screen(), /^overlay none$/);
		assert.deepEqual(seen, ['help', 'conversations', 'conversations', 'conversations', 'close']);
		ui.unmount();
	});

	test('quit is never spent on closing the help', async () => {
		const seen: string[] = [];
		const ui = await renderInk(<Overlays seen={seen} />);
		await ui.press('?');
		await ui.press('q');
		assert.deepEqual(seen, ['help', 'quit']);
		ui.unmount();
	});

	test('now() tells what the key before left, before the render shows it', async () => {
		const seen: string[] = [];
		const ui = await renderInk(<Overlays seen={seen} />);
		await ui.press('x');
		assert.deepEqual(seen, ['now list, shown none']);
		assert.match(ui.screen(), /^overlay list 7$/);
		ui.unmount();
	});
});
