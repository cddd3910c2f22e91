import {type ArpClaimTimings} from '../iface/arp-claim.js';
import type {Link} from '../link/link.js';
import {openPcapLink} from '../link/pcap-link.js';
import {recordingLink} from '../link/recording-link.js';
import {defaultRouteInterface, onLinkFor} from '../link/routes.js';
import {defaultLogBytes, defaultLogSize, PacketLog} from '../session/packet-log.js';
import {isReaderRate} from '../session/reader.js';
import {Session} from '../session/session.js';
import {AddressError, parseIpv4, parseMac} from '../wire/addresses.js';
import {EnvironmentError, UsageError} from './errors.js';
import type {Flags} from './flags.js';

export type LiveOptions = {
	readonly iface?: string;
	readonly ip?: string;
	readonly mac?: string;
	readonly pcap?: string;
	/** `--no-probe`. */
	readonly probe?: boolean;
	readonly timings?: ArpClaimTimings;
	/** `--log-size` and `--log-memory` (checked with `logFlags`). */
	readonly log?: LogLimits;
	/** `--reader-rate`: octets per second of the slow reader (checked with `readerRateFlag`). */
	readonly readerRate?: number;
	/** What to tell a user who gave no --ip. */
	readonly ipHint: string;
};

/** Parses an address argument; a bad one is a usage error naming the flag (`ip` -> `--ip`) or argument. */
export function addressFlag<T>(flag: string, text: string, parse: (text: string) => T): T {
	try {
		return parse(text);
	} catch (error) {
		if (error instanceof AddressError) throw new UsageError(`${/^[a-z]/.test(flag) ? `--${flag}` : flag}: ${error.message}`);
		throw error;
	}
}

/**
 * A session on a live interface: `--iface` (default: the default route's), `--ip` (the address to
 * claim), `--mac`, `--pcap FILE` (every frame to a file as it happens), `--no-probe`.
 */
export async function openLiveSession(options: LiveOptions): Promise<Session> {
	if (options.ip === undefined) throw new UsageError(`--ip ADDR is required: ${options.ipHint}`);
	const ip = addressFlag('ip', options.ip, parseIpv4);
	const mac = options.mac === undefined ? undefined : addressFlag('mac', options.mac, parseMac);
	const iface = options.iface ?? defaultRouteInterface();
	if (iface === undefined) throw new EnvironmentError('no default route to take an interface from; give --iface IF');
	const onLink = onLinkFor(iface, ip);
	let link: Link = await openPcapLink({iface, ip});
	if (options.pcap !== undefined) {
		try {
			link = recordingLink(link, options.pcap);
		} catch (error) {
			link.close();
			throw error;
		}
	}

	return new Session({
		link,
		ip,
		...(mac === undefined ? {} : {mac}),
		network: onLink.network,
		prefixLength: onLink.prefixLength,
		...(onLink.gateway === undefined ? {} : {gateway: onLink.gateway}),
		...(options.timings === undefined ? {} : {timings: options.timings}),
		probe: options.probe !== false,
		...(options.log === undefined ? {} : {log: packetLog(options.log)}),
		...(options.readerRate === undefined ? {} : {readerRate: options.readerRate}),
	});
}

const maxLogSize = 10_000_000;
const maxLogMemory = 1 << 20;

export type LogLimits = {readonly frames?: number; readonly mebibytes?: number};

/** `--log-size N` and `--log-memory MIB`: how much the packet log keeps for display, or a usage error. */
export function logFlags(flags: Pick<Flags, 'logSize' | 'logMemory'>): LogLimits | undefined {
	const {logSize, logMemory} = flags;
	if (logSize !== undefined && (!Number.isSafeInteger(logSize) || logSize < 1 || logSize > maxLogSize)) {
		throw new UsageError(`--log-size takes a whole number of frames from 1 to ${maxLogSize}, not ${logSize}`);
	}

	if (logMemory !== undefined && (!Number.isFinite(logMemory) || logMemory < 1 || logMemory > maxLogMemory)) {
		throw new UsageError(`--log-memory takes MiB from 1 to ${maxLogMemory}, not ${logMemory}`);
	}

	if (logSize === undefined && logMemory === undefined) return undefined;
	return {...(logSize === undefined ? {} : {frames: logSize}), ...(logMemory === undefined ? {} : {mebibytes: logMemory})};
}

export function packetLog(limits: LogLimits): PacketLog {
	return new PacketLog(limits.frames ?? defaultLogSize, limits.mebibytes === undefined ? defaultLogBytes : limits.mebibytes * (1 << 20));
}

export function liveOptions(flags: Flags, ipHint: string): LiveOptions {
	return {iface: flags.iface, ip: flags.ip, mac: flags.mac, pcap: flags.pcap, probe: probeFlag(), log: logFlags(flags), readerRate: readerRateFlag(flags.readerRate), ipHint};
}

/** `--reader-rate N`: whole bytes per second from 1, or a usage error. */
export function readerRateFlag(value: number | undefined): number | undefined {
	if (value === undefined) return undefined;
	if (!isReaderRate(value)) throw new UsageError(`--reader-rate takes whole bytes per second from 1, not ${value}`);
	return value;
}

/**
 * False only for `--no-probe`. meow gives every boolean flag a false default, so `flags.probe` cannot
 * tell `--no-probe` from no flag at all; the arguments can.
 */
export function probeFlag(argv: readonly string[] = process.argv.slice(2)): boolean {
	const end = argv.indexOf('--');
	return !(end === -1 ? argv : argv.slice(0, end)).includes('--no-probe');
}

/** `--sport N`: a port number, or a usage error. */
export function portFlag(flag: string, value: number | undefined): number | undefined {
	if (value === undefined) return undefined;
	if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new UsageError(`--${flag} takes a port from 1 to 65535, not ${value}`);
	return value;
}
