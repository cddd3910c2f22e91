import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {RttEstimator} from '../../source/engine/rtt.js';

// No lower bound, so that the formulas show through RFC 6298 §2.4's 1 s floor.
const unclamped = {min: 0, granularity: 1};

describe('RFC 6298 retransmission timeout', () => {
	it('§2.1: before any measurement RTO is 1 second and there is no SRTT', () => {
		const rtt = new RttEstimator();
		assert.equal(rtt.rto, 1000);
		assert.equal(rtt.srtt, undefined);
	});

	it('§2.2: the first measurement R gives SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4*RTTVAR)', () => {
		const rtt = new RttEstimator(unclamped);
		rtt.sample(100);
		assert.equal(rtt.srtt, 100);
		assert.equal(rtt.rttvar, 50);
		assert.equal(rtt.rto, 300);
	});

	it('§2.3: RTTVAR is updated with the SRTT from before this measurement, then SRTT (alpha 1/8, beta 1/4)', () => {
		const rtt = new RttEstimator(unclamped);
		rtt.sample(100);
		rtt.sample(200);
		// RTTVAR = 3/4 * 50 + 1/4 * |100 - 200|; computed with the new SRTT (112.5) it would be 59.375.
		assert.equal(rtt.rttvar, 62.5);
		assert.equal(rtt.srtt, 112.5);
		assert.equal(rtt.rto, 112.5 + (4 * 62.5));
	});

	it('§2.3: SRTT moves an eighth of the way towards each new measurement', () => {
		const rtt = new RttEstimator(unclamped);
		rtt.sample(800);
		rtt.sample(0);
		assert.equal(rtt.srtt, 700);
		rtt.sample(0);
		assert.equal(rtt.srtt, 612.5);
	});

	it('§2.4: an RTO computed below 1 second is rounded up to 1 second', () => {
		const rtt = new RttEstimator();
		rtt.sample(10);
		assert.equal(rtt.rto, 1000);
		const linux = new RttEstimator({min: 200});
		linux.sample(10);
		assert.equal(linux.rto, 200);
	});

	it('§2.4: with steady measurements the variance term shrinks to the clock granularity G, never below', () => {
		const rtt = new RttEstimator({min: 0, granularity: 10});
		for (let i = 0; i < 50; i++) rtt.sample(100);
		assert.ok(rtt.rttvar < 2.5, `RTTVAR ${rtt.rttvar}`);
		assert.equal(rtt.srtt, 100);
		assert.equal(rtt.rto, 110);
	});

	it('§2.5: RTO is bounded above (at least 60 s)', () => {
		const rtt = new RttEstimator();
		rtt.sample(50_000);
		assert.equal(rtt.rto, 60_000);
	});

	it('§5.5: each expiry doubles RTO, up to the bound of §2.5', () => {
		const rtt = new RttEstimator();
		const seen = [rtt.rto];
		for (let i = 0; i < 8; i++) {
			rtt.backoff();
			seen.push(rtt.rto);
		}

		assert.deepEqual(seen, [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
	});

	it('§5.7: a new measurement after backoff gives RTO from the measurement alone, not the doubled value', () => {
		const rtt = new RttEstimator(unclamped);
		rtt.sample(100);
		rtt.backoff();
		rtt.backoff();
		assert.equal(rtt.rto, 1200);
		assert.equal(rtt.backoffs, 2);
		rtt.sample(100);
		assert.equal(rtt.backoffs, 0);
		assert.equal(rtt.rto, 100 + (4 * 37.5));
	});

	it('§5.7: after a SYN was retransmitted and nothing measured, RTO goes back to 3 s once data is sent', () => {
		const rtt = new RttEstimator();
		rtt.backoff();
		rtt.backoff();
		assert.equal(rtt.rto, 4000);
		rtt.resetAfterSynLoss();
		assert.equal(rtt.rto, 3000);
	});

	it('§5.7 applies only without a measurement: one taken since is kept', () => {
		const rtt = new RttEstimator(unclamped);
		rtt.sample(100);
		rtt.resetAfterSynLoss();
		assert.equal(rtt.rto, 300);
	});
});
