// Render time of the packet log pane with 100 and with 100,000 frames in the log: the pane reads and
// summarizes only the rows it shows, so the two should match. `node --import tsx bench/log-render.ts`
import {createElement} from 'react';
import {render} from 'ink-testing-library';
import {makeSegment} from '../source/engine/segment.js';
import {PacketLog} from '../source/session/packet-log.js';
import {LogPane} from '../source/ui/log-pane.js';
import {followingView} from '../source/ui/log-view.js';
import {parseIpv4} from '../source/wire/addresses.js';
import {encodeFrame} from '../source/wire/encode.js';
import {tcpFlags} from '../source/wire/records.js';

function fill(count: number): PacketLog {
	const log = new PacketLog(100_000);
	for (let i = 0; i < count; i++) {
		const segment = makeSegment({sourcePort: 40_000, destinationPort: 80, seq: 1000 + i * 100, ack: 5000, flags: tcpFlags.ACK | tcpFlags.PSH, window: 502, options: [{kind: 'timestamps', value: i, echo: i}], payload: new Uint8Array(100)});
		const bytes = encodeFrame({ethernet: {destination: 2, source: 1}, ipv4: {source: parseIpv4('198.18.0.10'), destination: parseIpv4('198.18.0.2'), ttl: 64}, tcp: segment});
		log.append({direction: 'out', timestamp: {seconds: i, nanoseconds: 0}, bytes, annotations: []});
	}

	return log;
}

function measure(log: PacketLog, renders: number): number {
	const relativeTo = {local: {ip: parseIpv4('198.18.0.10'), port: 40_000}, remote: {ip: parseIpv4('198.18.0.2'), port: 80}, iss: 1000, irs: 5000};
	const tree = (height: number) => createElement(LogPane, {log, view: followingView, relativeTo, width: 80, height});
	const instance = render(tree(11));
	const start = performance.now();
	// Alternate heights so that every render does the work (no identical-frame short cut).
	for (let i = 0; i < renders; i++) instance.rerender(tree(10 + (i % 2)));
	const each = (performance.now() - start) / renders;
	instance.unmount();
	return each;
}

const renders = 300;
for (const count of [100, 100_000]) measure(fill(count), 20); // warm up
const results = [100, 100_000].map(count => [count, measure(fill(count), renders)] as const);
for (const [count, ms] of results) console.log(`${String(count).padStart(7)} frames: ${ms.toFixed(3)} ms per render of the log pane (80x11, ${renders} renders)`);
