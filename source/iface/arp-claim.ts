import {broadcastMac} from '../wire/addresses.js';
import {arpOperations, type ArpRecord, type Ipv4Address, type MacAddress} from '../wire/records.js';

/** RFC 5227 §1.1 constants, in milliseconds. */
export type ArpClaimTimings = {
	readonly probeWait: number;
	readonly probeNum: number;
	readonly probeMin: number;
	readonly probeMax: number;
	readonly announceWait: number;
	readonly announceNum: number;
	readonly announceInterval: number;
	readonly defendInterval: number;
};

export const rfcTimings: ArpClaimTimings = {
	probeWait: 1000,
	probeNum: 3,
	probeMin: 1000,
	probeMax: 2000,
	announceWait: 2000,
	announceNum: 2,
	announceInterval: 2000,
	defendInterval: 10_000,
};

/**
 * For the lab, where synack made the network itself and nobody else can hold the address: the same
 * steps, fast enough that a claim completes well under a second. A conflicting host on a veth answers
 * a probe within microseconds, so short waits still detect one.
 */
export const labTimings: ArpClaimTimings = {
	probeWait: 20,
	probeNum: 3,
	probeMin: 40,
	probeMax: 60,
	announceWait: 80,
	announceNum: 2,
	announceInterval: 40,
	defendInterval: 10_000,
};

export type ClaimPhase = 'probing' | 'announcing' | 'claimed' | 'conflict';

export type ArpClaimConfig = {
	readonly mac: MacAddress;
	readonly ip: Ipv4Address;
	readonly timings?: ArpClaimTimings;
	/** `--no-probe`: for users who know the address is free; announce at once. */
	readonly probe?: boolean;
	/** Uniform in [0, 1); RFC 5227 wants random waits so that hosts booted together do not collide. */
	readonly random?: () => number;
};

export type ArpOut = {
	readonly destination: MacAddress;
	readonly arp: ArpRecord;
};

export type Conflict = {
	readonly at: number;
	readonly mac: MacAddress;
	readonly phase: ClaimPhase;
	/** What the other host sent: an ARP that uses our address, or a probe for it. */
	readonly kind: 'sender' | 'probe';
	/** After the claim: whether we sent an announcement to defend the address (§2.4 (c)). */
	readonly defended: boolean;
};

export type ArpClaimSnapshot = {
	readonly ip: Ipv4Address;
	readonly mac: MacAddress;
	readonly phase: ClaimPhase;
	readonly probesSent: number;
	readonly announcementsSent: number;
	readonly requestsAnswered: number;
	readonly defences: number;
	readonly conflicts: readonly Conflict[];
};

/**
 * Claims an IPv4 address per RFC 5227: probe, announce, then defend. I/O-free: `now` is given,
 * `pollAt()` says when it next needs to run, and every method returns the frames to send.
 */
export class ArpClaim {
	#phase: ClaimPhase;
	#next: number | undefined;
	#probesSent = 0;
	#announcementsSent = 0;
	#requestsAnswered = 0;
	#defences = 0;
	#lastDefence = Number.NEGATIVE_INFINITY;
	readonly #conflicts: Conflict[] = [];
	readonly #timings: ArpClaimTimings;
	readonly #random: () => number;
	readonly #mac: MacAddress;
	readonly #ip: Ipv4Address;

	constructor(config: ArpClaimConfig, now: number) {
		this.#mac = config.mac;
		this.#ip = config.ip;
		this.#timings = config.timings ?? rfcTimings;
		this.#random = config.random ?? Math.random;
		if (config.probe === false) {
			this.#phase = 'announcing';
			this.#next = now;
		} else {
			// RFC 5227 §2.1.1: wait a random time in [0, PROBE_WAIT) before the first probe.
			this.#phase = 'probing';
			this.#next = now + Math.floor(this.#random() * this.#timings.probeWait);
		}
	}

	get phase(): ClaimPhase {
		return this.#phase;
	}

	/** The address is ours to use: announcing or claimed (§2.3: usable once announcing starts). */
	get owned(): boolean {
		return this.#phase === 'announcing' || this.#phase === 'claimed';
	}

	pollAt(): number | undefined {
		return this.#next;
	}

