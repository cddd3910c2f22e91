import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {keyOf, splitKeys} from '../../source/ui/key-queue.js';
import {keyName} from '../../source/ui/keymap.js';

const names = (presses: ReturnType<typeof splitKeys>) => presses.map(([input, key]) => keyName(input, key));

describe('keys that arrive in one read', () => {
	test('are split into the keys Ink reports for each alone', () => {
		const [, plain] = keyOf('k');
		assert.deepEqual(names(splitKeys('kk\r', plain, false)), ['k', 'k', 'return']);
		assert.deepEqual(names(splitKeys('e\u0014', plain, false)), ['e', 'ctrl-t']);
		assert.deepEqual(names(splitKeys('A\t\u007F\u0003', plain, false)), ['A', 'tab', 'backspace', 'ctrl-c']);
		assert.equal(splitKeys('A\t', plain, false)[0]![1].shift, true);
	});

	test('one key is left as Ink gave it', () => {
		const [input, key] = keyOf('\u0014');
		assert.deepEqual(splitKeys(input, key, false), [[input, key]]);
	});

	test('text pasted into the editor stays one piece; control keys among it do not', () => {
		const [, plain] = keyOf('G');
		assert.deepEqual(splitKeys('GET / HTTP/1.0\r\r', plain, true), [['GET / HTTP/1.0\r\r', plain]]);
		assert.deepEqual(names(splitKeys('ab\u0014', plain, true)), ['a', 'b', 'ctrl-t']);
		// Esc typed right behind the text still leaves the editor.
		assert.deepEqual(names(splitKeys('ok\u001B', plain, true)), ['o', 'k', 'escape']);
	});
});
