import {broadcastMac, formatIpv4} from '../wire/addresses.js';
import {arpOperations, type ArpRecord, type Ipv4Address, type MacAddress} from '../wire/records.js';
import type {ArpOut} from './arp-claim.js';

export type NeighbourConfig = {
	readonly mac: MacAddress;
	readonly ip: Ipv4Address;
	/** Our subnet; destinations outside it are reached through `gateway`. */
	readonly network: Ipv4Address;
	readonly prefixLength: number;
	readonly gateway?: Ipv4Address;
	/** ARP requests sent before giving up (Linux: ucast_solicit + mcast_solicit = 3). */
	readonly tries?: number;
	/** Wait for a reply before the next try, in ms (Linux: retrans_time 1 s). */
	readonly retryInterval?: number;
	/** How long a learned MAC stays valid, in ms (Linux: base_reachable_time 30 s). */
	readonly lifetime?: number;
};

export type Resolution =
	| {readonly state: 'resolved'; readonly ip: Ipv4Address; readonly mac: MacAddress; readonly via?: Ipv4Address}
	| {readonly state: 'pending'; readonly ip: Ipv4Address; readonly tries: number}
	| {readonly state: 'failed'; readonly ip: Ipv4Address; readonly error: string};

type Entry =
	| {state: 'resolved'; mac: MacAddress; expires: number}
	| {state: 'pending'; tries: number; next: number}
	| {state: 'failed'; error: string};

export class NoRouteError extends Error {
	override readonly name = 'NoRouteError';
}

/**
 * The neighbour table: who has which address on our link (RFC 826), with retries and expiry. I/O-free
 * like the claim: it returns the ARP requests to send and says when it next needs time.
 */
export class Neighbours {
	readonly #entries = new Map<Ipv4Address, Entry>();
	readonly #config: NeighbourConfig;
	readonly #tries: number;
	readonly #retryInterval: number;
	readonly #lifetime: number;

	constructor(config: NeighbourConfig) {
		this.#config = config;
		this.#tries = config.tries ?? 3;
		this.#retryInterval = config.retryInterval ?? 1000;
		this.#lifetime = config.lifetime ?? 30_000;
	}

	/** The address whose MAC carries frames to `destination`: itself on our subnet, else the gateway. */
	nextHop(destination: Ipv4Address): Ipv4Address {
		if (onSubnet(destination, this.#config.network, this.#config.prefixLength)) return destination;
		if (this.#config.gateway === undefined) {
			throw new NoRouteError(`${formatIpv4(destination)} is not on ${formatIpv4(this.#config.network)}/${this.#config.prefixLength} and there is no gateway`);
		}

		return this.#config.gateway;
	}

	/** Starts (or restarts, after failure or expiry) resolving the next hop for `destination`. */
	resolve(now: number, destination: Ipv4Address): {resolution: Resolution; send: ArpOut[]} {
		const hop = this.nextHop(destination);
		const entry = this.#entries.get(hop);
		if (entry?.state === 'resolved' && entry.expires > now) {
			return {resolution: this.lookup(now, destination), send: []};
		}

		if (entry?.state === 'pending') return {resolution: this.lookup(now, destination), send: []};
		this.#entries.set(hop, {state: 'pending', tries: 1, next: now + this.#retryInterval});
		return {resolution: this.lookup(now, destination), send: [this.#request(hop)]};
	}

	lookup(now: number, destination: Ipv4Address): Resolution {
		const hop = this.nextHop(destination);
		const via = hop === destination ? undefined : hop;
		const entry = this.#entries.get(hop);
		if (!entry) return {state: 'failed', ip: destination, error: `${formatIpv4(hop)} was never resolved`};
		switch (entry.state) {
			case 'resolved': {
				if (entry.expires <= now) return {state: 'failed', ip: destination, error: `the entry for ${formatIpv4(hop)} expired`};
				return via === undefined ? {state: 'resolved', ip: destination, mac: entry.mac} : {state: 'resolved', ip: destination, mac: entry.mac, via};
			}

			case 'pending': {
				return {state: 'pending', ip: destination, tries: entry.tries};
			}

			case 'failed': {
				return {state: 'failed', ip: destination, error: entry.error};
			}
		}
	}

	pollAt(): number | undefined {
		let earliest: number | undefined;
		for (const entry of this.#entries.values()) {
			if (entry.state === 'pending' && (earliest === undefined || entry.next < earliest)) earliest = entry.next;
		}

		return earliest;
	}

	poll(now: number): ArpOut[] {
		const send: ArpOut[] = [];
		for (const [ip, entry] of this.#entries) {
			if (entry.state !== 'pending' || entry.next > now) continue;
			if (entry.tries >= this.#tries) {
				this.#entries.set(ip, {state: 'failed', error: `no ARP reply from ${formatIpv4(ip)} after ${entry.tries} ${entry.tries === 1 ? 'try' : 'tries'}`});
				continue;
			}

			entry.tries++;
			entry.next = now + this.#retryInterval;
			send.push(this.#request(ip));
		}

		return send;
	}

	/**
	 * RFC 826 "merge": any ARP whose sender we are waiting for, or already know, updates the table.
	 * Senders we never asked about are not added, so a noisy LAN cannot fill the table.
	 */
	receive(now: number, arp: ArpRecord): void {
		if (arp.senderIp === 0 || arp.senderMac === this.#config.mac) return;
		const entry = this.#entries.get(arp.senderIp);
		if (entry === undefined) return;
		this.#entries.set(arp.senderIp, {state: 'resolved', mac: arp.senderMac, expires: now + this.#lifetime});
	}

	#request(ip: Ipv4Address): ArpOut {
		return {
			destination: broadcastMac,
			arp: {
				hardwareType: 1,
				protocolType: 0x08_00,
				hardwareLength: 6,
				protocolLength: 4,
				operation: arpOperations.request,
				senderMac: this.#config.mac,
				senderIp: this.#config.ip,
				targetMac: 0,
				targetIp: ip,
			},
		};
	}
}

export function onSubnet(ip: Ipv4Address, network: Ipv4Address, prefixLength: number): boolean {
	if (prefixLength === 0) return true;
	const mask = (0xff_ff_ff_ff << (32 - prefixLength)) >>> 0;
	return ((ip & mask) >>> 0) === ((network & mask) >>> 0);
}
