import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {initialWindow, NewReno} from '../../source/engine/new-reno.js';
import {seqAdd} from '../../source/engine/seq.js';

const mss = 1000;
const iss = 1000;
/** Our sequence number `n` octets after the SYN. */
const at = (n: number) => seqAdd(iss, 1 + n);

/**
 * A sender that has sent `sent` octets after the SYN, of which `acked` are acknowledged, with cwnd
 * and ssthresh set as given (the state a test starts from).
 */
function sender(fields: {cwnd?: number; ssthresh?: number; iss?: number} = {}): NewReno {
	const cc = new NewReno(mss, fields.iss ?? iss);
	if (fields.cwnd !== undefined) cc.cwnd = fields.cwnd;
	if (fields.ssthresh !== undefined) cc.ssthresh = fields.ssthresh;
	return cc;
}

describe('initial window', () => {
	it('RFC 6928: min(10*MSS, max(2*MSS, 14600))', () => {
		assert.equal(initialWindow(1460), 14_600);
		assert.equal(initialWindow(536), 5360);
		assert.equal(initialWindow(9000), 18_000);
	});

	it('RFC 5681 §3.1: one segment after the SYN or SYN-ACK was lost', () => {
		assert.equal(initialWindow(1460, true), 1460);
		assert.equal(new NewReno(1460, iss, true).cwnd, 1460);
	});

	it('RFC 5681 §3.1: ssthresh starts arbitrarily high, so the connection starts in slow start', () => {
		assert.equal(new NewReno(mss, iss).ssthresh, Number.POSITIVE_INFINITY);
	});
});

describe('slow start and congestion avoidance (RFC 5681 §3.1, RFC 3465 byte counting)', () => {
	it('slow start: cwnd grows by the octets each ACK acknowledges', () => {
		const cc = sender({cwnd: 4000});
		cc.onNewAck(at(1000), 1000, 3000);
		assert.equal(cc.cwnd, 5000);
		cc.onNewAck(at(1500), 500, 2500);
		assert.equal(cc.cwnd, 5500);
	});

	it('RFC 3465 §2.2: a stretch ACK grows cwnd by at most L = 2*SMSS', () => {
		const cc = sender({cwnd: 10_000});
		cc.onNewAck(at(5000), 5000, 5000);
		assert.equal(cc.cwnd, 12_000);
	});

	it('a window the sender did not fill does not grow (RFC 7661)', () => {
		const cc = sender({cwnd: 10_000});
		cc.onNewAck(at(1000), 1000, 0, false);
		assert.equal(cc.cwnd, 10_000);
	});

	it('congestion avoidance (cwnd >= ssthresh): one SMSS per cwnd of acknowledged octets', () => {
		const cc = sender({cwnd: 4000, ssthresh: 4000});
		const grown: number[] = [];
		for (let i = 1; i <= 8; i++) {
			cc.onNewAck(at(i * 1000), 1000, 3000);
			grown.push(cc.cwnd);
		}

		// 4000 octets acknowledged at cwnd 4000 make 5000; 5000 more are needed for 6000.
		assert.deepEqual(grown, [4000, 4000, 4000, 5000, 5000, 5000, 5000, 5000]);
		cc.onNewAck(at(9000), 1000, 3000);
		assert.equal(cc.cwnd, 6000);
	});

	it('eq. 4 on a timeout: ssthresh = max(FlightSize/2, 2*SMSS), cwnd = the loss window of 1 SMSS', () => {
		const cc = sender({cwnd: 20_000});
		cc.onTimeout(10_000, at(10_000));
		assert.equal(cc.ssthresh, 5000);
		assert.equal(cc.cwnd, 1000);
		const small = sender();
		small.onTimeout(1000, at(1000));
		assert.equal(small.ssthresh, 2000);
	});

	it('after a timeout slow start runs up to the new ssthresh, then congestion avoidance takes over', () => {
		const cc = sender({cwnd: 20_000});
		cc.onTimeout(8000, at(8000));
		for (let i = 1; i <= 3; i++) cc.onNewAck(at(i * 1000), 1000, 0);
		assert.equal(cc.cwnd, 4000);
		cc.onNewAck(at(4000), 1000, 0);
		assert.equal(cc.cwnd, 4000, 'at ssthresh: byte counting towards the next SMSS');
	});
});