	poll(now: number): ArpOut[] {
		if (this.#next === undefined || now < this.#next) return [];
		const t = this.#timings;
		if (this.#phase === 'probing') {
			if (this.#probesSent < t.probeNum) {
				this.#probesSent++;
				// §2.1.1: the last probe is followed by ANNOUNCE_WAIT; the others by PROBE_MIN..PROBE_MAX.
				this.#next =
					this.#probesSent < t.probeNum
						? now + t.probeMin + Math.round(this.#random() * (t.probeMax - t.probeMin))
						: now + t.announceWait;
				return [this.#broadcast(this.#probe())];
			}

			this.#phase = 'announcing';
		}

		if (this.#phase === 'announcing') {
			this.#announcementsSent++;
			if (this.#announcementsSent >= t.announceNum) {
				this.#phase = 'claimed';
				this.#next = undefined;
			} else {
				this.#next = now + t.announceInterval;
			}

			return [this.#broadcast(this.#announcement())];
		}

		this.#next = undefined;
		return [];
	}

	/** An ARP packet seen on the link (any, including ones not for us). */
	receive(now: number, arp: ArpRecord): ArpOut[] {
		if (arp.senderMac === this.#mac) return [];
		if (this.#phase === 'conflict') return [];

		const usesOurAddress = arp.senderIp === this.#ip;
		// §2.1.1: another host probing for the same address at the same time is a conflict while we
		// probe too; once the address is ours, its probe is answered like any request (§2.4 does not
		// count probes as conflicts then: the prober will see our reply and back off).
		const probesOurAddress = this.#phase === 'probing' && arp.senderIp === 0 && arp.targetIp === this.#ip && arp.operation === arpOperations.request;

		if (usesOurAddress || probesOurAddress) {
			return this.#conflict(now, arp, usesOurAddress ? 'sender' : 'probe');
		}

		if (this.owned && arp.operation === arpOperations.request && arp.targetIp === this.#ip) {
			this.#requestsAnswered++;
			return [{destination: arp.senderMac, arp: this.#reply(arp)}];
		}

		return [];
	}

	snapshot(): ArpClaimSnapshot {
		return {
			ip: this.#ip,
			mac: this.#mac,
			phase: this.#phase,
			probesSent: this.#probesSent,
			announcementsSent: this.#announcementsSent,
			requestsAnswered: this.#requestsAnswered,
			defences: this.#defences,
			conflicts: [...this.#conflicts],
		};
	}

	#conflict(now: number, arp: ArpRecord, kind: Conflict['kind']): ArpOut[] {
		const phase = this.#phase;
		if (phase === 'probing') {
			// §2.1.1: a conflict while probing means the address is taken: give up, announce nothing.
			this.#conflicts.push({at: now, mac: arp.senderMac, phase, kind, defended: false});
			this.#phase = 'conflict';
			this.#next = undefined;
			return [];
		}

		// §2.4 (c): a host that wants to keep its address defends it, at most once per DEFEND_INTERVAL.
		const defend = now - this.#lastDefence >= this.#timings.defendInterval;
		this.#conflicts.push({at: now, mac: arp.senderMac, phase, kind, defended: defend});
		if (!defend) return [];
		this.#lastDefence = now;
		this.#defences++;
		return [this.#broadcast(this.#announcement())];
	}

	#broadcast(arp: ArpRecord): ArpOut {
		return {destination: broadcastMac, arp};
	}

	#probe(): ArpRecord {
		// §2.1.1: sender IP all zeroes, target hardware address zero.
		return this.#arp(arpOperations.request, 0, 0, this.#ip);
	}

	#announcement(): ArpRecord {
		// §2.3: an ARP request with sender and target IP both ours.
		return this.#arp(arpOperations.request, this.#ip, 0, this.#ip);
	}

	#reply(request: ArpRecord): ArpRecord {
		return this.#arp(arpOperations.reply, this.#ip, request.senderMac, request.senderIp);
	}

	#arp(operation: number, senderIp: Ipv4Address, targetMac: MacAddress, targetIp: Ipv4Address): ArpRecord {
		return {
			hardwareType: 1,
			protocolType: 0x08_00,
			hardwareLength: 6,
			protocolLength: 4,
			operation,
			senderMac: this.#mac,
			senderIp,
			targetMac,
			targetIp,
		};
	}
}
