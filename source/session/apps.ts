// Small applications that run on a connection in auto mode: they read what arrives (draining the
// receive buffer, so our window stays open) and write answers through the send buffer.

/** What an application may do to its connection. */
export type AppIo = {
	/** Queues bytes to send (segmented by MSS and sent as the windows allow). */
	write(bytes: Uint8Array): void;
	/** Closes our side once everything written has been sent (FIN). */
	close(): void;
};

export type ConnectionApp = {
	readonly name: string;
	/** In-order data, as it arrives. */
	data?(chunk: Uint8Array, io: AppIo): void;
	/** The peer sent FIN: it will send no more. */
	end?(io: AppIo): void;
};

/** One instance per connection: apps keep per-connection state. */
export type AppFactory = () => ConnectionApp;

export const appNames = ['echo', 'http', 'discard'] as const;
export type AppName = typeof appNames[number];

/** RFC 862: sends back what it receives; closes when the peer does. */
export function echoApp(): ConnectionApp {
	return {
		name: 'echo',
		data(chunk, io) {
			io.write(chunk);
		},
		end(io) {
			io.close();
		},
	};
}

/** RFC 863: reads and forgets; closes when the peer does. */
export function discardApp(): ConnectionApp {
	return {
		name: 'discard',
		end(io) {
			io.close();
		},
	};
}

export const cannedBody = 'hello from synack\n';

/** The canned response: HTTP/1.1 200 with a short text body, and the connection closed after it. */
export function cannedHttpResponse(body = cannedBody): Uint8Array {
	const bytes = new TextEncoder().encode(body);
	const head = `HTTP/1.1 200 OK\r\nServer: synack\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
	const headBytes = new TextEncoder().encode(head);
	const out = new Uint8Array(headBytes.length + bytes.length);
	out.set(headBytes);
	out.set(bytes, headBytes.length);
	return out;
}

const endOfHead = [13, 10, 13, 10];
const maxHead = 64 * 1024;

/**
 * Answers the first request (once its head, up to the blank line, has arrived) with the canned
 * response, then closes (RFC 9112 §9.6, `Connection: close`). Whatever the request was.
 */
export function httpApp(body = cannedBody): ConnectionApp {
	let matched = 0;
	let seen = 0;
	let answered = false;
	const answer = (io: AppIo) => {
		answered = true;
		io.write(cannedHttpResponse(body));
		io.close();
	};

	return {
		name: 'http',
		data(chunk, io) {
			if (answered) return;
			for (const byte of chunk) {
				seen++;
				matched = byte === endOfHead[matched] ? matched + 1 : (byte === 13 ? 1 : 0);
				if (matched === endOfHead.length || seen > maxHead) {
					answer(io);
					return;
				}
			}
		},
		end(io) {
			if (!answered) io.close();
		},
	};
}

export function appFactory(app: AppName | AppFactory): AppFactory {
	if (typeof app === 'function') return app;
	switch (app) {
		case 'echo': {
			return echoApp;
		}

		case 'http': {
			return () => httpApp();
		}

		case 'discard': {
			return discardApp;
		}
	}
}
