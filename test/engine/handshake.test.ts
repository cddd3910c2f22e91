import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {type TcpOption} from '../../source/wire/records.js';
import {seqAdd} from '../../source/engine/seq.js';
import {hasVerdict} from '../../source/engine/verdict.js';
import {ACK, codes, connectionIn, FIN, harness, localPort, ourIss, peerIss, peerSegment, remotePort, RST, SYN} from '../helpers/engine.js';

const peerOptions: TcpOption[] = [
	{kind: 'mss', value: 1400},
	{kind: 'sackOK'},
	{kind: 'timestamps', value: 777, echo: 0},
	{kind: 'nop'},
	{kind: 'wscale', shift: 9},
];

describe('CLOSED', () => {
	it('active open: SYN at ISS with MSS, SACK-permitted, timestamps and window scale -> SYN-SENT', () => {
		const {connection} = harness();
		const {segment, verdicts, events} = connection.sendSyn(0);
		assert.equal(segment.flags, SYN);
		assert.equal(segment.seq, ourIss);
		assert.equal(segment.sourcePort, localPort);
		assert.equal(segment.destinationPort, remotePort);
		assert.deepEqual(segment.options.map(o => o.kind), ['mss', 'sackOK', 'timestamps', 'nop', 'wscale']);
		assert.ok(segment.window <= 0xff_ff, 'the window in a SYN is not scaled');
		assert.deepEqual(verdicts, []);
		assert.equal(connection.state, 'SYN-SENT');
		assert.deepEqual(events.map(e => e.type), ['state']);
		const snap = connection.snapshot();
		assert.equal(snap.sndUna, ourIss);
		assert.equal(snap.sndNxt, ourIss + 1);
		assert.equal(snap.transitions[0]!.from, 'CLOSED');
		assert.match(snap.transitions[0]!.why, /RFC 9293/);
	});

	it('each SYN option can be switched off', () => {
		const {connection} = harness({config: {sackPermitted: false, timestamps: false, windowScale: false, mss: 1200}});
		const {segment} = connection.sendSyn(0);
		assert.deepEqual(segment.options, [{kind: 'mss', value: 1200}]);
	});

	it('ISS comes from the injected random source when not configured', () => {
		const a = harness({config: {iss: undefined, random: () => 0.5}}).connection.sendSyn(0).segment.seq;
		assert.equal(a, 2 ** 31);
	});

	it('a seq override on the opening SYN becomes ISS', () => {
		const {connection} = harness();
		connection.sendSyn(0, {seq: 0xff_ff_fc_18});
		assert.equal(connection.snapshot().iss, 0xff_ff_fc_18);
		assert.equal(connection.snapshot().sndNxt, 0xff_ff_fc_19);
	});

	it('a segment to a CLOSED connection draws the RST a real host sends', () => {
		const {connection} = harness();
		const result = connection.receive(0, peerSegment({seq: 42, flags: SYN}));
		assert.deepEqual(codes(result), ['no-connection']);
		assert.equal(result.respond[0]!.kind, 'rst');
		assert.equal(result.respond[0]!.segment.flags, RST | ACK);
		assert.equal(result.respond[0]!.segment.ack, 43);
	});
});

