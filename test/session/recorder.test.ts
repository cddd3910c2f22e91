import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseFault} from '../../source/syntax/fault-text.js';
import type {FaultPlan} from '../../source/engine/faults.js';
import {autoPolicies, manualPolicies} from '../../source/session/auto-policies.js';
import {autoLines, commandFlags, expectWindow, Recorder} from '../../source/session/recorder.js';
import {parseScenario} from '../../source/session/scenario-parse.js';
import {quoteBytes} from '../../source/syntax/escapes.js';
import {runScenario} from '../../source/session/scenario-run.js';
import type {Session} from '../../source/session/session.js';
import {tcpFlags, type TcpRecord} from '../../source/wire/records.js';
import {memorySession, type Peer, peerIp, peerIss} from '../ui/peer.js';
import {eventually} from '../helpers/eventually.js';

const {SYN, ACK, FIN, RST, PSH} = tcpFlags;
const bytes = (text: string) => new TextEncoder().encode(text);


function plan(text: string): FaultPlan {
	const parsed = parseFault(text);
	assert.ok(parsed.ok, text);
	return parsed.plan;
}

/** What a peer got, as `synack run` and tcpdump compare it: flags, relative seq/ack, length. */
function shape(segments: readonly TcpRecord[]): string[] {
	const iss = segments[0]!.seq;
	return segments.map(segment => `${segment.flags} seq ${(segment.seq - iss) >>> 0} ack ${segment.flags & ACK ? (segment.ack - peerIss) >>> 0 : '-'} len ${segment.payload.length} win ${segment.window}`);
}

describe('commandFlags: the flags the engine puts on a manual action', () => {
	test('before the peer\'s SYN no ACK; after it, ACK on all but the RST of SYN-SENT', () => {
		assert.equal(commandFlags('syn', {state: 'CLOSED', irs: undefined}), SYN);
		assert.equal(commandFlags('syn', {state: 'SYN-RECEIVED', irs: 7}), SYN | ACK);
		assert.equal(commandFlags('data', {state: 'ESTABLISHED', irs: 7}), PSH | ACK);
		assert.equal(commandFlags('fin', {state: 'CLOSE-WAIT', irs: 7}), FIN | ACK);
		assert.equal(commandFlags('rst', {state: 'ESTABLISHED', irs: 7}), RST | ACK);
		assert.equal(commandFlags('rst', {state: 'SYN-SENT', irs: undefined}), RST);
		assert.equal(commandFlags('ack', {state: 'SYN-SENT', irs: undefined}), ACK);
	});
});

describe('script text', () => {
	test('a recorded payload string is parsed back by the scenario parser, byte for byte', () => {
		const all = new Uint8Array(256).map((_, index) => index);
		const parsed = parseScenario(`connect 198.18.0.2:80\nsend PSH,ACK data=${quoteBytes(all)}`);
		assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
		const send = parsed.steps[1]!;
		assert.equal(send.kind, 'send');
		assert.deepEqual(send.kind === 'send' && send.fields.data, all);
		assert.equal(quoteBytes(bytes('GET / HTTP/1.0\r\n\r\n')), '"GET / HTTP/1.0\\r\\n\\r\\n"');
	});

	test('autoLines: the A toggle both ways, holding ACKs back, and no change', () => {
		assert.deepEqual(autoLines(manualPolicies, autoPolicies), ['auto on']);
		assert.deepEqual(autoLines(autoPolicies, manualPolicies), ['auto off']);
		assert.deepEqual(autoLines(autoPolicies, {...autoPolicies, ack: 'off'}), ['auto off ack']);
		assert.deepEqual(autoLines({...autoPolicies, ack: 'off'}, autoPolicies), ['auto on']);
		assert.deepEqual(autoLines({...autoPolicies, ack: 'off'}, {...autoPolicies, ack: 'immediate'}), ['auto on ack=immediate']);
		assert.deepEqual(autoLines(manualPolicies, {...manualPolicies, retransmit: true, ack: 'immediate'}), ['auto on ack=immediate retransmit']);
		assert.deepEqual(autoLines({...autoPolicies, ack: 'off'}, manualPolicies), ['auto off']);
		assert.deepEqual(autoLines(autoPolicies, {...autoPolicies, ack: 'immediate', probes: false}), ['auto off probes', 'auto on ack=immediate']);
		assert.deepEqual(autoLines(autoPolicies, autoPolicies), []);
		assert.deepEqual(autoLines(autoPolicies, {...autoPolicies, read: 'slow'}, 2500), ['reader slow 2500']);
		assert.deepEqual(autoLines(manualPolicies, {...autoPolicies, read: 'manual'}), ['auto on', 'reader manual']);
		assert.deepEqual(autoLines({...autoPolicies, read: 'slow'}, manualPolicies), ['auto off']);
		for (const [from, to] of [[manualPolicies, autoPolicies], [autoPolicies, {...autoPolicies, ack: 'off' as const}], [{...autoPolicies, ack: 'off' as const}, manualPolicies], [autoPolicies, {...autoPolicies, ack: 'immediate' as const, probes: false}]] as const) {
			const parsed = parseScenario(autoLines(from, to).join('\n'));
			assert.ok(parsed.ok);
			const applied = parsed.steps.reduce((policies, step) => (step.kind === 'auto' ? {...policies, ...step.policies} : policies), from);
			assert.deepEqual(applied, to);
		}
	});

	test('expectWindow: the default second, more for a segment that took longer', () => {
		assert.equal(expectWindow(10), 1000);
		assert.equal(expectWindow(3000), 5000);
		assert.ok(expectWindow(1200) > 1200 * 1.4);
	});
});

