import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {PacketLog} from '../../source/session/packet-log.js';
import {compact, followingView, logLine, moveView, placeView, withoutEndpoints} from '../../source/ui/log-view.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {tcpFlags} from '../../source/wire/records.js';

const ours = 0xc6_12_00_0a;
const peer = 0xc6_12_00_02;

const extent = {count: 100, size: 100};

describe('log view', () => {
	test('following keeps the newest frame selected and at the bottom', () => {
		assert.deepEqual(placeView(followingView, extent, 10), {follow: true, selected: 100, top: 91});
		assert.deepEqual(placeView(followingView, {count: 3, size: 3}, 10), {follow: true, selected: 3, top: 1});
	});

	test('moving up stops following; the window scrolls to keep the selection in view', () => {
		let view = moveView(followingView, 'up', extent, 10);
		assert.deepEqual(view, {follow: false, selected: 99, top: 91});
		for (let i = 0; i < 9; i++) view = moveView(view, 'up', extent, 10);
		assert.deepEqual(view, {follow: false, selected: 90, top: 90});
		// New frames arrive: the user's place holds.
		assert.deepEqual(placeView(view, {count: 150, size: 150}, 10), view);
	});

	test('pages, first and last; down onto the newest resumes following', () => {
		const first = moveView(followingView, 'first', extent, 10);
		assert.deepEqual(first, {follow: false, selected: 1, top: 1});
		assert.equal(moveView(first, 'page-down', extent, 10).selected, 10);
		const nearEnd = {follow: false, selected: 99, top: 91};
		assert.equal(moveView(nearEnd, 'down', extent, 10).follow, true);
		assert.equal(moveView(first, 'last', extent, 10).follow, true);
	});

	test('frames the ring dropped are skipped: frame numbers stay stable', () => {
		const ring = {count: 1000, size: 100};
		assert.deepEqual(placeView({follow: false, selected: 5, top: 5}, ring, 10), {follow: false, selected: 901, top: 901});
	});
});

describe('compact lines', () => {
	const line = 'IP 198.18.0.10.40000 > 198.18.0.2.80: Flags [S], seq 0, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0';
	test('a line that fits is untouched', () => {
		assert.equal(compact(line, line.length, '…'), line);
	});

	test('options are elided first, then options and window dropped, then cut; the endpoints stay', () => {
		assert.equal(compact(line, 90, '…'), 'IP 198.18.0.10.40000 > 198.18.0.2.80: Flags [S], seq 0, win 65535, options […], length 0');
		assert.equal(compact(line, 60, '…'), 'IP 198.18.0.10.40000 > 198.18.0.2.80: Flags [S], seq 0, len…');
		assert.equal(compact(withoutEndpoints(line), 30, '…'), 'Flags [S], seq 0, length 0');
	});
});

describe('one notation rule for every line', () => {
	const log = new PacketLog(10);
	const segment = (sourcePort: number, payload: number) => tcpFrame({sourceMac: 2, destinationMac: 10, source: peer, destination: ours, sourcePort, destinationPort: 40_000, seq: 757, ack: 1, flags: tcpFlags.ACK, window: 0, payload: new Uint8Array(payload), options: payload > 1 ? [{kind: 'timestamps', value: 1, echo: 2}] : []});
	// A zero-window probe (short) and a full segment, of the connection on show; then another connection's.
	log.append({direction: 'in', timestamp: {seconds: 1, nanoseconds: 0}, bytes: segment(80, 1), annotations: [], connection: 1});
	log.append({direction: 'in', timestamp: {seconds: 2, nanoseconds: 0}, bytes: segment(80, 1000), annotations: [], connection: 1});
	log.append({direction: 'in', timestamp: {seconds: 3, nanoseconds: 0}, bytes: segment(81, 1), annotations: [], connection: 2});
	test('at any width: the connection on show without addresses, any other connection with them', () => {
		for (const width of [60, 80, 120, 200, 400]) {
			const lines = [0, 1, 2].map(index => logLine(log.at(index)!, {width, connection: 1, numberWidth: 3, ellipsis: '…'}).text);
			assert.match(lines[0]!, /^Flags \[\.\], seq 757:758/, `${width}: the probe`);
			assert.match(lines[1]!, /^Flags \[\.\], seq 757:1757/, `${width}: the full segment`);
			assert.match(lines[2]!, /^IP 198\.18\.0\.2\.81 > 198\.18\.0\.10\.40000: /, `${width}: another connection`);
		}
	});
});
