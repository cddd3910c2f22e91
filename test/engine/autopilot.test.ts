// Auto mode on virtual time: delayed ACKs, RFC 6298 retransmission (Karn, backoff), fast retransmit
// and NewReno recovery, the persist timer, window updates. The peer is scripted segment by segment.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Autopilot, type AutopilotPolicies} from '../../source/engine/autopilot.js';
import type {SendResult} from '../../source/engine/connection.js';
import {NewReno} from '../../source/engine/new-reno.js';
import {seqAdd, seqSub} from '../../source/engine/seq.js';
import type {TcpRecord} from '../../source/wire/records.js';
import {ACK, connectionIn, type Harness, type HarnessOptions} from '../helpers/engine.js';

const allOn: AutopilotPolicies = {handshake: true, ack: 'delayed', retransmit: true, probes: true, windowUpdate: true, fin: true, rstUnknown: false};
const mss = 1000;

type Pilot = Harness & {
	readonly pilot: Autopilot;
	/** The peer's segment goes in; what auto mode sent in answer comes out. */
	take(segment: TcpRecord): TcpRecord[];
	/** A bare ACK from the peer acknowledging `ack` (default: our SND.NXT) with `window`. */
	ackUpTo(ack?: number, window?: number): TcpRecord[];
	/** Advances virtual time to `at` and runs the timers. */
	at(at: number): TcpRecord[];
	iss: number;
};

function segments(results: readonly SendResult[]): TcpRecord[] {
	return results.map(result => result.segment);
}

function pilotIn(options: {policies?: Partial<AutopilotPolicies>; harness?: HarnessOptions; rtoMin?: number} = {}): Pilot {
	const h = connectionIn('ESTABLISHED', {peerSynOptions: [{kind: 'mss', value: mss}], ...options.harness});
	const pilot = new Autopilot(h.connection, {...allOn, ...options.policies}, {rto: {min: options.rtoMin ?? 1000}});
	pilot.sent(h.clock.now);
	const p: Pilot = Object.assign(h, {
		pilot,
		iss: h.connection.tcb.iss,
		take(segment: TcpRecord) {
			const result = h.connection.receive(h.clock.now, segment);
			return segments(pilot.afterReceive(h.clock.now, result, segment.payload.length));
		},
		ackUpTo(ack = h.connection.tcb.sndNxt, window?: number) {
			return p.take(h.from({ack, flags: ACK, ...(window === undefined ? {} : {window})}));
		},
		at(at: number) {
			h.clock.now = at;
			return segments(pilot.poll(at));
		},
	});
	return p;
}

const payloadOf = (segments: readonly TcpRecord[]) => segments.reduce((sum, segment) => sum + segment.payload.length, 0);

describe('delayed ACKs (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2)', () => {
	test('one full-sized segment waits for the 40 ms timer, not longer', () => {
		const p = pilotIn();
		assert.deepEqual(p.take(p.data(new Uint8Array(mss))), []);
		assert.equal(p.pilot.flushWanted, false, 'one segment is not yet two');
		assert.deepEqual(segments(p.pilot.flush(p.clock.now)), [], 'the batch end alone does not ACK one segment');
		assert.equal(p.pilot.pollAt(), 40);
		assert.deepEqual(p.at(39), []);
		const [ack] = p.at(40);
		assert.equal(ack!.ack, p.connection.tcb.rcvNxt);
		assert.equal(p.pilot.pollAt(), undefined, 'nothing left to time');
	});

	test('the second full-sized segment makes the ACK due at the end of the batch', () => {
		const p = pilotIn();
		p.take(p.data(new Uint8Array(mss)));
		assert.deepEqual(p.take(p.data(new Uint8Array(mss))), [], 'not inside the batch');
		assert.equal(p.pilot.flushWanted, true);
		const sent = segments(p.pilot.flush(p.clock.now));
		assert.equal(sent.length, 1);
		assert.equal(sent[0]!.ack, p.connection.tcb.rcvNxt);
	});

	test('a batch never holds more than 64 KiB unacknowledged', () => {
		const p = pilotIn({harness: {config: {receiveBuffer: 1 << 20}}});
		let acks = 0;
		for (let i = 0; i < 100; i++) acks += p.take(p.data(new Uint8Array(mss))).length;
		assert.equal(acks, Math.floor(100 * mss / 65_536));
	});

	test('out-of-order data is ACKed at once, with SACK; so is the segment that fills the hole', () => {
		const p = pilotIn({harness: {peerSynOptions: [{kind: 'mss', value: mss}, {kind: 'sackOK'}]}});
		const first = p.data(new Uint8Array(mss));
		const [dup] = p.take(p.data(new Uint8Array(mss)));
		assert.ok(dup, 'a duplicate ACK at once');
		assert.equal(dup.ack, seqAdd(p.connection.tcb.irs!, 1));
		assert.ok(dup.options.some(option => option.kind === 'sack'));
		const [fill] = p.take(first);
		assert.equal(fill!.ack, p.connection.tcb.rcvNxt, 'the hole filled: ACK of everything at once');
	});

	test('policy immediate ACKs every segment; policy off ACKs none', () => {
		const immediate = pilotIn({policies: {ack: 'immediate'}});
		assert.equal(immediate.take(immediate.data(new Uint8Array(10))).length, 1);
		assert.equal(immediate.take(immediate.data(new Uint8Array(10))).length, 1);
		const off = pilotIn({policies: {ack: 'off'}});
		off.take(off.data(new Uint8Array(mss)));
		off.take(off.data(new Uint8Array(mss)));
		assert.equal(off.pilot.flushWanted, false);
		assert.equal(off.pilot.pollAt(), undefined);
	});
});

