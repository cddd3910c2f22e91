import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {tcpdumpTimeFormatter} from '../../source/commands/tcpdump-time.js';

const originalTz = process.env['TZ'];
afterEach(() => {
	// Node applies a change of process.env.TZ to Date at once.
	if (originalTz === undefined) {
		delete process.env['TZ'];
	} else {
		process.env['TZ'] = originalTz;
	}
});

describe('tcpdumpTimeFormatter', () => {
	test('prints UTC wall-clock time with microseconds, truncating nanoseconds as libpcap does', () => {
		process.env['TZ'] = 'UTC';
		const time = tcpdumpTimeFormatter();
		// 1700000000 is 2023-11-14T22:13:20Z.
		assert.equal(time({seconds: 1_700_000_000, nanoseconds: 123_456_789}), '22:13:20.123456');
		assert.equal(time({seconds: 1_700_000_000, nanoseconds: 999}), '22:13:20.000000');
		assert.equal(time({seconds: 1_700_000_009, nanoseconds: 999_999_999}), '22:13:29.999999');
		assert.equal(time({seconds: 0, nanoseconds: 1000}), '00:00:00.000001');
	});

	test('honours TZ, half-hour offsets included', () => {
		process.env['TZ'] = 'Asia/Kolkata'; // UTC+05:30, no daylight saving
		const time = tcpdumpTimeFormatter();
		assert.equal(time({seconds: 1_700_000_000, nanoseconds: 0}), '03:43:20.000000');
	});

	test('crosses a daylight-saving change like localtime does', () => {
		process.env['TZ'] = 'Europe/Berlin';
		const time = tcpdumpTimeFormatter();
		// 2024-03-31T00:59:59Z is 01:59:59 CET; one second later is 03:00:00 CEST.
		assert.equal(time({seconds: 1_711_846_799, nanoseconds: 0}), '01:59:59.000000');
		assert.equal(time({seconds: 1_711_846_800, nanoseconds: 0}), '03:00:00.000000');
	});

	test('does not reuse the previous second for a different one', () => {
		process.env['TZ'] = 'UTC';
		const time = tcpdumpTimeFormatter();
		const seconds = [59, 59, 60, 3599, 3600, 60];
		assert.deepEqual(seconds.map(second => time({seconds: second, nanoseconds: 0})), [
			'00:00:59.000000', '00:00:59.000000', '00:01:00.000000', '00:59:59.000000', '01:00:00.000000', '00:01:00.000000',
		]);
	});
});
