/** @jsxRuntime automatic */
/** @jsxImportSource react */
// Every pane stays inside its box: a title is never painted over, whatever its rows hold.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Box, Text, useInput} from 'ink';
import {useReducer, useRef} from 'react';
import {EditorPane, type KeyHandler} from '../../source/ui/editor-pane.js';
import {editorReducer, type EditorState} from '../../source/ui/editor-state.js';
import {Pane} from '../../source/ui/pane.js';
import {displayLines, templates, visualRows} from '../../source/ui/payload.js';
import {makeTheme, ThemeContext} from '../../source/ui/theme.js';
import {keys, renderInk} from '../helpers/ink.js';

const plain = makeTheme({color: false, ascii: false});

function Editor({initial, width, height, active = true}: {readonly initial: EditorState; readonly width: number; readonly height: number; readonly active?: boolean}) {
	const [state, dispatch] = useReducer(editorReducer, initial);
	// The app reads every key and hands them to the editor while it types: here, always.
	const input = useRef<KeyHandler | undefined>(undefined);
	useInput((text, key) => input.current?.(text, key));
	return (
		<ThemeContext.Provider value={plain}>
			<Box flexDirection="column">
				<Text>above</Text>
				<EditorPane state={state} dispatch={dispatch} active={active} input={input} focused={active} host="198.18.0.2" width={width} height={height} onLeave={() => {}} onFocus={() => {}} onQuit={() => {}} />
				<Text>below</Text>
			</Box>
		</ThemeContext.Provider>
	);
}

const get = templates[0]!.text('198.18.0.2');
const withCursorAtEnd = (text: string): EditorState => ({text, cursor: text.length, mode: 'text'});

describe('a pane never draws outside its box', () => {
	test('Pane: more rows than fit are clipped, the title and the next line stay', async () => {
		const ui = await renderInk(<ThemeContext.Provider value={plain}><Box flexDirection="column"><Pane title="Title" width={20} height={3}>{['one', 'two', 'three', 'four'].map(line => <Text key={line}>{line}</Text>)}</Pane><Text>next</Text></Box></ThemeContext.Provider>);
		assert.deepEqual(ui.screen().split('\n').map(line => line.trimEnd()), ['── Title ───────────', 'one', 'two', 'next']);
		ui.unmount();
	});

	test('the GET template plus two lines in a 4-row editor: the title stays, the rows scroll to the cursor', async () => {
		const ui = await renderInk(<Editor initial={withCursorAtEnd(get)} width={80} height={4} />);
		await ui.press('x');
		await ui.press(keys.enter);
		await ui.press('y');
		await ui.press(keys.enter);
		const lines = ui.screen().split('\n');
		assert.equal(lines.length, 6, ui.screen());
		assert.equal(lines[0], 'above');
		assert.match(lines[1]!, /^── Payload {2}text {2}\d+ bytes {2}C-t template {2}C-x hex {2}Esc done {2}rows 5-7\/7 ─*$/);
		assert.deepEqual(lines.slice(2, 5).map(line => line.trimEnd()), ['x', 'y', ''], 'the newest rows, the cursor on the last');
		assert.equal(lines[5], 'below');
		ui.unmount();
	});

	test('unfocused, the editor shows its first rows and says there are more', async () => {
		const ui = await renderInk(<Editor initial={withCursorAtEnd(get)} width={80} height={4} active={false} />);
		const lines = ui.screen().split('\n');
		assert.match(lines[1]!, /^── Payload {2}text {2}55 bytes {2}e edit {2}rows 1-3\/5 /);
		assert.deepEqual(lines.slice(2, 5).map(line => line.trimEnd()), ['GET / HTTP/1.1\\r\\n', 'Host: 198.18.0.2\\r\\n', 'Connection: close\\r\\n']);
		assert.equal(lines[5], 'below');
		ui.unmount();
	});

	test('a line wider than the pane wraps (escapes whole) instead of running off the edge', async () => {
		const text = `${'a'.repeat(18)}\\r\\n`;
		const ui = await renderInk(<Editor initial={withCursorAtEnd(text)} width={20} height={5} />);
		const lines = ui.screen().split('\n').map(line => line.trimEnd());
		assert.deepEqual(lines.slice(2, 5), [`${'a'.repeat(18)}\\r`, '\\n', '']);
		ui.unmount();
	});
});

describe('visualRows', () => {
	test('wraps at the width without splitting an escape, and marks the cursor row', () => {
		const text = 'abcd\\x41ef';
		assert.deepEqual(visualRows(text, displayLines(text), 6, 0), [
			{start: 0, end: 4, cursor: true},
			{start: 4, end: 10, cursor: false},
		]);
	});

	test('a cursor after a full last row gets a row of its own', () => {
		const text = 'abcdef';
		assert.deepEqual(visualRows(text, displayLines(text), 6, 6), [
			{start: 0, end: 6, cursor: false},
			{start: 6, end: 6, cursor: true},
		]);
		assert.deepEqual(visualRows(text, displayLines(text), 7, 6), [{start: 0, end: 6, cursor: true}]);
	});
});