describe('LISTEN', () => {
	it('SYN -> SYN-RECEIVED; IRS and RCV.NXT set; the SYN-ACK is offered, not sent', () => {
		const {connection} = connectionIn('LISTEN', {config: {remotePort: undefined}});
		const result = connection.receive(0, peerSegment({seq: peerIss, sourcePort: 5555, flags: SYN, options: peerOptions}));
		assert.equal(connection.state, 'SYN-RECEIVED');
		assert.equal(connection.remotePort, 5555);
		const snap = connection.snapshot();
		assert.equal(snap.irs, peerIss);
		assert.equal(snap.rcvNxt, peerIss + 1);
		assert.equal(snap.sndNxt, snap.iss, 'SND.NXT waits until the SYN-ACK is sent');
		const [reply] = result.respond;
		assert.equal(reply!.kind, 'syn-ack');
		assert.equal(reply!.segment.flags, SYN | ACK);
		assert.equal(reply!.segment.ack, peerIss + 1);
		assert.equal(reply!.segment.destinationPort, 5555);
		const ts = reply!.segment.options.find(o => o.kind === 'timestamps');
		assert.deepEqual(ts && ts.kind === 'timestamps' && ts.echo, 777);
		connection.sendReply(0, reply!);
		assert.equal(connection.snapshot().sndNxt, seqAdd(snap.iss, 1));
	});

	it('the SYN-ACK offers only the options the SYN carried', () => {
		const {connection} = connectionIn('LISTEN');
		const result = connection.receive(0, peerSegment({seq: peerIss, flags: SYN, options: [{kind: 'mss', value: 1460}]}));
		assert.deepEqual(result.respond[0]!.segment.options.map(o => o.kind), ['mss']);
	});

	it('ACK in LISTEN would draw RST <SEQ=SEG.ACK>; RST is ignored', () => {
		const {connection} = connectionIn('LISTEN');
		const ack = connection.receive(0, peerSegment({seq: 1, ack: 999, flags: ACK}));
		assert.deepEqual(codes(ack), ['would-reset']);
		assert.equal(ack.respond[0]!.segment.seq, 999);
		assert.equal(ack.respond[0]!.segment.flags, RST);
		const rst = connection.receive(0, peerSegment({seq: 1, flags: RST}));
		assert.deepEqual(codes(rst), ['ignored']);
		assert.equal(rst.respond.length, 0);
		assert.equal(connection.state, 'LISTEN');
	});
});

describe('SYN-SENT', () => {
	it('SYN-ACK acknowledging our SYN -> ESTABLISHED with RCV.NXT = IRS+1, answered by an ACK', () => {
		const {connection} = connectionIn('SYN-SENT');
		const result = connection.receive(0, peerSegment({seq: peerIss, ack: ourIss + 1, flags: SYN | ACK, window: 29_200}));
		assert.equal(connection.state, 'ESTABLISHED');
		assert.ok(result.accepted);
		const snap = connection.snapshot();
		assert.equal(snap.irs, peerIss);
		assert.equal(snap.rcvNxt, peerIss + 1);
		assert.equal(snap.sndUna, ourIss + 1);
		assert.equal(snap.sndWnd, 29_200);
		assert.equal(snap.retransmissionQueueLength, 0, 'the SYN left the retransmission queue');
		assert.equal(result.respond[0]!.kind, 'ack');
		assert.equal(result.respond[0]!.segment.ack, peerIss + 1);
		assert.equal(result.respond[0]!.segment.seq, ourIss + 1);
	});

	it('negotiates MSS, window scale, SACK and timestamps when both SYNs carry them', () => {
		const {connection} = connectionIn('ESTABLISHED', {peerSynOptions: peerOptions});
		const {options} = connection.snapshot();
		assert.deepEqual(options.windowScale, {snd: 9, rcv: 7});
		assert.equal(options.sackPermitted, true);
		assert.deepEqual(options.timestamps, {tsRecent: 777});
		assert.equal(options.peerMss, 1400);
		assert.equal(options.sndMss, 1388, 'MSS less the 12 bytes timestamps take');
	});

	it('without the peer\'s options nothing is negotiated and the send MSS defaults to 536', () => {
		const {connection} = connectionIn('ESTABLISHED');
		const {options} = connection.snapshot();
		assert.equal(options.windowScale, undefined);
		assert.equal(options.timestamps, undefined);
		assert.equal(options.sackPermitted, false);
		assert.equal(options.sndMss, 536);
	});

	it('an ACK that does not acknowledge our SYN would draw RST and changes nothing', () => {
		const {connection} = connectionIn('SYN-SENT');
		const result = connection.receive(0, peerSegment({seq: peerIss, ack: ourIss + 50, flags: SYN | ACK}));
		assert.deepEqual(codes(result), ['would-reset']);
		assert.equal(result.respond[0]!.segment.seq, ourIss + 50);
		assert.equal(connection.state, 'SYN-SENT');
	});

	it('RST acknowledging our SYN: connection refused -> CLOSED, with the reason recorded', () => {
		const {connection} = connectionIn('SYN-SENT');
		const result = connection.receive(0, peerSegment({seq: 0, ack: ourIss + 1, flags: RST | ACK}));
		assert.equal(connection.state, 'CLOSED');
		assert.deepEqual(codes(result), ['reset']);
		assert.ok(result.events.some(e => e.type === 'reset' && e.by === 'peer'));
		assert.match(connection.transitions.at(-1)!.why, /refused/);
	});

	it('RST without ACK is dropped (RFC 5961)', () => {
		const {connection} = connectionIn('SYN-SENT');
		const result = connection.receive(0, peerSegment({seq: 0, flags: RST}));
		assert.equal(connection.state, 'SYN-SENT');
		assert.deepEqual(codes(result), ['ignored']);
	});

	it('simultaneous open: SYN without ACK -> SYN-RECEIVED, then the ACK of our SYN -> ESTABLISHED', () => {
		const {connection} = connectionIn('SYN-SENT');
		const syn = connection.receive(0, peerSegment({seq: peerIss, flags: SYN}));
		assert.equal(connection.state, 'SYN-RECEIVED');
		const reply = syn.respond[0]!;
		assert.equal(reply.kind, 'syn-ack');
		assert.equal(reply.segment.seq, ourIss, 'the SYN-ACK re-sends our SYN');
		assert.deepEqual(codes(connection.sendReply(0, reply)), ['retransmission']);
		assert.equal(connection.snapshot().sndNxt, ourIss + 1);
		connection.receive(1, peerSegment({seq: peerIss + 1, ack: ourIss + 1, flags: SYN | ACK}));
		// A SYN-ACK in SYN-RECEIVED is a SYN in a synchronizing state: challenge ACK, no change.
		assert.equal(connection.state, 'SYN-RECEIVED');
		connection.receive(1, peerSegment({seq: peerIss + 1, ack: ourIss + 1, flags: ACK}));
		assert.equal(connection.state, 'ESTABLISHED');
		assert.deepEqual(connection.transitions.map(t => t.to), ['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED']);
	});
});

