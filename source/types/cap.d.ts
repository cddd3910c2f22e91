// The parts of the `cap` binding (https://github.com/mscdex/cap) that synack uses. It ships no types.
declare module 'cap' {
	import type {EventEmitter} from 'node:events';

	export type CapDevice = {
		name: string;
		description?: string;
		addresses: Array<{addr: string; netmask?: string; broadaddr?: string}>;
		flags?: string;
	};

	export class Cap extends EventEmitter {
		/** Returns the link type name ('ETHERNET', 'NULL', 'RAW', ...) or 'Unknown linktype N'. */
		open(device: string, filter: string, bufferSize: number, buffer: Buffer): string;
		close(): boolean;
		send(buffer: Buffer, length?: number): void;
		setMinBytes?(bytes: number): void;
		on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): this;
		static findDevice(ip?: string): string | undefined;
		static deviceList(): CapDevice[];
	}

	const cap: {Cap: typeof Cap};
	export default cap;
}