describe('retransmission timer (RFC 6298)', () => {
	test('the first RTO is 1 s; it backs off 2, 4, 8 s, each time re-sending the oldest segment', () => {
		const p = pilotIn();
		p.pilot.write(new Uint8Array(500));
		const [first] = segments(p.pilot.output(0));
		assert.equal(first!.payload.length, 500);
		assert.equal(p.pilot.pollAt(), 1000);
		const fires: number[] = [];
		let at = 0;
		for (let i = 0; i < 4; i++) {
			at = p.pilot.pollAt()!;
			const again = p.at(at);
			assert.equal(again.length, 1);
			assert.equal(again[0]!.seq, first!.seq, 'the oldest unacknowledged segment');
			fires.push(at);
		}

		assert.deepEqual(fires, [1000, 3000, 7000, 15_000]);
		assert.equal(p.pilot.stats.timeouts, 4);
	});

	test('Karn: the ACK of a retransmitted segment gives no RTT sample; a segment sent once does', () => {
		const p = pilotIn();
		p.pilot.write(new Uint8Array(500));
		p.pilot.output(0);
		p.at(1000);
		p.clock.now = 1100;
		p.ackUpTo();
		assert.equal(p.pilot.rtt.srtt, undefined, 'ambiguous: no sample');
		assert.equal(p.pilot.rtt.rto, 2000, 'the backed-off RTO is kept');
		p.pilot.write(new Uint8Array(500));
		p.pilot.output(p.clock.now);
		p.clock.now = 1150;
		p.ackUpTo();
		assert.equal(p.pilot.rtt.srtt, 50);
		// RFC 6298 §2.2: RTO = SRTT + max(G, 4 * RTTVAR) = 50 + 100, raised to the 1 s minimum.
		assert.equal(p.pilot.rtt.rto, 1000);
	});

	test('RTO follows SRTT and RTTVAR above the minimum (RFC 6298 §2.2, §2.3)', () => {
		const p = pilotIn({rtoMin: 1});
		p.pilot.write(new Uint8Array(3000));
		p.pilot.output(0);
		p.clock.now = 100;
		p.ackUpTo(seqAdd(p.connection.tcb.sndUna, mss));
		assert.equal(p.pilot.rtt.rto, 100 + (4 * 50));
		p.pilot.write(new Uint8Array(10));
		p.pilot.output(p.clock.now);
		p.clock.now = 300;
		p.ackUpTo();
		// RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5; SRTT = 7/8*100 + 1/8*200 = 112.5.
		assert.equal(p.pilot.rtt.srtt, 112.5);
		assert.equal(p.pilot.rtt.rto, 112.5 + (4 * 62.5));
	});

	test('everything acknowledged stops the timer; new data acknowledged restarts it', () => {
		const p = pilotIn();
		p.pilot.write(new Uint8Array(2 * mss));
		p.pilot.output(0);
		p.clock.now = 600;
		p.ackUpTo(seqAdd(p.connection.tcb.sndUna, mss));
		assert.equal(p.pilot.pollAt(), 600 + p.pilot.rtt.rto);
		p.ackUpTo();
		assert.equal(p.pilot.pollAt(), undefined);
	});

	test('a timeout collapses cwnd to one MSS and halves ssthresh; the rest goes back N from SND.UNA', () => {
		const p = pilotIn();
		p.pilot.write(new Uint8Array(6 * mss));
		const sent = segments(p.pilot.output(0));
		assert.equal(sent.length, 6);
		const again = p.at(1000);
		assert.equal(again.length, 1, 'cwnd is one segment after the timeout');
		assert.equal(again[0]!.seq, sent[0]!.seq);
		assert.equal(p.pilot.congestion!.cwnd, mss);
		assert.equal(p.pilot.congestion!.ssthresh, 3 * mss);
		const next = p.ackUpTo(seqAdd(sent[0]!.seq, mss));
		assert.deepEqual(next.map(segment => seqSub(segment.seq, sent[0]!.seq)), [mss, 2 * mss], 'slow start: two segments for one ACKed');
	});
});

