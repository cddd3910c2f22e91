// An MPTCP option (TCP option kind 30) as named fields for the packet log's detail view, in RFC 8684's words.
import {type MptcpOption, mptcpResetReasons, parseMptcpOption} from '../wire/mptcp.js';
import type {FieldNode} from './frame-fields.js';

const hex64 = (value: bigint): string => `0x${value.toString(16).padStart(16, '0')}`;
const hex32 = (value: number): string => `0x${value.toString(16).padStart(8, '0')}`;
const hex16 = (value: number): string => `0x${value.toString(16).padStart(4, '0')}`;
const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
const hexBytes = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** `data` is the option after its kind and length octets. */
export function mptcpFields(data: Uint8Array): FieldNode {
	const length = data.length + 2;
	const parsed = parseMptcpOption(data);
	if (!parsed.ok) {
		return {label: 'MPTCP', value: `length ${length}, malformed: ${parsed.reason}`, children: [{label: 'bytes', value: hexBytes(data)}]};
	}

	const {option} = parsed;
	return {label: `MPTCP ${option.subtype}`, value: `length ${length}`, children: children(option)};
}

function children(option: MptcpOption): FieldNode[] {
	const nodes: FieldNode[] = [];
	const add = (label: string, value: string | undefined): void => {
		if (value !== undefined) {
			nodes.push({label, value});
		}
	};

	switch (option.subtype) {
		case 'MP_CAPABLE': {
			add('version', String(option.version));
			add('checksum required (A)', yesNo(option.checksumRequired));
			add('extensibility (B)', yesNo(option.extensibility));
			add('no more subflows (C)', yesNo(option.noMoreSubflows));
			add('HMAC-SHA256 (H)', yesNo(option.hmacSha256));
			add("sender's key", option.senderKey === undefined ? undefined : hex64(option.senderKey));
			add("receiver's key", option.receiverKey === undefined ? undefined : hex64(option.receiverKey));
			add('data-level length', option.dataLevelLength?.toString());
			add('checksum', option.checksum === undefined ? undefined : hex16(option.checksum));
			break;
		}

		case 'MP_JOIN': {
			add('form', option.form);
			if (option.form === 'ACK') {
				add("sender's HMAC", `0x${hexBytes(option.hmac)}`);
				break;
			}

			add('backup', yesNo(option.backup));
			add('address ID', String(option.addressId));
			if (option.form === 'SYN') {
				add("receiver's token", hex32(option.token));
			} else {
				add("sender's truncated HMAC", hex64(option.hmac));
			}

			add("sender's random number", hex32(option.nonce));
			break;
		}

		case 'DSS': {
			add('DATA_FIN (F)', yesNo(option.dataFin));
			add('data ACK', option.dataAck === undefined ? undefined : `${option.dataAck} (${option.dataAckOctets} octets)`);
			add('data sequence number', option.dataSequence === undefined ? undefined : `${option.dataSequence} (${option.dataSequenceOctets} octets)`);
			add('subflow sequence number', option.subflowSequence?.toString());
			add('data-level length', option.dataLevelLength?.toString());
			add('checksum', option.checksum === undefined ? undefined : hex16(option.checksum));
			break;
		}

		case 'ADD_ADDR': {
			add('version', option.version === 1 ? '1 (RFC 8684)' : '0 (RFC 6824)');
			if (option.version === 1) {
				add('echo (E)', yesNo(option.echo));
			}

			add('address ID', String(option.addressId));
			add('address', option.address);
			add('port', option.port?.toString());
			add('truncated HMAC', option.hmac === undefined ? undefined : hex64(option.hmac));
			break;
		}

		case 'REMOVE_ADDR': {
			add('address IDs', option.addressIds.join(', '));
			break;
		}

		case 'MP_PRIO': {
			add('backup', yesNo(option.backup));
			add('address ID', option.addressId?.toString());
			break;
		}

		case 'MP_FAIL': {
			add('data sequence number', String(option.dataSequence));
			break;
		}

		case 'MP_FASTCLOSE': {
			add("receiver's key", hex64(option.receiverKey));
			break;
		}

		case 'MP_TCPRST': {
			add('transient (T)', yesNo(option.transient));
			add('reason', `${option.reason} (${mptcpResetReasons[option.reason] ?? 'unassigned'})`);
			break;
		}

		case 'MP_EXPERIMENTAL':
		case 'unknown': {
			add('subtype', String(option.code));
			add('data', option.data.length === 0 ? '(none)' : hexBytes(option.data));
			break;
		}
	}

	return nodes;
}
