import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {LabError} from '../../source/lab/lab-error.js';
import {labNameFromAlias, labNameFromNamespace, labNames} from '../../source/lab/lab-names.js';

describe('labNames', () => {
	test('the default lab is namespace synack-lab and interface synack0', () => {
		const names = labNames();
		assert.equal(names.namespace, 'synack-lab');
		assert.equal(names.interface, 'synack0');
		assert.equal(names.peerInterface, 'eth0');
	});

	test('a short name is readable in the interface', () => {
		assert.deepEqual([labNames('web').namespace, labNames('web').interface], ['synack-web', 'synack-web']);
	});

	test('a long name still fits IFNAMSIZ, stays the same, and differs from its neighbours', () => {
		const long = labNames('a-rather-long-lab-name-1');
		assert.ok(long.interface.length <= 15, long.interface);
		assert.ok(long.interface.startsWith('synack'));
		assert.equal(labNames('a-rather-long-lab-name-1').interface, long.interface);
		assert.notEqual(labNames('a-rather-long-lab-name-2').interface, long.interface);
		assert.equal(long.namespace, 'synack-a-rather-long-lab-name-1');
	});

	for (const bad of ['', 'Lab', '-x', 'a b', 'a/b', 'a.b', 'x'.repeat(41)]) {
		test(`refuses the name ${JSON.stringify(bad)}`, () => {
			assert.throws(() => labNames(bad), LabError);
		});
	}

	test('the alias marks the lab and gives its name back', () => {
		const names = labNames('t1-2');
		assert.equal(labNameFromAlias(names.alias), 't1-2');
		assert.equal(labNameFromAlias(''), undefined);
		assert.equal(labNameFromAlias(undefined), undefined);
		assert.equal(labNameFromAlias('some other alias'), undefined);
	});

	test('a namespace name gives the lab name back, other names give none', () => {
		assert.equal(labNameFromNamespace(labNames('t1-2').namespace), 't1-2');
		assert.equal(labNameFromNamespace('synack-lab'), 'lab');
		assert.equal(labNameFromNamespace('other'), undefined);
		assert.equal(labNameFromNamespace('synack-'), undefined);
	});
});
