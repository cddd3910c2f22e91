import {tryTool} from './run-tool.js';

/**
 * On a network the peer's TCP runs on a machine of its own. On the lab's veth it would run inside
 * synack's own send(): a frame sent into a veth is received by the other end on the same CPU, in the
 * same call, so every ACK of a download carried the lab kernel's whole answer to it (its next burst
 * of segments) and every segment of an upload the kernel's whole receive path and the wake-up of its
 * reader. RPS on the peer's end (Documentation/networking/scaling.rst) hands what it receives to the
 * CPUs in `mask`, so that this work runs beside synack instead of inside it, as it would on a wire
 * (docs/performance.md, issue #19). False when it could not be set (a kernel built without RPS):
 * the lab works as before.
 */
export async function steerPeer(namespace: string, peerInterface: string, mask: string): Promise<boolean> {
	// Arguments, not a shell string: the names go in as $1 and $2.
	return await tryTool('sh', ['-c', 'printf %s "$2" > "/sys/class/net/$1/queues/rx-0/rps_cpus"', 'sh', peerInterface, mask], {namespace}) !== undefined;
}

/** The peer's RPS mask as the kernel prints it, or undefined without RPS. */
export async function peerSteering(namespace: string, peerInterface: string): Promise<string | undefined> {
	return (await tryTool('cat', [`/sys/class/net/${peerInterface}/queues/rx-0/rps_cpus`], {namespace}))?.trim();
}

/**
 * The bitmap RPS takes for CPUs `first` to `count - 1`: hexadecimal in 32-bit groups separated by
 * commas, as the kernel prints cpumasks ("ffffffff,ffffffff").
 */
export function cpuMask(count: number, first = 0): string {
	let mask = 0n;
	for (let cpu = first; cpu < count; cpu++) mask |= 1n << BigInt(cpu);
	const hex = mask.toString(16);
	const groups: string[] = [];
	for (let end = hex.length; end > 0; end -= 8) groups.unshift(hex.slice(Math.max(0, end - 8), end));
	return groups.map((group, index) => (index === 0 ? group : group.padStart(8, '0'))).join(',');
}
