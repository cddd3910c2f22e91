import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {LabError} from '../../source/lab/lab-error.js';
import {parseLabSubnet} from '../../source/lab/lab-subnet.js';

describe('parseLabSubnet', () => {
	test('the default is 198.18.0.0/24: peer .2, synack .10', () => {
		assert.deepEqual(parseLabSubnet(), {cidr: '198.18.0.0/24', network: '198.18.0.0', prefixLength: 24, peerAddress: '198.18.0.2', suggestedAddress: '198.18.0.10'});
	});

	test('any /24 in 198.18.0.0/15, including the top of 198.19', () => {
		assert.equal(parseLabSubnet('198.18.7.0/24').peerAddress, '198.18.7.2');
		assert.equal(parseLabSubnet('198.19.255.0/24').suggestedAddress, '198.19.255.10');
		assert.equal(parseLabSubnet('198.19.3.0').cidr, '198.19.3.0/24');
	});

	test('other prefix lengths inside the range', () => {
		assert.equal(parseLabSubnet('198.19.0.0/16').peerAddress, '198.19.0.2');
		assert.equal(parseLabSubnet('198.18.5.16/28').suggestedAddress, '198.18.5.26');
	});

	for (const outside of ['10.0.0.0/24', '198.17.255.0/24', '198.20.0.0/24', '192.168.1.0/24', '0.0.0.0/24', '198.18.0.0/14', '198.18.0.0/8']) {
		test(`refuses ${outside}: outside 198.18.0.0/15`, () => {
			assert.throws(() => parseLabSubnet(outside), (error: unknown) => error instanceof LabError && /198\.18\.0\.0\/15/.test(error.message) && !error.message.includes('\n'));
		});
	}

	for (const malformed of ['198.18.0.0/', '198.18.0.0/abc', '198.18.0/24', '198.18.0.0/24/1', 'lab', '198.18.0.0/29', '']) {
		test(`refuses ${JSON.stringify(malformed)}`, () => {
			assert.throws(() => parseLabSubnet(malformed), LabError);
		});
	}

	test('refuses host bits and suggests the network', () => {
		assert.throws(() => parseLabSubnet('198.18.0.5/24'), /did you mean 198\.18\.0\.0\/24/);
	});
});
