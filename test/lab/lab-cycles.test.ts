import assert from 'node:assert/strict';
import {test} from 'node:test';
import {labDown, labUp} from '../../source/lab/index.js';
import {canMakeLabs, labLeftovers, labProcesses, uniqueLabName, uniqueLabSubnet} from '../helpers/lab.js';

const cycles = 20;
// About 1 s a cycle when servers start through tsx; far more means something waits for a timeout.
const budgetMs = 90_000;

test(`${cycles} up/down cycles in a row leave nothing behind`, {timeout: budgetMs + 30_000}, async t => {
	if (!canMakeLabs(t)) {
		return;
	}

	const name = uniqueLabName();
	const subnet = uniqueLabSubnet();
	const started = Date.now();
	try {
		for (let cycle = 0; cycle < cycles; cycle++) {
			const lab = await labUp({name, subnet, held: true});
			const processes = labProcesses(lab);
			assert.equal(processes.length, 2, `cycle ${cycle}: two server processes`);
			await labDown(name);
			assert.deepEqual(labLeftovers(name, processes), [], `cycle ${cycle}`);
			assert.ok(Date.now() - started < budgetMs, `${cycle + 1} cycles took ${Date.now() - started} ms`);
		}
	} finally {
		await labDown(name);
	}

	t.diagnostic(`${cycles} cycles in ${Date.now() - started} ms`);
});
