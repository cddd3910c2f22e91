import type {Ipv4Address, MacAddress} from './records.js';

/** Thrown for text that is not a valid address; the message is one line that says what is wrong. */
export class AddressError extends Error {
	override name = 'AddressError';
}

const decimalOctet = /^\d{1,3}$/;

function ipv4Problem(text: string): string | number {
	const parts = text.split('.');
	if (parts.length !== 4) {
		return `expected 4 dot-separated octets, got ${parts.length}`;
	}

	let value = 0;
	for (const [index, part] of parts.entries()) {
		const position = index + 1;
		if (part === '') {
			return `octet ${position} is empty`;
		}

		if (!decimalOctet.test(part)) {
			return `octet ${position} is not a decimal number from 0 to 255`;
		}

		// A leading zero reads as octal to inet_aton(3); refuse rather than guess.
		if (part.length > 1 && part.startsWith('0')) {
			return `octet ${position} has a leading zero`;
		}

		const octet = Number(part);
		if (octet > 255) {
			return `octet ${position} is over 255`;
		}

		value = (value * 256) + octet;
	}

	return value;
}

export function parseIpv4(text: string): Ipv4Address {
	const result = ipv4Problem(text);
	if (typeof result === 'string') {
		throw new AddressError(`not an IPv4 address: ${JSON.stringify(text)} (${result})`);
	}

	return result;
}

export function isIpv4(text: string): boolean {
	return typeof ipv4Problem(text) === 'number';
}

export function formatIpv4(address: Ipv4Address): string {
	return `${(address >>> 24) & 0xff}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

const macPattern = /^[\da-f]{1,2}([:-])[\da-f]{1,2}\1[\da-f]{1,2}\1[\da-f]{1,2}\1[\da-f]{1,2}\1[\da-f]{1,2}$/i;

export function parseMac(text: string): MacAddress {
	if (!macPattern.test(text)) {
		throw new AddressError(`not a MAC address: ${JSON.stringify(text)} (expected six hex bytes separated by ":" or "-", like aa:bb:cc:dd:ee:ff)`);
	}

	let value = 0;
	for (const part of text.split(/[:-]/)) {
		value = (value * 256) + Number.parseInt(part, 16);
	}

	return value;
}

const hexByte = (value: number): string => value.toString(16).padStart(2, '0');

/** Lowercase, colon-separated, two digits per byte, as tcpdump prints. */
export function formatMac(mac: MacAddress): string {
	const high = Math.floor(mac / 0x1_00_00_00_00);
	const low = mac >>> 0;
	return `${hexByte((high >>> 8) & 0xff)}:${hexByte(high & 0xff)}:${hexByte(low >>> 24)}:${hexByte((low >>> 16) & 0xff)}:${hexByte((low >>> 8) & 0xff)}:${hexByte(low & 0xff)}`;
}

export const broadcastMac: MacAddress = 0xff_ff_ff_ff_ff_ff;

export type Endpoint = {
	readonly ip: Ipv4Address;
	readonly port: number;
};

/** `HOST:PORT`, HOST a dotted-quad IPv4 address, PORT 1 to 65535. */
export function parseEndpoint(text: string): Endpoint {
	const colon = text.lastIndexOf(':');
	if (colon === -1) {
		throw new AddressError(`not an endpoint: ${JSON.stringify(text)} (expected HOST:PORT, like 198.18.0.2:80)`);
	}

	const host = text.slice(0, colon);
	const portText = text.slice(colon + 1);
	const ip = ipv4Problem(host);
	if (typeof ip === 'string') {
		throw new AddressError(`not an endpoint: ${JSON.stringify(text)} (host ${JSON.stringify(host)}: ${ip})`);
	}

	if (!/^\d{1,5}$/.test(portText)) {
		throw new AddressError(`not an endpoint: ${JSON.stringify(text)} (port ${JSON.stringify(portText)} is not a decimal number)`);
	}

	const port = Number(portText);
	if (port < 1 || port > 65_535) {
		throw new AddressError(`not an endpoint: ${JSON.stringify(text)} (port ${port} is outside 1-65535)`);
	}

	return {ip, port};
}

export function formatEndpoint({ip, port}: Endpoint): string {
	return `${formatIpv4(ip)}:${port}`;
}
