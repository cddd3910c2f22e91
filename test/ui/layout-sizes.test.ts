// How each app shares the terminal out (source/ui/layout.ts), at the sizes we design for and beyond.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {liveLayout, readLayout} from '../../source/ui/layout.js';

describe('the live TUI\'s layout', () => {
	test('at 80x24: ARP 28 and connection 51 columns side by side, 8 rows over an 11-row log and a 4-row editor', () => {
		const layout = liveLayout({columns: 80, rows: 24}, 0);
		assert.deepEqual(layout, {arpWidth: 28, connectionWidth: 51, topHeight: 8, editorHeight: 4, logHeight: 11, logRows: 10, bodyHeight: 19, fullHeight: 23});
		// The panes, the editor and the status bar fill the screen exactly.
		assert.equal(layout.topHeight + layout.logHeight + layout.editorHeight + 1, 24);
	});

	test('from 32 rows the editor gets two more; the log takes the rest', () => {
		const layout = liveLayout({columns: 200, rows: 60}, 0);
		assert.equal(layout.editorHeight, 6);
		assert.equal(layout.connectionWidth, 171);
		assert.equal(layout.logHeight, 60 - 8 - 6 - 1);
		assert.equal(liveLayout({columns: 80, rows: 31}, 0).editorHeight, 4);
		assert.equal(liveLayout({columns: 80, rows: 32}, 0).editorHeight, 6);
	});

	test('the connection pane grows a line for each of the first two faults, taken from the log', () => {
		assert.equal(liveLayout({columns: 80, rows: 24}, 1).topHeight, 9);
		assert.equal(liveLayout({columns: 80, rows: 24}, 2).logHeight, 9);
		assert.equal(liveLayout({columns: 80, rows: 24}, 5).topHeight, 10);
	});

	test('a tiny terminal still leaves the log three rows and the connection pane ten columns', () => {
		const layout = liveLayout({columns: 20, rows: 10}, 0);
		assert.equal(layout.logHeight, 3);
		assert.equal(layout.logRows, 2);
		assert.equal(layout.connectionWidth, 10);
	});
});

describe('the capture viewer\'s layout', () => {
	test('at 80x24: a 4-row conversation pane over a 19-row log, the status bar last', () => {
		assert.deepEqual(readLayout({columns: 80, rows: 24}), {topHeight: 4, paneHeight: 19, logRows: 18, fullHeight: 23});
		assert.equal(readLayout({columns: 200, rows: 60}).paneHeight, 55);
	});

	test('a tiny terminal still leaves the log three rows', () => {
		assert.equal(readLayout({columns: 80, rows: 5}).paneHeight, 3);
	});
});