async function recorded(work: (session: Session, recorder: Recorder, id: number, peer: Peer) => Promise<void>, options: {peerVariable?: string; now?: () => number; maxExpects?: number} = {}) {
	const {session, peer} = await memorySession();
	const written: string[] = [];
	const recorder = new Recorder(session, {onLine: line => written.push(line), ...options});
	try {
		const id = await session.connect({ip: peerIp, port: 80}, {localPort: 40_000});
		await work(session, recorder, id, peer);
		recorder.close();
		return {lines: [...recorder.lines], written, segments: [...peer.segments]};
	} finally {
		recorder.close();
		session.close();
	}
}

describe('Recorder on a memory link', () => {
	test('two connections: each announced with connect, steps on the older one say on #1, and the script replays', async () => {
		const {session} = await memorySession();
		const recorder = new Recorder(session, {peerVariable: 'peer', now: () => 0});
		try {
			const first = await session.connect({ip: peerIp, port: 80}, {localPort: 40_001});
			recorder.send(first, 'syn');
			await eventually(() => session.tcb(first).state === 'ESTABLISHED', 'the first SYN-ACK');
			const second = await session.connect({ip: peerIp, port: 7}, {localPort: 40_002});
			recorder.send(second, 'syn');
			await eventually(() => session.tcb(second).state === 'ESTABLISHED', 'the second SYN-ACK');
			recorder.send(first, 'rst');
			recorder.send(second, 'ack');
			recorder.close();
			assert.deepEqual(recorder.lines, [
				'connect $peer:80',
				'send SYN',
				'expect SYN,ACK exactly',
				'connect $peer:7',
				'send SYN',
				'expect SYN,ACK exactly',
				'send RST,ACK on #1',
				'send ACK',
			]);
		} finally {
			recorder.close();
			session.close();
		}

		const parsed = parseScenario(recorder.text.replaceAll('$peer', '198.18.0.2'));
		assert.ok(parsed.ok);
		const replay = await memorySession();
		try {
			const report = await runScenario(parsed.steps, {session: replay.session});
			assert.equal(report.failed, 0, JSON.stringify(report.results.filter(result => !result.ok).map(result => [result.step.text, result.message])));
			const [one, two] = replay.session.getSnapshot().connections;
			assert.equal(one!.tcb.state, 'CLOSED', 'the RST went to #1');
			assert.equal(two!.tcb.state, 'ESTABLISHED');
			assert.deepEqual(replay.peer.segments.map(segment => [segment.destinationPort, segment.flags]), [[80, SYN], [7, SYN], [80, RST | ACK], [7, ACK]]);
		} finally {
			replay.session.close();
		}
	});

	test('a handshake, a GET and a close: one line per action, an expect per segment that came back, each line written as it happens', async () => {
		const {lines, written} = await recorded(async (session, recorder, id, peer) => {
			recorder.send(id, 'syn');
			await eventually(() => session.tcb(id).state === 'ESTABLISHED', 'SYN-ACK');
			recorder.send(id, 'ack');
			recorder.send(id, 'data', bytes('GET / HTTP/1.0\r\n\r\n'));
			await eventually(() => peer.segments.length === 3 && session.tcb(id).readable > 0, 'the reply');
			recorder.send(id, 'fin');
			await eventually(() => session.tcb(id).state === 'TIME-WAIT' || session.tcb(id).state === 'CLOSING', 'FIN');
		}, {peerVariable: 'peer', now: () => 0});
		assert.deepEqual(lines, [
			'connect $peer:80',
			'send SYN',
			'expect SYN,ACK exactly',
			'send ACK',
			'send PSH,ACK data="GET / HTTP/1.0\\r\\n\\r\\n"',
			'expect ACK exactly',
			'expect PSH,ACK exactly len=24',
			'send FIN,ACK',
			'expect FIN,ACK exactly',
		]);
		assert.deepEqual(written, lines);
	});

	test('auto toggles, held ACKs, faults added and cleared, in the fault vocabulary', async () => {
		const {lines} = await recorded(async (session, recorder) => {
			recorder.setAuto(autoPolicies);
			recorder.setAuto({ack: 'off'});
			recorder.addFault(plan('out window 0 always'));
			recorder.addFault(plan('in drop count 3 on data'));
			assert.equal(session.getSnapshot().faults.length, 2, 'the session has the faults');
			recorder.clearFaults();
			assert.equal(session.getSnapshot().faults.length, 0);
			recorder.setAuto(manualPolicies);
		}, {now: () => 0});
		assert.deepEqual(lines.slice(1), ['auto on', 'auto off ack', 'fault out window 0 always', 'fault in drop count 3 on data', 'fault clear', 'auto off']);
		assert.equal(lines[0], 'connect 198.18.0.2:80');
	});

	test('the reader: R as read, C-r as reader MODE [RATE]; the session follows', async () => {
		const {lines} = await recorded(async (session, recorder, id, peer) => {
			recorder.send(id, 'syn');
			await eventually(() => session.tcb(id).state === 'ESTABLISHED', 'SYN-ACK');
			recorder.send(id, 'ack');
			recorder.send(id, 'data', bytes('GET / HTTP/1.0\r\n\r\n'));
			await eventually(() => peer.segments.length === 3 && session.tcb(id).readable > 0, 'the reply');
			assert.equal(recorder.read(id), 24);
			assert.deepEqual(session.readPosition(id), {read: 24, unread: 0});
			recorder.setReader('slow', 500);
			recorder.setReader('arrival');
			assert.equal(session.getSnapshot().auto.read, 'arrival');
			assert.equal(session.readerRate, 500);
		}, {now: () => 0});
		assert.deepEqual(lines.slice(-4), ['expect PSH,ACK exactly len=24', 'read', 'reader slow 500', 'reader arrival']);
	});

	test('thinking time before an action becomes a sleep, capped; short gaps none', async () => {
		let clock = 0;
		const {lines} = await recorded(async (_session, recorder) => {
			clock += 50;
			recorder.addFault(plan('out bad-checksum'));
			clock += 700;
			recorder.clearFaults();
			clock += 60_000;
			recorder.addFault(plan('out ttl 1'));
		}, {now: () => clock});
		assert.deepEqual(lines.slice(1), ['fault out bad-checksum', 'sleep 700ms', 'fault clear', 'sleep 2s', 'fault out ttl 1']);
	});

	test('an action the session refuses records nothing', async () => {
		const {lines} = await recorded(async (_session, recorder, id) => {
			assert.throws(() => recorder.send(id + 100, 'ack'));
		});
		assert.deepEqual(lines, ['connect 198.18.0.2:80']);
	});

	test('the recorded script replays to the same segments (flags, relative seq/ack, lengths), faults included', async () => {
		const original = await recorded(async (session, recorder, id, peer) => {
			recorder.send(id, 'syn');
			await eventually(() => session.tcb(id).state === 'ESTABLISHED', 'SYN-ACK');
			recorder.send(id, 'ack');
			recorder.addFault(plan('out window 0 on data'));
			recorder.send(id, 'data', bytes('hello\x00\xff'));
			await eventually(() => peer.segments.length === 3, 'data');
			await eventually(() => session.tcb(id).readable === 24, 'the first reply');
			recorder.send(id, 'data', bytes('GET /\r\n'));
			await eventually(() => session.tcb(id).readable === 48, 'the second reply');
			recorder.send(id, 'ack');
			recorder.send(id, 'fin');
			await eventually(() => session.tcb(id).state === 'TIME-WAIT' || session.tcb(id).state === 'CLOSING', 'FIN');
			recorder.send(id, 'ack');
		}, {peerVariable: 'peer'});
		const parsed = parseScenario(original.lines.join('\n'));
		assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
		const {session, peer} = await memorySession();
		try {
			const report = await runScenario(parsed.steps, {session, variables: {peer: '198.18.0.2'}});
			assert.equal(report.failed, 0, JSON.stringify(report.results.filter(result => !result.ok).map(result => [result.step.text, result.message])));
			await eventually(() => peer.segments.length === original.segments.length, 'all segments');
			assert.deepEqual(shape(peer.segments), shape(original.segments));
			assert.equal(shape(original.segments)[2], `${PSH | ACK} seq 1 ack 1 len 8 win 0`, 'the window fault is on the first data segment');
			assert.notEqual(shape(original.segments)[3]!.split(' win ')[1], '0', 'and only on it');
		} finally {
			session.close();
		}
	});

	test('past the limit, only the newest of a run of incoming segments is waited for', async () => {
		const {lines} = await recorded(async (session, recorder, id, peer) => {
			recorder.send(id, 'syn');
			await eventually(() => session.tcb(id).state === 'ESTABLISHED', 'SYN-ACK');
			recorder.send(id, 'data', bytes('a'));
			recorder.send(id, 'data', bytes('b'));
			await eventually(() => peer.segments.length === 3 && session.tcb(id).readable >= 48, 'two replies');
			recorder.send(id, 'ack');
		}, {now: () => 0, maxExpects: 1});
		assert.deepEqual(lines.slice(-5), [
			'send PSH,ACK data="b"',
			'expect ACK exactly',
			'# 2 more segments arrived here',
			'expect PSH,ACK exactly len=24',
			'send ACK',
		]);
		const parsed = parseScenario(lines.join('\n'));
		assert.ok(parsed.ok, 'the comment line parses');
	});
});
