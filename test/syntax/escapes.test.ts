import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {parseScenario} from '../../source/session/scenario-parse.js';
import {parseEscapes, printEscapes, quoteBytes} from '../../source/syntax/escapes.js';
import {tokenize} from '../../source/syntax/tokens.js';
import {encodeText} from '../../source/ui/payload.js';

const parsed = (text: string): number[] => {
	const result = parseEscapes(text);
	assert.ok(result.ok, result.ok ? '' : `${result.problem} at ${result.offset}`);
	return [...result.bytes];
};

/** What `send ... data=STRING` in a script carries. */
function scriptPayload(line: string): Uint8Array {
	const result = parseScenario(`connect 198.18.0.2:80\n${line}`);
	assert.ok(result.ok, result.ok ? '' : result.message);
	const step = result.steps[1]!;
	assert.ok(step.kind === 'send' && step.fields.data !== undefined);
	return step.fields.data;
}

// Editor text as a user types it: plain characters (any Unicode, quotes and # included) and escapes.
const typedText = fc.array(fc.oneof(
	fc.string({unit: 'grapheme', maxLength: 4}).filter(text => !text.includes('\\')),
	fc.constantFrom('\\r', '\\n', '\\t', '\\0', '\\\\', '\\"', '\\x00', '\\x7f', '\\xFF', '\\xa9'),
), {maxLength: 12}).map(parts => parts.join(''));

describe('escapes: one language for the editor and scripts', () => {
	test('every escape, UTF-8 for the rest', () => {
		assert.deepEqual(parsed('a\\r\\n\\t\\0\\\\\\"\\x7f\\xFFé'), [0x61, 0x0d, 0x0a, 0x09, 0x00, 0x5c, 0x22, 0x7f, 0xff, 0xc3, 0xa9]);
		assert.deepEqual(parsed('😀'), [0xf0, 0x9f, 0x98, 0x80]);
	});

	test('errors name the problem and where the backslash is', () => {
		assert.deepEqual(parseEscapes('ab\\q'), {ok: false, problem: 'unknown', offset: 2, escape: 'q'});
		assert.deepEqual(parseEscapes('\\x4'), {ok: false, problem: 'bad-hex', offset: 0, digits: '4'});
		assert.deepEqual(parseEscapes('x\\'), {ok: false, problem: 'lone-backslash', offset: 1});
	});

	test('print then parse is the identity for every byte string, quoted or not', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 96}), bytes => {
			assert.deepEqual(parsed(printEscapes(bytes)), [...bytes]);
			const quoted = quoteBytes(bytes);
			assert.deepEqual(parsed(quoted.slice(1, -1)), [...bytes]);
			// A script string is one token whatever the bytes (spaces, #, quotes).
			const tokens = tokenize(`data=${quoted} x`);
			assert.ok(Array.isArray(tokens));
			assert.deepEqual(tokens.map(token => token.text), [`data=${quoted}`, 'x']);
		}), {numRuns: 500});
	});

	test('the printer escapes exactly what it must: printable ASCII as is, " only between quotes', () => {
		const all = new Uint8Array(256).map((_, index) => index);
		assert.deepEqual(parsed(printEscapes(all)), [...all]);
		assert.equal(printEscapes(new TextEncoder().encode('GET / "x"\r\n')), 'GET / "x"\\r\\n');
		assert.equal(quoteBytes(new TextEncoder().encode('a"b\\')), '"a\\"b\\\\"');
		assert.equal(printEscapes(Uint8Array.of(0, 0x7f, 0x80)), '\\x00\\x7f\\x80');
	});

	test('a payload typed in the editor, recorded and replayed is the same bytes', () => {
		fc.assert(fc.property(typedText, typed => {
			const encoded = encodeText(typed);
			assert.ok(encoded.ok, encoded.ok ? '' : encoded.error);
			// The recorder writes `send FLAGS data=...` with quoteBytes; `synack run` parses it back.
			assert.deepEqual([...scriptPayload(`send PSH,ACK data=${quoteBytes(encoded.bytes)}`)], [...encoded.bytes]);
		}), {numRuns: 300});
	});

	test('the editor and scripts take the same escapes', () => {
		const text = '\\0\\"\\x41\\r\\n';
		const editor = encodeText(text);
		assert.ok(editor.ok);
		assert.deepEqual([...scriptPayload(`send ACK data="${text}"`)], [...editor.bytes]);
	});
});
