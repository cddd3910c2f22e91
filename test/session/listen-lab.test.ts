// listen against the Linux kernel (issue 22): two curls from the lab's namespace get a connection
// each; a RST on the first leaves the second to complete its response.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {describe, test} from 'node:test';
import {autoPolicies} from '../../source/session/auto-policies.js';
import {until, useLabSession} from '../helpers/session.js';

/** curl in the lab from port `from`, in a child process so the session keeps running; its exit code and body. */
function curl(namespace: string, from: number, url: string): Promise<{code: number | null; body: string}> {
	return new Promise(resolve => {
		const child = spawn('ip', ['netns', 'exec', namespace, 'curl', '-s', '--max-time', '10', '--local-port', String(from), url], {stdio: ['ignore', 'pipe', 'ignore']});
		let body = '';
		child.stdout.on('data', (chunk: Buffer) => {
			body += chunk.toString();
		});
		child.on('close', code => resolve({code, body}));
	});
}

describe('listen in the lab', () => {
	test('two curls: two connections ESTABLISHED; RST on the first (curl: reset), the second still gets its response', async t => {
		const labSession = await useLabSession(t);
		if (!labSession) return;
		const {session, lab} = labSession;
		session.setAuto(autoPolicies);
		session.listen(8080);
		const url = `http://${lab.suggestedAddress}:8080/`;
		const byPort = (port: number) => session.getSnapshot().connections.find(connection => connection.remote?.port === port);
		const first = curl(lab.namespace, 42_001, url);
		const second = curl(lab.namespace, 42_002, url);
		await until(session, () => byPort(42_001)?.tcb.state === 'ESTABLISHED' && byPort(42_002)?.tcb.state === 'ESTABLISHED', 5000, 'both ESTABLISHED');
		// Both GETs arrived, each on its own connection.
		await until(session, () => byPort(42_001)!.bytesIn > 0 && byPort(42_002)!.bytesIn > 0, 3000, 'both requests');
		const one = byPort(42_001)!.id;
		const two = byPort(42_002)!.id;
		assert.notEqual(one, two);
		session.rst(one);
		assert.equal((await first).code, 56, 'curl: connection reset by peer');
		assert.equal(session.tcb(two).state, 'ESTABLISHED', 'the second is untouched');
		session.write(two, new TextEncoder().encode('HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nsecond'));
		session.shutdown(two);
		const answer = await second;
		assert.equal(answer.code, 0);
		assert.equal(answer.body, 'second');
	});
});
