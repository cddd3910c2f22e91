import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cpuMask} from '../../source/lab/peer-steering.js';

test('cpuMask: the RPS bitmap in 32-bit groups, as the kernel prints it', () => {
	assert.equal(cpuMask(1), '1');
	assert.equal(cpuMask(2), '3');
	assert.equal(cpuMask(2, 1), '2', 'all but CPU 0');
	assert.equal(cpuMask(8), 'ff');
	assert.equal(cpuMask(32), 'ffffffff');
	assert.equal(cpuMask(33), '1,ffffffff');
	assert.equal(cpuMask(64, 1), 'ffffffff,fffffffe');
	assert.equal(cpuMask(40, 32), 'ff,00000000', 'a low group of zeros keeps its eight digits');
});
