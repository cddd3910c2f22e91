import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseScenario, type Step} from '../../source/session/scenario-parse.js';
import {tcpFlags} from '../../source/wire/records.js';

const {SYN, ACK, PSH, FIN, RST} = tcpFlags;

const example = String.raw`# GET against the lab
connect 198.18.0.2:80
send SYN mss=1460 sackOK wscale=7
expect SYN,ACK ack=1 within 1s
send ACK
send PSH,ACK data="GET / HTTP/1.0\r\n\r\n"
expect ACK ack=19
expect data ~ "HTTP/1.0 200"
send FIN,ACK
expect FIN,ACK
send ACK
expect state TIME-WAIT
`;

function steps(source: string): readonly Step[] {
	const parsed = parseScenario(source);
	if (!parsed.ok) throw new Error(`${parsed.line}:${parsed.column}: ${parsed.message}`);
	return parsed.steps;
}

describe('scenario scripts', () => {
	test('the issue\'s example parses to the steps it says', () => {
		const parsed = steps(example);
		assert.deepEqual(parsed.map(step => [step.line, step.kind]), [
			[2, 'connect'], [3, 'send'], [4, 'expect-segment'], [5, 'send'], [6, 'send'], [7, 'expect-segment'],
			[8, 'expect-data'], [9, 'send'], [10, 'expect-segment'], [11, 'send'], [12, 'expect-state'],
		]);
		assert.deepEqual(parsed[0], {line: 2, text: 'connect 198.18.0.2:80', kind: 'connect', host: '198.18.0.2', port: 80});
		assert.deepEqual(parsed[1], {line: 3, text: 'send SYN mss=1460 sackOK wscale=7', kind: 'send', flags: SYN, fields: {options: [{kind: 'mss', value: 1460}, {kind: 'sackOK'}, {kind: 'wscale', shift: 7}]}});
		assert.deepEqual(parsed[2], {line: 4, text: 'expect SYN,ACK ack=1 within 1s', kind: 'expect-segment', flags: SYN | ACK, exact: false, fields: {ack: {literal: 1}}, withinMs: 1000});
		const get = parsed[4]!;
		assert.ok(get.kind === 'send');
		assert.equal(get.flags, PSH | ACK);
		assert.equal(new TextDecoder().decode(get.fields.data), 'GET / HTTP/1.0\r\n\r\n');
		const data = parsed[6]!;
		assert.ok(data.kind === 'expect-data');
		assert.deepEqual([data.match, new TextDecoder().decode(data.bytes), data.withinMs], ['contains', 'HTTP/1.0 200', 1000]);
		assert.deepEqual(parsed[10], {line: 12, text: 'expect state TIME-WAIT', kind: 'expect-state', state: 'TIME-WAIT', withinMs: 1000});
	});

	test('reader steps and the read policy', () => {
		const parsed = steps(['reader slow 2500', 'reader slow', 'reader manual', 'reader arrival', 'auto off read', 'auto on read', 'auto off'].join('\n'));
		assert.deepEqual(parsed.map(step => step.kind === 'reader' ? [step.mode, step.rate] : step.kind === 'auto' ? step.policies.read : step.kind), [
			['slow', 2500], ['slow', undefined], ['manual', undefined], ['arrival', undefined], 'manual', 'arrival', 'manual',
		]);
	});

	test('the rest of the vocabulary', () => {
		const parsed = steps([
			'listen 8080',
			'auto on',
			'auto off ack retransmit',
			'auto on ack=immediate',
			'fault in drop count 3 on data   # lose three',
			'fault out window 0 for 2s',
			'fault clear',
			'sleep 250ms',
			'expect nothing within 500ms',
			'expect RST,ACK exactly seq=0 ack=@1234 win=$w len=0',
			'send RST seq=$w',
			'send ACK noopts hex=0d0a urg=1',
			'read',
			'connect $peer:$port sport=40000 iss=4294966296',
		].join('\n'));
		assert.deepEqual(parsed.map(step => step.kind), ['listen', 'auto', 'auto', 'auto', 'fault', 'fault', 'fault-clear', 'sleep', 'expect-nothing', 'expect-segment', 'send', 'send', 'read', 'connect']);
		assert.deepEqual((parsed[1] as {policies: unknown}).policies, {handshake: true, ack: 'delayed', retransmit: true, probes: true, windowUpdate: true, fin: true, read: 'arrival'});
		assert.deepEqual((parsed[2] as {policies: unknown}).policies, {ack: 'off', retransmit: false});
		assert.deepEqual((parsed[3] as {policies: unknown}).policies, {ack: 'immediate'});
		assert.deepEqual((parsed[4] as {plan: unknown}).plan, {direction: 'in', fault: {kind: 'drop'}, count: 3, match: 'data'});
		assert.deepEqual((parsed[5] as {plan: unknown}).plan, {direction: 'out', fault: {kind: 'window', value: 0}, forMs: 2000});
		const expect = parsed[9]!;
		assert.ok(expect.kind === 'expect-segment');
		assert.deepEqual({flags: expect.flags, exact: expect.exact, fields: expect.fields}, {flags: RST | ACK, exact: true, fields: {seq: {literal: 0}, ack: {literal: 1234, absolute: true}, win: {variable: 'w'}, len: {literal: 0}}});
		const raw = parsed[11]!;
		assert.ok(raw.kind === 'send');
		assert.deepEqual(raw.fields, {urg: {literal: 1}, data: new Uint8Array([13, 10]), options: []});
		assert.deepEqual(parsed[13], {line: 14, text: 'connect $peer:$port sport=40000 iss=4294966296', kind: 'connect', host: '$peer', port: '$port', sport: 40_000, iss: 4_294_966_296});
		assert.equal(FIN, 1);
	});

	// Each malformed script fails at the right line and column, before anything runs.
	const malformed: Array<[string, string, number, number, RegExp]> = [
		['unknown step', 'connect 198.18.0.2:80\nsned SYN', 2, 1, /unknown step "sned"/],
		['bad flag name', 'connect 198.18.0.2:80\nsend SYN,AKC', 2, 6, /TCP flags/],
		['port out of range', 'connect 198.18.0.2:99999', 1, 20, /port 99999/],
		['no port', 'connect 198.18.0.2', 1, 9, /HOST:PORT/],
		['unclosed string', 'connect h:1\nsend PSH,ACK data="GET /', 2, 14, /not closed/],
		['bad escape', 'connect h:1\nsend PSH,ACK data="a\\qb"', 2, 21, /unknown escape \\q/],
		['bad duration', 'connect h:1\nexpect SYN,ACK within 1 second', 2, 23, /duration/],
		['bad state', 'connect h:1\nexpect state ESTABLISH', 2, 14, /RFC 9293 state/],
		['bad number', 'connect h:1\nsend ACK seq=-1', 2, 14, /number from 0/],
		['bad fault', 'connect h:1\nfault out window 99999', 2, 18, /window needs/],
		['bad policy', 'auto on turbo', 1, 9, /unknown policy "turbo"/],
		['bad reader mode', 'reader fast', 1, 8, /reader mode: arrival, manual, or slow/],
		['reader rate not a number', 'reader slow 10kB', 1, 13, /bytes per second/],
		['reader rate zero', 'reader slow 0', 1, 13, /bytes per second/],
		['rate for a mode without one', 'reader manual 100', 1, 15, /only slow takes a rate/],
		['send before connect', 'send SYN\nconnect h:1', 1, 1, /before any connect/],
		['trailing word', 'connect h:1\nexpect nothing within 1s please', 2, 26, /unexpected "please"/],
		['len in send', 'connect h:1\nsend ACK len=3', 2, 10, /len is for expect/],
	];
	for (const [name, source, line, column, message] of malformed) {
		test(`malformed: ${name} -> line ${line}, column ${column}`, () => {
			const parsed = parseScenario(source);
			assert.equal(parsed.ok, false);
			if (parsed.ok) return;
			assert.deepEqual([parsed.line, parsed.column], [line, column], parsed.message);
			assert.match(parsed.message, message);
		});
	}
});