describe('fast retransmit and NewReno fast recovery (RFC 5681 §3.2, RFC 6582 §3.2)', () => {
	/** 10 segments in flight from `at(0)`, the first lost: three duplicate ACKs start recovery. */
	function inRecovery(): NewReno {
		const cc = sender({cwnd: 10_000});
		assert.equal(cc.onDuplicateAck(1, at(0), at(10_000)), 'none');
		assert.equal(cc.onDuplicateAck(2, at(0), at(10_000)), 'none');
		assert.equal(cc.cwnd, 10_000, 'the first two duplicates change nothing');
		assert.equal(cc.onDuplicateAck(3, at(0), at(10_000)), 'retransmit');
		return cc;
	}

	it('the third duplicate ACK: retransmit, ssthresh = max(FlightSize/2, 2*SMSS), cwnd = ssthresh + 3*SMSS, recover = highest sent', () => {
		const cc = inRecovery();
		assert.equal(cc.ssthresh, 5000);
		assert.equal(cc.cwnd, 8000);
		assert.equal(cc.recover, at(10_000));
		assert.equal(cc.inRecovery, true);
		assert.equal(cc.fastRetransmits, 1);
	});

	it('step 3: each further duplicate ACK inflates cwnd by SMSS, and retransmits nothing', () => {
		const cc = inRecovery();
		assert.equal(cc.onDuplicateAck(4, at(0), at(10_000)), 'none');
		assert.equal(cc.onDuplicateAck(5, at(0), at(10_000)), 'none');
		assert.equal(cc.cwnd, 10_000);
	});

	it('step 5: a partial ACK retransmits the next hole, deflates by the octets acknowledged and adds back SMSS', () => {
		const cc = inRecovery();
		assert.equal(cc.onNewAck(at(3000), 3000, 7000), 'retransmit');
		assert.equal(cc.cwnd, 8000 - 3000 + 1000);
		assert.equal(cc.inRecovery, true);
		assert.equal(cc.firstPartialAck, true, 'the first partial ACK restarts the retransmission timer');
		assert.equal(cc.onNewAck(at(3500), 500, 6500), 'retransmit');
		assert.equal(cc.cwnd, 6000 - 500, 'less than SMSS acknowledged: nothing added back');
		assert.equal(cc.firstPartialAck, false);
	});

	it('step 6: the ACK that covers recover ends recovery with cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)', () => {
		const cc = inRecovery();
		assert.equal(cc.onNewAck(at(10_000), 10_000, 0), 'none');
		assert.equal(cc.inRecovery, false);
		assert.equal(cc.cwnd, 2000);
		const busy = inRecovery();
		busy.onNewAck(at(10_000), 10_000, 8000);
		assert.equal(busy.cwnd, 5000, 'never above ssthresh');
	});

	it('step 1: duplicate ACKs that do not cover more than recover start no second fast retransmit', () => {
		const cc = inRecovery();
		cc.onNewAck(at(10_000), 10_000, 5000);
		// The sender has sent up to at(15_000) since; duplicates for at(10_000) are not beyond recover (at(10_000)).
		assert.equal(cc.onDuplicateAck(3, at(10_000), at(15_000)), 'none');
		assert.equal(cc.fastRetransmits, 1);
		assert.equal(cc.ssthresh, 5000);
		assert.equal(cc.onDuplicateAck(3, at(10_001), at(15_000)), 'retransmit', 'beyond recover: a new loss');
		assert.equal(cc.fastRetransmits, 2);
	});

	it('after a timeout recover is the highest octet sent (RFC 6582 §3.2 step 4): its duplicates start no fast retransmit', () => {
		const cc = sender({cwnd: 10_000});
		cc.onTimeout(10_000, at(10_000));
		assert.equal(cc.onDuplicateAck(3, at(2000), at(10_000)), 'none');
		assert.equal(cc.cwnd, 1000);
	});

	it('recover compares across the 2^32 wrap (RFC 9293 §3.4)', () => {
		const nearWrap = 0xff_ff_f0_00;
		const cc = sender({cwnd: 10_000, iss: nearWrap});
		const una = seqAdd(nearWrap, 1);
		const nxt = seqAdd(una, 10_000);
		assert.ok(nxt < una, 'SND.NXT has wrapped');
		assert.equal(cc.onDuplicateAck(3, una, nxt), 'retransmit');
		assert.equal(cc.onNewAck(seqAdd(una, 4000), 4000, 6000), 'retransmit', 'partial: before recover although numerically larger');
		assert.equal(cc.onNewAck(nxt, 6000, 0), 'none', 'full: reaches recover although numerically smaller');
		assert.equal(cc.inRecovery, false);
	});
});
