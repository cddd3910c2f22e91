// A session on a test lab's interface, and waiting for what the kernel does, bounded in time.
import type {TestContext} from 'node:test';
import {labTimings} from '../../source/iface/arp-claim.js';
import type {LabInfo} from '../../source/lab/index.js';
import {openPcapLink} from '../../source/link/pcap-link.js';
import type {LogEntry} from '../../source/session/packet-log.js';
import {Session, type SessionOptions} from '../../source/session/session.js';
import {parseIpv4} from '../../source/wire/addresses.js';
import {beforeLabDown, useLab} from './lab.js';

export type LabSession = {lab: LabInfo; session: Session; peer: number};

/**
 * A lab and a session that has claimed the lab's suggested address, closed before the lab goes down.
 */
export async function useLabSession(t: TestContext, options: Partial<SessionOptions> = {}): Promise<LabSession | undefined> {
	const lab = await useLab(t);
	if (!lab) return undefined;
	const ip = parseIpv4(lab.suggestedAddress);
	const link = await openPcapLink({iface: lab.interface, ip});
	const session = new Session({
		link,
		ip,
		network: parseIpv4(lab.subnet.split('/')[0]!),
		prefixLength: lab.prefixLength,
		timings: labTimings,
		...options,
	});
	beforeLabDown(lab, () => session.close());
	await session.host.claimed();
	return {lab, session, peer: parseIpv4(lab.peerAddress)};
}

/** Resolves with the first inbound log entry (from now on) that `match` accepts; rejects after `ms`. */
export function nextIn(session: Session, match: (entry: LogEntry) => boolean, ms = 3000): Promise<LogEntry> {
	const from = session.log.count;
	return new Promise((resolve, reject) => {
		let seen = from;
		const check = () => {
			for (; seen < session.log.count; seen++) {
				const entry = session.log.at(session.log.size - (session.log.count - seen));
				if (entry && entry.direction === 'in' && match(entry)) {
					off();
					clearTimeout(timer);
					resolve(entry);
					return;
				}
			}
		};

		const off = session.subscribe(check);
		const timer = setTimeout(() => {
			off();
			reject(new Error(`nothing matching arrived within ${ms} ms`));
		}, ms);
		check();
	});
}

/** Waits until `condition` holds (checked on every session change), or rejects after `ms`. */
export function until(session: Session, condition: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
	return new Promise((resolve, reject) => {
		const check = () => {
			if (!condition()) return;
			off();
			clearTimeout(timer);
			resolve();
		};

		const off = session.subscribe(check);
		const timer = setTimeout(() => {
			off();
			reject(new Error(`${what} did not happen within ${ms} ms`));
		}, ms);
		check();
	});
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** An application on `id` that keeps what arrives and closes after the peer's FIN: an HTTP/1.0 client's side. */
export function collectUntilClosed(session: Session, id: number): {readonly ended: () => boolean; readonly received: () => Buffer} {
	const chunks: Uint8Array[] = [];
	let ended = false;
	session.serve(id, () => ({
		name: 'collector',
		data(chunk) {
			chunks.push(chunk);
		},
		end(io) {
			ended = true;
			io.close();
		},
	}));
	return {ended: () => ended, received: () => Buffer.concat(chunks)};
}
