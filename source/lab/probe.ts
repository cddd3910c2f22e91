// Entry point, run inside the lab's namespace: `node probe.js ADDRESS`. Connects to every service the
// way a client would and prints a ProbeResult as JSON.
import http from 'node:http';
import net from 'node:net';
import {labServices, servicePort, type LabServiceName, type ServiceCounters} from './lab-services.js';
import type {ProbeResult} from './probe-result.js';

const timeoutMs = 2000;
const address = process.argv[2] ?? '127.0.0.1';

async function connects(port: number): Promise<{ok: boolean; problem?: string}> {
	return new Promise(resolve => {
		const socket = net.connect({host: address, port, timeout: timeoutMs});
		const finish = (result: {ok: boolean; problem?: string}) => {
			socket.destroy();
			resolve(result);
		};

		socket.once('connect', () => {
			finish({ok: true});
		});
		socket.once('timeout', () => {
			finish({ok: false, problem: `no answer within ${timeoutMs} ms`});
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			finish({ok: false, problem: error.code ?? error.message});
		});
	});
}

async function discardCounters(): Promise<ServiceCounters | undefined> {
	return new Promise(resolve => {
		const request = http.get({host: address, port: servicePort('http'), path: '/discard', timeout: timeoutMs, agent: false}, response => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				try {
					resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ServiceCounters);
				} catch {
					resolve(undefined);
				}
			});
			response.on('error', () => {
				resolve(undefined);
			});
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => {
			resolve(undefined);
		});
	});
}

async function main(): Promise<void> {
	// The counters first, so that they do not count the probe's own connection to discard.
	const discard = await discardCounters();
	const results = await Promise.all(labServices.map(async ({name, port}) => [name, await connects(port)] as const));
	const result: ProbeResult = {services: Object.fromEntries(results) as Record<LabServiceName, {ok: boolean; problem?: string}>, discard};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
