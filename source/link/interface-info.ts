import {readdirSync, readFileSync} from 'node:fs';
import {parseMac} from '../wire/addresses.js';
import type {MacAddress} from '../wire/records.js';
import {LinkError} from './link.js';

const sysNet = '/sys/class/net';

export type InterfaceInfo = {
	readonly name: string;
	readonly mac: MacAddress;
	readonly mtu: number;
};

export function listInterfaces(): string[] {
	try {
		return readdirSync(sysNet).sort();
	} catch {
		return [];
	}
}

/** Reads an interface's MAC and MTU from sysfs; a one-line error names the interfaces that exist. */
export function interfaceInfo(name: string): InterfaceInfo {
	// A name with a slash would read outside the interface's own folder.
	if (name.includes('/') || !listInterfaces().includes(name)) {
		const known = listInterfaces().join(', ') || 'none found';
		throw new LinkError(`no interface named "${name}" (interfaces here: ${known})`);
	}

	const read = (file: string) => readFileSync(`${sysNet}/${name}/${file}`, 'utf8').trim();
	const address = read('address');
	// Tunnels and other point-to-point links have no hardware address: nothing to claim an IP with.
	if (!/^[\da-f]{2}(:[\da-f]{2}){5}$/i.test(address)) {
		throw new LinkError(`${name} is not an Ethernet interface (no MAC address; ARPHRD type ${read('type')}); synack speaks Ethernet only`);
	}

	return {name, mac: parseMac(address), mtu: Number(read('mtu'))};
}

export type InterfaceCounters = {
	readonly rxPackets: number;
	readonly txPackets: number;
	readonly rxDropped: number;
};

export function interfaceCounters(name: string): InterfaceCounters | undefined {
	try {
		const read = (file: string) => Number(readFileSync(`${sysNet}/${name}/statistics/${file}`, 'utf8'));
		return {rxPackets: read('rx_packets'), txPackets: read('tx_packets'), rxDropped: read('rx_dropped')};
	} catch {
		return undefined;
	}
}
