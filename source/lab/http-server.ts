import http from 'node:http';
import {chargenBlock} from './chargen-pattern.js';
import {labServices, type LabServiceName, type ServiceCounters} from './lab-services.js';

// Large enough for any bulk test, small enough that a typo cannot ask for an endless body.
export const maxBytesBody = 1 << 30;

const page = `<!doctype html>
<html>
<head><title>synack lab</title></head>
<body>
<h1>synack lab</h1>
<p>This page comes from the kernel's own TCP stack, inside the lab's network namespace.</p>
<ul>
${labServices.map(service => `<li>${service.port}: ${service.name}, ${service.summary}</li>`).join('\n')}
</ul>
</body>
</html>
`;

function send(response: http.ServerResponse, status: number, type: string, body: string): void {
	const bytes = Buffer.from(body, 'utf8');
	response.writeHead(status, {'Content-Type': type, 'Content-Length': bytes.length});
	response.end(bytes);
}

/**
 * Writes `length` bytes of the chargen pattern, waiting for the socket to drain. Each write is a
 * slice of one block of whole cycles, so the stream stays one pattern with no copy per write.
 */
function sendBytes(response: http.ServerResponse, length: number): void {
	response.writeHead(200, {'Content-Type': 'text/plain; charset=us-ascii', 'Content-Length': length});
	let offset = 0;
	const pump = () => {
		while (offset < length && !response.destroyed) {
			const size = Math.min(chargenBlock.length, length - offset);
			const chunk = chargenBlock.subarray(0, size);
			offset += size;
			if (!response.write(chunk)) {
				response.once('drain', pump);
				return;
			}
		}

		response.end();
	};

	pump();
}

/**
 * The lab's web server: `/` a page, `/bytes/N` exactly N bytes (with Content-Length), `/discard` and
 * `/stats` the servers' counters as JSON. Node answers HTTP/1.0 requests too, closing after each.
 */
export function createLabHttpServer(counters: Readonly<Record<LabServiceName, ServiceCounters>>): http.Server {
	const server = http.createServer((request, response) => {
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.setHeader('Allow', 'GET, HEAD');
			send(response, 405, 'text/plain', 'only GET and HEAD\n');
			return;
		}

		const path = (request.url ?? '/').split('?', 1)[0];
		const bytes = /^\/bytes\/(\d{1,10})$/.exec(path ?? '');
		if (path === '/') {
			send(response, 200, 'text/html; charset=utf-8', page);
		} else if (bytes !== null) {
			const length = Number(bytes[1]);
			if (length > maxBytesBody) {
				send(response, 400, 'text/plain', `at most ${maxBytesBody} bytes\n`);
			} else {
				sendBytes(response, length);
			}
		} else if (path === '/discard') {
			send(response, 200, 'application/json', `${JSON.stringify(counters.discard)}\n`);
		} else if (path === '/stats') {
			send(response, 200, 'application/json', `${JSON.stringify(counters)}\n`);
		} else {
			send(response, 404, 'text/plain', 'not found; try /, /bytes/N, /discard or /stats\n');
		}
	});
	server.on('connection', () => {
		counters.http.connections++;
	});
	// Someone typing a request by hand in synack is slow; give them minutes, not seconds.
	server.keepAliveTimeout = 60_000;
	server.headersTimeout = 300_000;
	server.requestTimeout = 600_000;
	return server;
}