describe('fast retransmit and NewReno (RFC 5681 §3.2, RFC 6582)', () => {
	function inFlight(count: number) {
		const p = pilotIn();
		p.pilot.write(new Uint8Array(count * mss));
		const sent = segments(p.pilot.output(0));
		return {p, sent};
	}

	test('the third duplicate ACK re-sends the first segment; ssthresh is half the flight; cwnd = ssthresh + 3 MSS', () => {
		const {p, sent} = inFlight(10);
		assert.equal(sent.length, 10, 'IW = 10 segments (RFC 6928)');
		const una = sent[0]!.seq;
		assert.deepEqual(p.ackUpTo(una), []);
		assert.deepEqual(p.ackUpTo(una), []);
		const [again] = p.ackUpTo(una);
		assert.equal(again!.seq, una);
		assert.equal(again!.payload.length, mss);
		assert.equal(p.pilot.congestion!.ssthresh, 5 * mss);
		assert.equal(p.pilot.congestion!.cwnd, 8 * mss);
		assert.equal(p.pilot.congestion!.inRecovery, true);
		assert.equal(p.pilot.stats.fastRetransmits, 1);
	});

	test('a partial ACK re-sends the next hole at once; the full ACK ends recovery with cwnd deflated', () => {
		const {p, sent} = inFlight(10);
		const una = sent[0]!.seq;
		for (let i = 0; i < 3; i++) p.ackUpTo(una);
		const partial = p.ackUpTo(sent[3]!.seq);
		assert.equal(partial[0]!.seq, sent[3]!.seq, 'the segment after the partial ACK');
		assert.equal(p.pilot.congestion!.inRecovery, true);
		p.ackUpTo();
		assert.equal(p.pilot.congestion!.inRecovery, false);
		assert.equal(p.pilot.congestion!.cwnd, Math.min(5 * mss, mss + mss), 'min(ssthresh, max(FlightSize, MSS) + MSS)');
	});

	test('duplicate ACKs that do not cover the last recovery point start no second fast retransmit (RFC 6582 step 1)', () => {
		const {p, sent} = inFlight(10);
		p.at(1000);
		for (let i = 0; i < 3; i++) p.ackUpTo(sent[0]!.seq);
		assert.equal(p.pilot.stats.fastRetransmits, 0);
	});

	test('slow start grows cwnd by the bytes acknowledged', () => {
		const {p, sent} = inFlight(10);
		const before = p.pilot.congestion!.cwnd;
		p.ackUpTo(sent[2]!.seq);
		assert.equal(p.pilot.congestion!.cwnd, before + (2 * mss));
	});

	test('congestion avoidance grows cwnd by one MSS per window acknowledged (RFC 3465 §2.1)', () => {
		const reno = new NewReno(mss, 0);
		reno.ssthresh = reno.cwnd;
		const cwnd = reno.cwnd;
		let acks = 0;
		for (; acks < 100 && reno.cwnd === cwnd; acks++) reno.onNewAck(acks * mss, mss, 5 * mss);
		assert.equal(reno.cwnd, cwnd + mss);
		assert.equal(acks * mss, cwnd, 'after one window\'s worth of ACKed bytes');
	});
});