describe('SYN-RECEIVED', () => {
	it('the ACK of our SYN-ACK -> ESTABLISHED', () => {
		const h = connectionIn('SYN-RECEIVED');
		const result = h.connection.receive(0, h.from());
		assert.ok(result.accepted);
		assert.equal(h.connection.state, 'ESTABLISHED');
		assert.equal(h.connection.snapshot().sndUna, h.connection.snapshot().sndNxt);
	});

	it('an ACK of something else would draw RST', () => {
		const h = connectionIn('SYN-RECEIVED');
		const result = h.connection.receive(0, h.from({ack: seqAdd(h.connection.snapshot().iss, 10)}));
		assert.ok(hasVerdict(result.verdicts, 'would-reset'));
		assert.equal(result.respond[0]!.kind, 'rst');
		assert.equal(h.connection.state, 'SYN-RECEIVED');
	});

	it('the peer re-sending its SYN is a retransmission answered with our SYN-ACK', () => {
		const h = connectionIn('SYN-RECEIVED');
		const result = h.connection.receive(0, peerSegment({seq: peerIss, flags: SYN}));
		assert.deepEqual(codes(result), ['retransmission']);
		assert.equal(result.respond[0]!.kind, 'syn-ack');
	});

	it('RST at RCV.NXT returns a passive connection to LISTEN', () => {
		const h = connectionIn('SYN-RECEIVED');
		h.connection.receive(0, h.from({flags: RST, ack: 0}));
		assert.equal(h.connection.state, 'LISTEN');
	});

	it('the handshake ACK carrying data delivers it', () => {
		const h = connectionIn('SYN-RECEIVED');
		const result = h.connection.receive(0, h.data('hello'));
		assert.equal(h.connection.state, 'ESTABLISHED');
		assert.ok(result.events.some(e => e.type === 'data' && e.length === 5));
		assert.equal(new TextDecoder().decode(h.connection.read()), 'hello');
	});

	it('FIN on the handshake ACK -> CLOSE-WAIT', () => {
		const h = connectionIn('SYN-RECEIVED');
		h.connection.receive(0, h.from({flags: ACK | FIN}));
		assert.equal(h.connection.state, 'CLOSE-WAIT');
	});
});
