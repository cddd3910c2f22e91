import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {verdict, verdictCatalog, worstSeverity} from '../../source/engine/verdict.js';
import {codes, connectionIn} from '../helpers/engine.js';

describe('verdicts', () => {
	it('take severity and RFC from the catalog unless given', () => {
		assert.deepEqual(verdict('out-of-window', 'out of window: seq 5000 not in [1, 65536)'), {
			code: 'out-of-window',
			text: 'out of window: seq 5000 not in [1, 65536)',
			rfc: 'RFC 9293 §3.10.7.4',
			severity: 'warn',
		});
		assert.equal(verdict('keepalive', 'k', 'RFC 1122 §4.2.3.6', 'warn').severity, 'warn');
	});

	it('every catalog entry cites an RFC section', () => {
		for (const [code, entry] of Object.entries(verdictCatalog)) assert.match(entry.rfc, /^RFC \d+( §[\d.]+)?/, code);
	});

	it('worstSeverity picks error over warn over info', () => {
		assert.equal(worstSeverity([]), undefined);
		assert.equal(worstSeverity([verdict('keepalive', ''), verdict('zero-window', '')]), 'warn');
		assert.equal(worstSeverity([verdict('unsent-ack', ''), verdict('zero-window', '')]), 'error');
	});

	it('a bad checksum is reported and the segment changes nothing', () => {
		const h = connectionIn('ESTABLISHED');
		const before = h.connection.snapshot();
		const result = h.connection.receive(0, h.data('x'), {checksumOk: false});
		assert.deepEqual(codes(result), ['bad-checksum']);
		assert.equal(result.respond.length, 0);
		assert.equal(h.connection.snapshot().rcvNxt, before.rcvNxt);
	});
});