describe('persist timer and zero-window probes (RFC 9293 §3.8.6.1)', () => {
	test('a zero window stops sending; a one-octet probe follows on the timer, backed off; the window opens and sending resumes', () => {
		const p = pilotIn();
		p.pilot.write(new Uint8Array(2 * mss));
		const sent = segments(p.pilot.output(0));
		p.clock.now = 10;
		assert.deepEqual(p.ackUpTo(seqAdd(sent[0]!.seq, 2 * mss), 0), [], 'nothing to send into a zero window');
		p.pilot.write(new Uint8Array(3 * mss));
		assert.deepEqual(segments(p.pilot.output(10)), []);
		assert.equal(p.pilot.pollAt(), 1010);
		const [probe] = p.at(1010);
		assert.equal(probe!.payload.length, 1);
		assert.ok(p.pilot.stats.zeroWindowProbes === 1);
		assert.equal(p.pilot.pollAt(), 3010, 'the second probe waits twice as long');
		// The peer drops the probe (its window is zero) and answers with the window still closed.
		p.clock.now = 1011;
		p.ackUpTo(probe!.seq, 0);
		const [second] = p.at(3010);
		assert.equal(second!.seq, probe!.seq, 'the same octet again');
		p.clock.now = 3011;
		const resumed = p.ackUpTo(probe!.seq, 65_535);
		assert.equal(resumed[0]!.seq, probe!.seq, 'sending resumes with the dropped probe octet');
		assert.equal(payloadOf(resumed), 3 * mss);
	});

	test('the probe carries the zero-window-probe verdict', () => {
		const p = pilotIn();
		p.ackUpTo(undefined, 0);
		p.pilot.write(new Uint8Array(10));
		p.pilot.output(0);
		p.clock.now = 1000;
		const results = p.pilot.poll(1000);
		assert.ok(results[0]!.verdicts.some(v => v.code === 'zero-window-probe'));
	});

	test('policy probes off: no persist timer', () => {
		const p = pilotIn({policies: {probes: false}});
		p.ackUpTo(undefined, 0);
		p.pilot.write(new Uint8Array(10));
		p.pilot.output(0);
		assert.equal(p.pilot.pollAt(), undefined);
	});
});

describe('window updates and FIN', () => {
	test('reading a full buffer announces the window once it has opened enough', () => {
		const p = pilotIn({harness: {config: {receiveBuffer: 4 * mss}}, policies: {ack: 'immediate'}});
		for (let i = 0; i < 4; i++) p.take(p.data(new Uint8Array(mss)));
		assert.equal(p.connection.rcvWnd, 0);
		p.connection.read(100);
		assert.deepEqual(segments(p.pilot.afterRead(p.clock.now)), [], 'less than an MSS freed');
		p.connection.read();
		const [update] = segments(p.pilot.afterRead(p.clock.now));
		assert.equal(update!.window, 4 * mss);
		assert.equal(p.pilot.stats.windowUpdates, 1);
	});

	test('close sends FIN after the data; the peer\'s FIN is ACKed at once under the fin policy', () => {
		const p = pilotIn();
		p.pilot.write(new Uint8Array(10));
		p.pilot.close();
		const out = segments(p.pilot.output(0));
		assert.equal(out.length, 2);
		assert.equal(out[1]!.flags & 0x01, 1, 'FIN last');
		assert.equal(p.connection.state, 'FIN-WAIT-1');
		p.ackUpTo();
		const [ack] = p.take(p.from({flags: ACK | 0x01}));
		assert.equal(ack!.ack, p.connection.tcb.rcvNxt);
		assert.equal(p.connection.state, 'TIME-WAIT');
	});
});

describe('auto mode beside manual actions', () => {
	test('written data starts after data sent by hand', () => {
		const p = pilotIn();
		p.connection.sendData(0, new Uint8Array(5));
		p.pilot.sent(0);
		p.pilot.write(new Uint8Array(10));
		const [ours] = segments(p.pilot.output(0));
		assert.equal(ours!.seq, seqAdd(p.iss, 1 + 5));
		assert.equal(p.connection.tcb.sndNxt, seqAdd(p.iss, 1 + 15));
	});

	test('a FIN sent by hand is retransmitted on timeout', () => {
		const p = pilotIn();
		const fin = p.connection.sendFin(0).segment;
		p.pilot.sent(0);
		const [again] = p.at(1000);
		assert.equal(again!.seq, fin.seq);
		assert.equal(again!.flags & 0x01, 1);
	});
});
