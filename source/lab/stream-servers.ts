import net from 'node:net';
import {chargenChunk} from './chargen-pattern.js';
import type {ServiceCounters} from './lab-services.js';

// A cap so that no stream of ours is endless: a client that reads forever still gets a FIN in the end.
const chargenLimitBytes = 1 << 30;

function counted(socket: net.Socket, counters: ServiceCounters): void {
	counters.connections++;
	socket.on('data', (chunk: Buffer) => {
		counters.bytesIn += chunk.length;
	});
	// A peer that resets is ordinary in a TCP workbench; it must not end the server.
	socket.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'ECONNRESET') counters.resets++;
		socket.destroy();
	});
}

/** Echo (RFC 862). allowHalfOpen: after the client's FIN we still send back what it sent, then FIN. */
export function createEchoServer(counters: ServiceCounters): net.Server {
	return net.createServer({allowHalfOpen: true}, socket => {
		counted(socket, counters);
		socket.on('data', (chunk: Buffer) => {
			counters.bytesOut += chunk.length;
		});
		socket.pipe(socket);
	});
}

/** Discard (RFC 863): reads everything and counts it. */
export function createDiscardServer(counters: ServiceCounters): net.Server {
	return net.createServer(socket => {
		counted(socket, counters);
		socket.resume();
	});
}

/** Character generator (RFC 864): writes as fast as the client takes it, until the client closes. */
export function createChargenServer(counters: ServiceCounters): net.Server {
	return net.createServer(socket => {
		counted(socket, counters);
		socket.resume();
		let sent = 0;
		let open = true;
		socket.on('end', () => {
			open = false;
		});
		socket.on('close', () => {
			open = false;
		});
		const pump = () => {
			while (open && sent < chargenLimitBytes) {
				sent += chargenChunk.length;
				counters.bytesOut += chargenChunk.length;
				if (!socket.write(chargenChunk)) {
					socket.once('drain', pump);
					return;
				}
			}

			if (open) {
				socket.end();
			}
		};

		pump();
	});
}
