/** @jsxRuntime automatic */
/** @jsxImportSource react */
// The capture viewer reads keys as the live TUI does (key-queue's useKeys): keys that arrive in one
// read, typed fast, are each handled in order.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {loadCapture} from '../../source/session/capture.js';
import {ReadApp} from '../../source/ui/read-app.js';
import {makeTheme} from '../../source/ui/theme.js';
import {renderInk} from '../helpers/ink.js';

const plain = makeTheme({color: false, ascii: false});

test('synack read: `cj` and Enter, then `jjj` in one read: the conversation picked, its fourth segment selected, its detail opened', async () => {
	const capture = loadCapture(path.join(new URL('../fixtures/', import.meta.url).pathname, 'lab-session.pcap'));
	const ui = await renderInk(<ReadApp capture={capture} theme={plain} />);
	ui.stdin.write('cj\r');
	await ui.waitFor('segment 1/10');
	ui.stdin.write('jjj');
	await ui.waitFor('segment 4/10');
	ui.stdin.write('\rj');
	const detail = await ui.waitFor('Frame 4');
	assert.match(detail, /Esc back/);
	ui.unmount();
});
