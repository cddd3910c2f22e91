// TCP options as text: the script form (`mss=536`) that faults and scripts read and write, and the
// readable form (`wscale 7 (x128)`) of the frame detail and a failed `expect`.
import {seqSub} from '../engine/seq.js';
import type {TcpOption} from '../wire/records.js';

/** `mss=N`, `wscale=N`, `sackOK`, `ts=VAL,ECR`, `nop`, `eol`. */
export function parseOption(text: string): TcpOption | undefined {
	const [name, value] = text.split('=', 2) as [string, string | undefined];
	const number = (raw: string | undefined, max: number) => (raw !== undefined && /^\d+$/.test(raw) && Number(raw) <= max ? Number(raw) : undefined);
	switch (name) {
		case 'mss': {
			const n = number(value, 0xff_ff);
			return n === undefined ? undefined : {kind: 'mss', value: n};
		}

		case 'wscale': {
			const n = number(value, 255);
			return n === undefined ? undefined : {kind: 'wscale', shift: n};
		}

		case 'sackOK': {
			return value === undefined ? {kind: 'sackOK'} : undefined;
		}

		case 'ts': {
			const [val, ecr] = (value ?? '').split(',');
			const v = number(val, 0xff_ff_ff_ff);
			const e = number(ecr, 0xff_ff_ff_ff);
			return v === undefined || e === undefined ? undefined : {kind: 'timestamps', value: v, echo: e};
		}

		case 'nop':
		case 'eol': {
			return value === undefined ? {kind: name} : undefined;
		}

		default: {
			return undefined;
		}
	}
}

/** The script form; `parseOption` reads back every kind it takes. */
export function formatOption(option: TcpOption): string {
	switch (option.kind) {
		case 'mss': {
			return `mss=${option.value}`;
		}

		case 'wscale': {
			return `wscale=${option.shift}`;
		}

		case 'timestamps': {
			return `ts=${option.value},${option.echo}`;
		}

		case 'sack': {
			return `sack=${option.blocks.map(([left, right]) => `${left}-${right}`).join(',')}`;
		}

		case 'unknown': {
			return `kind${option.type}`;
		}

		default: {
			return option.kind;
		}
	}
}

/** The readable form; SACK edges relative to `sackBase` (our ISS, as tcpdump prints them), absolute without it. */
export function describeOption(option: TcpOption, sackBase = 0): string {
	switch (option.kind) {
		case 'eol':
		case 'nop':
		case 'sackOK': {
			return option.kind;
		}

		case 'mss': {
			return `mss ${option.value}`;
		}

		case 'wscale': {
			return `wscale ${option.shift} (x${2 ** option.shift})`;
		}

		case 'sack': {
			return `sack ${option.blocks.map(([left, right]) => `${seqSub(left, sackBase)}-${seqSub(right, sackBase)}`).join(' ')}`;
		}

		case 'timestamps': {
			return `TS val ${option.value} ecr ${option.echo}`;
		}

		case 'unknown': {
			return `kind ${option.type} (${option.data.length} bytes)`;
		}
	}
}
