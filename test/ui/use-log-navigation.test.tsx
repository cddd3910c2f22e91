/** @jsxRuntime automatic */
/** @jsxImportSource react */
// The log navigation both apps share (source/ui/use-log-navigation.ts), driven by keys through the
// key queue as the apps drive it, over a real capture's frames.
import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {Text} from 'ink';
import {loadCapture} from '../../source/session/capture.js';
import {useKeys} from '../../source/ui/key-queue.js';
import {findBinding, keyName} from '../../source/ui/keymap.js';
import {detailLines} from '../../source/ui/log-detail.js';
import type {LogView} from '../../source/ui/log-view.js';
import {type DetailOverlay, isMove, scrollDetail, useLogNavigation} from '../../source/ui/use-log-navigation.js';
import {useOverlay} from '../../source/ui/use-overlay.js';
import {keys, renderInk} from '../helpers/ink.js';

const capture = loadCapture(path.join(new URL('../fixtures/', import.meta.url).pathname, 'lab-session.pcap'));
const {entries} = capture;
const extent = {count: entries.length, size: entries.length};
const logRows = 5;
const fullHeight = 10;
const columns = 80;

function Navigator({start, follows}: {readonly start?: LogView; readonly follows?: boolean}) {
	const overlays = useOverlay<{readonly kind: 'help'} | DetailOverlay>();
	const navigation = useLogNavigation({overlays, extent, logRows, fullHeight, columns, entryAt: number => entries[number - 1], relativeTo: () => undefined, start, follows});
	useKeys(([input, key]) => {
		const command = findBinding(keyName(input, key), true)?.command;
		if (command === undefined || overlays.closeHelpOn(command)) return;
		if (isMove(command)) navigation.move(command);
		else if (command === 'open') navigation.toggleDetail();
		else if (command === 'close') overlays.close();
		else if (command === 'help') overlays.toggle({kind: 'help'});
	});
	const {placed} = navigation;
	const shown = overlays.shown;
	return <Text>{`selected ${placed.selected} top ${placed.top} follow ${placed.follow} overlay ${shown.kind}${shown.kind === 'detail' ? ` ${shown.number}@${shown.offset}` : ''}`}</Text>;
}

const captureStart: LogView = {follow: false, selected: 1, top: 1};
const detailLength = (number: number) => detailLines(entries[number - 1]!, undefined, columns).length;

describe('use-log-navigation: the log\'s selection', () => {
	test('a capture starts at its first frame; j k g G and pages move the selection, never following', async () => {
		const ui = await renderInk(<Navigator start={captureStart} follows={false} />);
		assert.equal(ui.screen(), 'selected 1 top 1 follow false overlay none');
		await ui.press('j');
		await ui.press('j');
		assert.equal(ui.screen(), 'selected 3 top 1 follow false overlay none');
		await ui.press(keys.pageDown);
		// A page is the rows less one: the line selected before stays in view.
		assert.equal(ui.screen(), 'selected 7 top 3 follow false overlay none');
		await ui.press('G');
		assert.equal(ui.screen(), `selected ${entries.length} top ${entries.length - logRows + 1} follow false overlay none`);
		await ui.press('k');
		assert.match(ui.screen(), new RegExp(`^selected ${entries.length - 1} `));
		await ui.press('g');
		assert.equal(ui.screen(), 'selected 1 top 1 follow false overlay none');
		ui.unmount();
	});

	test('a live log follows its newest frame; k stops following, j back onto the newest resumes', async () => {
		const ui = await renderInk(<Navigator />);
		assert.equal(ui.screen(), `selected ${entries.length} top ${entries.length - logRows + 1} follow true overlay none`);
		await ui.press('k');
		assert.match(ui.screen(), new RegExp(`^selected ${entries.length - 1} .* follow false `));
		await ui.press(keys.arrowDown);
		assert.match(ui.screen(), new RegExp(`^selected ${entries.length} .* follow true `));
		ui.unmount();
	});

	test('keys that arrive in one read are each handled, in order', async () => {
		const ui = await renderInk(<Navigator start={captureStart} follows={false} />);
		ui.stdin.write('jjj\r');
		await ui.waitFor('overlay detail');
		assert.equal(ui.screen(), 'selected 4 top 1 follow false overlay detail 4@0');
		ui.unmount();
	});
});

describe('use-log-navigation: the frame detail', () => {
	test('Enter opens the selected frame\'s detail; the move keys scroll it, within its lines; Enter closes it', async () => {
		const ui = await renderInk(<Navigator start={captureStart} follows={false} />);
		await ui.press('j');
		await ui.press('j');
		await ui.press(keys.enter);
		assert.equal(ui.screen(), 'selected 3 top 1 follow false overlay detail 3@0');
		await ui.press('j');
		assert.equal(ui.screen(), 'selected 3 top 1 follow false overlay detail 3@1', 'the detail scrolls, the selection stays');
		await ui.press('G');
		const bottom = detailLength(3) - (fullHeight - 1);
		assert.ok(bottom > 1, 'the fixture\'s detail is longer than the screen');
		assert.equal(ui.screen(), `selected 3 top 1 follow false overlay detail 3@${bottom}`);
		await ui.press('j');
		assert.equal(ui.screen(), `selected 3 top 1 follow false overlay detail 3@${bottom}`, 'no further than the last line');
		await ui.press('g');
		assert.equal(ui.screen(), 'selected 3 top 1 follow false overlay detail 3@0');
		await ui.press(keys.enter);
		assert.equal(ui.screen(), 'selected 3 top 1 follow false overlay none');
		await ui.press('j');
		assert.equal(ui.screen(), 'selected 4 top 1 follow false overlay none');
		ui.unmount();
	});

	test('Esc closes the detail; with the help open a move key only closes the help', async () => {
		const ui = await renderInk(<Navigator start={captureStart} follows={false} />);
		await ui.press(keys.enter);
		assert.match(ui.screen(), /overlay detail 1@0$/);
		await ui.press(keys.escape);
		assert.match(ui.screen(), /overlay none$/);
		await ui.press('?');
		assert.match(ui.screen(), /overlay help$/);
		await ui.press('j');
		assert.equal(ui.screen(), 'selected 1 top 1 follow false overlay none');
		ui.unmount();
	});

	test('scrollDetail: a line, a page (the visible lines less one), the ends, never past them', () => {
		// 30 lines, 10 rows: a title and 9 lines visible, so the last offset is 21.
		assert.equal(scrollDetail(0, 'down', 30, 10), 1);
		assert.equal(scrollDetail(0, 'up', 30, 10), 0);
		assert.equal(scrollDetail(0, 'page-down', 30, 10), 8);
		assert.equal(scrollDetail(20, 'page-down', 30, 10), 21);
		assert.equal(scrollDetail(12, 'page-up', 30, 10), 4);
		assert.equal(scrollDetail(5, 'last', 30, 10), 21);
		assert.equal(scrollDetail(5, 'first', 30, 10), 0);
		// Shorter than the screen: it does not scroll.
		assert.equal(scrollDetail(0, 'down', 4, 10), 0);
	});
});
