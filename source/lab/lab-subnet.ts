import {AddressError, formatIpv4, parseIpv4} from '../wire/addresses.js';
import {LabError} from './lab-error.js';

// RFC 2544 (and RFC 6890) set 198.18.0.0/15 aside for benchmarking: never routed, never anyone's.
const benchmarkNetwork = parseIpv4('198.18.0.0');
const benchmarkPrefixLength = 15;

export const defaultLabSubnet = '198.18.0.0/24';

// The peer takes .2 and synack is told to claim .10, so the subnet must hold at least 16 addresses.
const longestPrefix = 28;

export type LabSubnet = {
	/** `198.18.0.0/24`. */
	readonly cidr: string;
	readonly network: string;
	readonly prefixLength: number;
	/** The namespace's address (network + 2). */
	readonly peerAddress: string;
	/** The address synack claims on our end by default (network + 10). */
	readonly suggestedAddress: string;
};

/** Parses `198.18.X.0/24` (a missing `/N` means /24); refuses anything outside 198.18.0.0/15. */
export function parseLabSubnet(text: string = defaultLabSubnet): LabSubnet {
	const [addressText = '', lengthText = '24', ...rest] = text.split('/');
	const wrong = (why: string) => new LabError(`bad --subnet "${text}": ${why}`);
	if (rest.length > 0 || !/^\d{1,2}$/.test(lengthText)) {
		throw wrong('expected an IPv4 network like 198.18.7.0/24');
	}

	let network: number;
	try {
		network = parseIpv4(addressText);
	} catch (error) {
		throw wrong(error instanceof AddressError ? error.message : String(error));
	}

	const prefixLength = Number(lengthText);
	if (prefixLength < benchmarkPrefixLength || prefixLength > longestPrefix || !within(network, benchmarkNetwork, benchmarkPrefixLength)) {
		throw wrong(`the lab only uses the benchmarking range 198.18.0.0/15 (RFC 2544), with a prefix from /${benchmarkPrefixLength} to /${longestPrefix}`);
	}

	if ((network & hostMask(prefixLength)) !== 0) {
		throw wrong(`host bits are set; did you mean ${formatIpv4((network & ~hostMask(prefixLength)) >>> 0)}/${prefixLength}?`);
	}

	return {
		cidr: `${formatIpv4(network)}/${prefixLength}`,
		network: formatIpv4(network),
		prefixLength,
		peerAddress: formatIpv4(network + 2),
		suggestedAddress: formatIpv4(network + 10),
	};
}

function hostMask(prefixLength: number): number {
	return prefixLength === 0 ? 0xff_ff_ff_ff : ((1 << (32 - prefixLength)) - 1);
}

function within(address: number, network: number, prefixLength: number): boolean {
	return ((address ^ network) & ~hostMask(prefixLength)) === 0;
}
