// What the session's path tests share: our address and the peer's, a fault from its script text, and
// a host on a memory link with a fake clock, its faults and timers, and the outgoing path, with every
// TCP frame the peer receives kept and everything closed when the test ends.
import type {FaultPlan} from '../../source/engine/faults.js';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {Timers} from '../../source/session/clock.js';
import {Host} from '../../source/session/host.js';
import {OutgoingPath} from '../../source/session/outgoing-path.js';
import {SessionFaults} from '../../source/session/session-faults.js';
import {parseFault} from '../../source/syntax/fault-text.js';
import {decodeFrame} from '../../source/wire/decode.js';
import type {DecodedFrame} from '../../source/wire/records.js';
import {FakeClock} from './fake-clock.js';

export const ours = 0xc6_12_00_0a;
export const theirs = 0xc6_12_00_02;
export const ourMac = 0x02_00_00_00_00_0a;
export const theirMac = 0x02_00_00_00_00_02;

/** A fault in the script vocabulary (`in drop count 1`), or the test fails at once. */
export function plan(line: string): FaultPlan {
	const parsed = parseFault(line);
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.plan;
}

/** Frames cross the memory link on a microtask; a turn of the event loop lets them all arrive. */
export const settle = () => new Promise(resolve => {
	setImmediate(resolve);
});

/** A host at `ours` on a memory link to the peer, with the outgoing path in front of it. */
export function pathRig(t: {after(fn: () => void): void}) {
	const clock = new FakeClock();
	const [link, peer] = createMemoryLinkPair({name: 'a', mac: ourMac}, {name: 'b', mac: theirMac});
	const received: DecodedFrame[] = [];
	peer.onFrame(frame => {
		const decoded = decodeFrame(frame.bytes);
		if (decoded.tcp) received.push(decoded);
	});
	const host = new Host({link, ip: ours, network: 0xc6_12_00_00, prefixLength: 24, probe: false, clock});
	const faults = new SessionFaults(clock, () => undefined);
	const timers = new Timers(clock);
	const outgoing = new OutgoingPath(host, faults, timers);
	t.after(() => {
		outgoing.close();
		timers.cancelAll();
		host.close();
		link.close();
	});
	return {clock, host, faults, timers, outgoing, received};
}
