// Entry point, run inside the lab's namespace: `node servers.js synack-lab-server NAME`. The arguments
// only make the process easy to recognise in `ps`; the lab finds it by PID.
import type net from 'node:net';
import {createLabHttpServer} from './http-server.js';
import {labServices, servicePort, type LabServiceName, type ServiceCounters} from './lab-services.js';
import {createChargenServer, createDiscardServer, createEchoServer} from './stream-servers.js';

const counters = Object.fromEntries(labServices.map(({name}) => [name, {connections: 0, bytesIn: 0, bytesOut: 0, resets: 0}])) as Record<LabServiceName, ServiceCounters>;

const servers: ReadonlyArray<readonly [LabServiceName, net.Server]> = [
	['http', createLabHttpServer(counters)],
	['echo', createEchoServer(counters.echo)],
	['discard', createDiscardServer(counters.discard)],
	['chargen', createChargenServer(counters.chargen)],
];

for (const [name, server] of servers) {
	server.on('error', (error: Error) => {
		process.stderr.write(`synack lab: ${name} on port ${servicePort(name)}: ${error.message}\n`);
		process.exit(1);
	});
	server.listen({port: servicePort(name), host: '0.0.0.0', backlog: 64});
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
	process.on(signal, () => {
		process.exit(0);
	});
}
