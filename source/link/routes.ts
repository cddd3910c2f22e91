import {readFileSync} from 'node:fs';
import type {Ipv4Address} from '../wire/records.js';

export type Route = {
	readonly iface: string;
	readonly destination: Ipv4Address;
	readonly prefixLength: number;
	/** 0 for an on-link route. */
	readonly gateway: Ipv4Address;
	readonly metric: number;
};

/**
 * Parses /proc/net/route: addresses are little-endian hex (the kernel prints the in-memory u32 of a
 * network-order address), one route a line after the header.
 */
export function parseProcRoutes(text: string): Route[] {
	const routes: Route[] = [];
	for (const line of text.split('\n').slice(1)) {
		const fields = line.trim().split(/\s+/);
		if (fields.length < 8) continue;
		const [iface, destination, gateway, flags, , , metric, mask] = fields as [string, string, string, string, string, string, string, string];
		// RTF_UP (0x1): only routes in use.
		if ((Number.parseInt(flags, 16) & 0x1) === 0) continue;
		const maskValue = swap(Number.parseInt(mask, 16));
		routes.push({iface, destination: swap(Number.parseInt(destination, 16)), prefixLength: prefixOf(maskValue), gateway: swap(Number.parseInt(gateway, 16)), metric: Number(metric)});
	}

	return routes;
}

function swap(value: number): number {
	return (((value & 0xff) << 24) | ((value & 0xff_00) << 8) | ((value >>> 8) & 0xff_00) | (value >>> 24)) >>> 0;
}

function prefixOf(mask: number): number {
	let bits = 0;
	for (let m = mask; m & 0x80_00_00_00; m = (m << 1) >>> 0) bits++;
	return bits;
}

export function systemRoutes(): Route[] {
	try {
		return parseProcRoutes(readFileSync('/proc/net/route', 'utf8'));
	} catch {
		return [];
	}
}

/** The interface of the lowest-metric default route: what `connect` uses when --iface is not given. */
export function defaultRouteInterface(routes = systemRoutes()): string | undefined {
	return routes.filter(route => route.prefixLength === 0).sort((a, b) => a.metric - b.metric)[0]?.iface;
}

export type OnLink = {
	readonly network: Ipv4Address;
	readonly prefixLength: number;
	readonly gateway?: Ipv4Address;
};

/**
 * Where `ip` sits on `iface`: the most specific on-link route that holds it, and the interface's
 * default gateway. An interface with no routes (the lab's end of the veth has no address) treats
 * every destination as on-link: there is nowhere else to send it.
 */
export function onLinkFor(iface: string, ip: Ipv4Address, routes = systemRoutes()): OnLink {
	const mine = routes.filter(route => route.iface === iface);
	const gateway = mine.filter(route => route.prefixLength === 0 && route.gateway !== 0).sort((a, b) => a.metric - b.metric)[0]?.gateway;
	const subnet = mine
		.filter(route => route.gateway === 0 && route.prefixLength > 0 && contains(route, ip))
		.sort((a, b) => b.prefixLength - a.prefixLength)[0];
	const base = subnet ? {network: subnet.destination, prefixLength: subnet.prefixLength} : {network: 0, prefixLength: 0};
	return gateway === undefined ? base : {...base, gateway};
}

function contains(route: Route, ip: Ipv4Address): boolean {
	const mask = route.prefixLength === 0 ? 0 : (0xff_ff_ff_ff << (32 - route.prefixLength)) >>> 0;
	return ((ip & mask) >>> 0) === route.destination;
}