describe('several connections: on #N', () => {
	test('send, expect and read take `on #N` anywhere after the keyword; other steps act on the newest', () => {
		const parsed = steps(['connect 198.18.0.2:80', 'listen 8080', 'send RST on #1', 'expect SYN,ACK on #1 within 2s', 'expect data ~ "x" within 1s on #2', 'read on #2', 'send SYN  # a comment, not on #1'].join('\n'));
		assert.deepEqual(parsed.map(step => step.on), [undefined, undefined, 1, 1, 2, 2, undefined]);
		const expect = parsed[3]!;
		assert.ok(expect.kind === 'expect-segment' && expect.withinMs === 2000 && expect.flags === (SYN | ACK));
	});

	test('a fault takes `on #N` beside its own `on CLASS`, in either order', () => {
		const parsed = steps(['connect 198.18.0.2:80', 'connect 198.18.0.2:7', 'fault out drop on data on #1', 'fault in delay 200ms on #2 on ack', 'fault out window 0 on fin'].join('\n'));
		assert.deepEqual(parsed.map(step => step.on), [undefined, undefined, 1, 2, undefined]);
		const classes = parsed.slice(2).map(step => (step.kind === 'fault' ? step.plan.match : undefined));
		assert.deepEqual(classes, ['data', 'ack', 'fin']);
	});

	for (const [script, where, message] of [
		['connect 198.18.0.2:80\nsend RST on #2', '2:13', /on #2: only 1 connect or listen step comes before this line/],
		['connect 198.18.0.2:80\nsend RST on 1', '2:13', /on needs a connection, like on #1/],
		['connect 198.18.0.2:80\nsend RST on #0', '2:13', /on needs a connection/],
		['connect 198.18.0.2:80\nsleep 1s on #1', '2:10', /unexpected "on"/],
	] as const) {
		test(`${JSON.stringify(script.split('\n')[1])}: ${where}`, () => {
			const parsed = parseScenario(script);
			assert.ok(!parsed.ok);
			assert.equal(`${parsed.line}:${parsed.column}`, where);
			assert.match(parsed.message, message);
		});
	}
});
