/** The servers in every lab, on the namespace's own kernel TCP stack. */
export const labServices = [
	{name: 'http', port: 80, summary: 'HTTP/1.1 and 1.0: / a page, /bytes/N exactly N bytes, /discard the discard counters'},
	{name: 'echo', port: 7, summary: 'echo (RFC 862): sends back what it receives'},
	{name: 'discard', port: 9, summary: 'discard (RFC 863): reads and counts, never sends'},
	{name: 'chargen', port: 19, summary: 'bulk source (RFC 864 pattern): writes until the client closes'},
	{name: 'slow-reader', port: 5001, summary: 'tiny receive buffer, reads 100 bytes every 100 ms: zero windows'},
] as const;

export type LabServiceName = (typeof labServices)[number]['name'];

export function servicePort(name: LabServiceName): number {
	return labServices.find(service => service.name === name)!.port;
}

/** Counters a server keeps per service; `/discard` and `/stats` on the HTTP server report them. */
export type ServiceCounters = {
	connections: number;
	bytesIn: number;
	bytesOut: number;
	/** Connections that ended in ECONNRESET: the peer's RST reached the application. */
	resets: number;
};
