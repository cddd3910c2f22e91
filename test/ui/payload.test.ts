import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {bytesToHex, bytesToText, displayLines, encodeHex, encodeText, templates} from '../../source/ui/payload.js';
import {editorPayload, editorReducer, emptyEditor, type EditorAction} from '../../source/ui/editor-state.js';

const ok = (result: ReturnType<typeof encodeText>) => {
	assert.ok(result.ok, result.ok ? '' : result.error);
	return [...result.bytes];
};

describe('payload text', () => {
	test('escapes become bytes; other text is UTF-8', () => {
		assert.deepEqual(ok(encodeText('a\\r\\n\\t\\0\\\\\\x7f\\xFFé')), [0x61, 0x0d, 0x0a, 0x09, 0x00, 0x5c, 0x7f, 0xff, 0xc3, 0xa9]);
	});

	test('a real line break is a newline byte', () => {
		assert.deepEqual(ok(encodeText('a\nb')), [0x61, 0x0a, 0x62]);
	});

	test('bad escapes say where', () => {
		assert.deepEqual(encodeText('ab\\q'), {ok: false, error: 'unknown escape \\q at column 3'});
		assert.deepEqual(encodeText('\\x4'), {ok: false, error: '\\x needs two hex digits at column 1'});
		assert.equal(encodeText('x\\').ok, false);
	});

	test('hex mode ignores spaces and refuses odd or non-hex input', () => {
		assert.deepEqual(ok(encodeHex('47 45\n54')), [0x47, 0x45, 0x54]);
		assert.equal(encodeHex('474').ok, false);
		assert.equal(encodeHex('zz').ok, false);
	});

	test('bytes shown as text or hex encode back to the same bytes', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 64}), bytes => {
			assert.deepEqual(ok(encodeText(bytesToText(bytes))), [...bytes]);
			assert.deepEqual(ok(encodeHex(bytesToHex(bytes))), [...bytes]);
		}));
	});

	test('display lines break after each \\n escape and at real line breaks', () => {
		const text = 'GET / HTTP/1.0\\r\\n\\r\\nx\ny';
		assert.deepEqual(displayLines(text).map(([start, end]) => text.slice(start, end)), ['GET / HTTP/1.0\\r\\n', '\\r\\n', 'x\n', 'y']);
		// An escaped backslash before n is not a line break.
		assert.deepEqual(displayLines('a\\\\nb').length, 1);
	});

	test('the HTTP/1.1 template names the host and encodes to a complete request', () => {
		const request = new TextDecoder().decode(Uint8Array.from(ok(encodeText(templates[0]!.text('198.18.0.2')))));
		assert.equal(request, 'GET / HTTP/1.1\r\nHost: 198.18.0.2\r\nConnection: close\r\n\r\n');
	});
});

describe('editor state', () => {
	const run = (...actions: EditorAction[]) => actions.reduce(editorReducer, emptyEditor);

	test('insert, move, backspace and delete edit at the cursor', () => {
		const state = run({type: 'insert', text: 'abcd'}, {type: 'move', by: -2}, {type: 'backspace'}, {type: 'delete'}, {type: 'insert', text: 'X'});
		assert.equal(state.text, 'aXd');
		assert.equal(state.cursor, 2);
		assert.equal(run({type: 'backspace'}).text, '');
		assert.equal(run({type: 'insert', text: 'ab'}, {type: 'move', by: 10}).cursor, 2);
	});

	test('hex mode shows the same bytes, and back', () => {
		const hex = run({type: 'insert', text: 'A\\r\\n'}, {type: 'toggle-mode'});
		assert.equal(hex.mode, 'hex');
		assert.equal(hex.text, '41 0d 0a');
		const back = editorReducer(hex, {type: 'toggle-mode'});
		assert.equal(back.text, 'A\\r\\n');
		assert.deepEqual([...(editorPayload(back) as {bytes: Uint8Array}).bytes], [0x41, 0x0d, 0x0a]);
	});

	test('a text that does not encode stays in its mode, with the reason', () => {
		const state = run({type: 'insert', text: '\\q'}, {type: 'toggle-mode'});
		assert.equal(state.mode, 'text');
		assert.match(state.problem ?? '', /unknown escape/);
	});
});
