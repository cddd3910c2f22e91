import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {tryTool} from './run-tool.js';

const sysNet = '/sys/class/net';

export type HostLink = {
	readonly name: string;
	readonly mac: string;
	/** IFLA_IFALIAS: the lab's marker, or empty. */
	readonly alias: string;
	readonly up: boolean;
};

/** An interface in the caller's namespace, read from sysfs; undefined when there is none. */
export function hostLink(name: string): HostLink | undefined {
	if (name.includes('/') || !existsSync(`${sysNet}/${name}`)) {
		return undefined;
	}

	const read = (file: string) => {
		try {
			return readFileSync(`${sysNet}/${name}/${file}`, 'utf8').trim();
		} catch {
			return '';
		}
	};

	// IFF_UP is bit 0 of flags: administratively up, which is what `ip link set up` sets.
	return {name, mac: read('address'), alias: read('ifalias'), up: (Number.parseInt(read('flags'), 16) & 1) === 1};
}

/** The interfaces in the caller's namespace whose names start with `prefix`. */
export function hostLinkNames(prefix: string): string[] {
	try {
		return readdirSync(sysNet).filter(name => name.startsWith(prefix)).sort();
	} catch {
		return [];
	}
}

/** Named network namespaces (`ip netns list`). */
export async function namedNamespaces(): Promise<string[]> {
	const output = await tryTool('ip', ['-j', 'netns', 'list']);
	try {
		return (JSON.parse(output ?? '[]') as Array<{name: string}>).map(({name}) => name).sort();
	} catch {
		return [];
	}
}

export function namespaceExists(namespace: string): boolean {
	return !namespace.includes('/') && (existsSync(`/run/netns/${namespace}`) || existsSync(`/var/run/netns/${namespace}`));
}

export type NamespaceLink = {
	readonly name: string;
	readonly mac: string;
	readonly alias: string;
	readonly up: boolean;
	/** IPv4 addresses with prefix length, `198.18.0.2/24`. */
	readonly addresses: readonly string[];
};

type IpAddrJson = {
	ifname: string;
	address?: string;
	ifalias?: string;
	flags?: string[];
	addr_info?: Array<{family: string; local: string; prefixlen: number}>;
};

/** An interface inside a namespace (`ip -n NS -j addr show dev IF`); undefined when either is missing. */
export async function namespaceLink(namespace: string, name: string): Promise<NamespaceLink | undefined> {
	const output = await tryTool('ip', ['-n', namespace, '-j', 'addr', 'show', 'dev', name]);
	let links: IpAddrJson[];
	try {
		links = JSON.parse(output ?? '[]') as IpAddrJson[];
	} catch {
		return undefined;
	}

	const link = links[0];
	if (link === undefined) {
		return undefined;
	}

	return {
		name: link.ifname,
		mac: link.address ?? '',
		alias: link.ifalias ?? '',
		up: link.flags?.includes('UP') ?? false,
		addresses: (link.addr_info ?? []).filter(({family}) => family === 'inet').map(({local, prefixlen}) => `${local}/${prefixlen}`),
	};
}

/** TCP ports with a listening socket inside a namespace (`ss -ltnH`). */
export async function listeningPorts(namespace: string): Promise<Set<number>> {
	const output = await tryTool('ss', ['-ltnH'], {namespace});
	const ports = new Set<number>();
	for (const line of (output ?? '').split('\n')) {
		// State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
		const local = line.trim().split(/\s+/)[3];
		const port = local === undefined ? Number.NaN : Number(local.slice(local.lastIndexOf(':') + 1));
		if (Number.isInteger(port)) {
			ports.add(port);
		}
	}

	return ports;
}
