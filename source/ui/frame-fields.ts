// A decoded frame as a tree of named fields, for the packet log's detail view.
import {formatIpv4, formatMac} from '../wire/addresses.js';
import {type DecodedFrame, etherTypes, type TcpOption} from '../wire/records.js';
import type {Annotation} from '../session/packet-log.js';
import {looksPartial} from '../session/checksum-offload.js';
import {describeOption} from '../syntax/tcp-options.js';
import {flagNames} from '../syntax/tcp-flags.js';
import {mptcpOptionKind} from '../wire/mptcp.js';
import {mptcpFields} from './mptcp-fields.js';

export type FieldNode = {
	readonly label: string;
	readonly value?: string;
	readonly children?: readonly FieldNode[];
};

const hex = (value: number, digits: number) => `0x${value.toString(16).padStart(digits, '0')}`;

function optionNode(option: TcpOption): FieldNode {
	return option.kind === 'unknown' && option.type === mptcpOptionKind ? mptcpFields(option.data) : {label: describeOption(option)};
}

// IEEE 802.1Q C-tag, 802.1ad S-tag, and the pre-standard QinQ identifiers.
const vlanTagNames: Readonly<Record<number, string>> = {0x81_00: '802.1Q', 0x88_a8: '802.1ad', 0x91_00: 'QinQ 0x9100', 0x92_00: 'QinQ 0x9200'};

function checksumText(value: number, ok: boolean | undefined): string {
	return `${hex(value, 4)}${ok === undefined ? '' : ok ? ' (correct)' : ' (WRONG)'}`;
}

export function frameFields(frame: DecodedFrame, annotations: readonly Annotation[] = []): FieldNode[] {
	const nodes: FieldNode[] = [];
	if (annotations.length > 0) {
		nodes.push({label: 'Notes', children: annotations.map(note => ({label: note.code === 'fault' ? 'fault' : note.severity, value: note.rfc === undefined ? note.text : `${note.text} (${note.rfc})`}))});
	}

	const {ethernet, arp, ipv4, tcp} = frame;
	if (ethernet) {
		const children: FieldNode[] = [
			{label: 'destination', value: formatMac(ethernet.destination)},
			{label: 'source', value: formatMac(ethernet.source)},
		];
		for (const tag of ethernet.tags ?? []) {
			children.push({label: `VLAN (${vlanTagNames[tag.tpid] ?? hex(tag.tpid, 4)})`, value: `id ${tag.id}, priority ${tag.priority}${tag.dropEligible ? ', DEI' : ''}`});
		}

		const name = Object.entries(etherTypes).find(([, type]) => type === ethernet.etherType)?.[0];
		children.push({label: 'type', value: `${hex(ethernet.etherType, 4)}${name ? ` (${name.toUpperCase()})` : ''}`});
		nodes.push({label: 'Ethernet II', value: `${frame.length} bytes`, children});
	}

	if (arp) {
		nodes.push({label: 'ARP', value: arp.operation === 1 ? 'request' : arp.operation === 2 ? 'reply' : `operation ${arp.operation}`, children: [
			{label: 'hardware', value: `type ${arp.hardwareType}, length ${arp.hardwareLength}`},
			{label: 'protocol', value: `type ${hex(arp.protocolType, 4)}, length ${arp.protocolLength}`},
			{label: 'sender', value: `${formatMac(arp.senderMac)} ${formatIpv4(arp.senderIp)}`},
			{label: 'target', value: `${formatMac(arp.targetMac)} ${formatIpv4(arp.targetIp)}`},
		]});
	}

	if (ipv4) {
		const flags = [ipv4.reservedFlag ? 'evil' : '', ipv4.dontFragment ? 'DF' : '', ipv4.moreFragments ? 'MF' : ''].filter(Boolean).join(' ') || 'none';
		nodes.push({label: 'IPv4', value: `${formatIpv4(ipv4.source)} > ${formatIpv4(ipv4.destination)}`, children: [
			{label: 'header length', value: `${ipv4.headerLength} bytes`},
			{label: 'DSCP / ECN', value: `${ipv4.dscp} / ${ipv4.ecn}`},
			{label: 'total length', value: String(ipv4.totalLength)},
			{label: 'identification', value: hex(ipv4.identification, 4)},
			{label: 'flags', value: `${flags}, fragment offset ${ipv4.fragmentOffset * 8}`},
			{label: 'TTL', value: String(ipv4.ttl)},
			{label: 'protocol', value: String(ipv4.protocol)},
			{label: 'checksum', value: checksumText(ipv4.checksum, frame.ipv4ChecksumOk)},
		]});
	}

	if (tcp) {
		const children: FieldNode[] = [
			{label: 'ports', value: `${tcp.sourcePort} > ${tcp.destinationPort}`},
			{label: 'seq', value: String(tcp.seq)},
			{label: 'ack', value: String(tcp.ack)},
			{label: 'header length', value: `${tcp.headerLength} bytes`},
			{label: 'flags', value: `${hex(tcp.flags, 3)} ${flagNames(tcp.flags, ' ')}${tcp.reserved === 0 ? '' : `, reserved ${tcp.reserved}`}`},
			{label: 'window', value: String(tcp.window)},
			{label: 'checksum', value: looksPartial(frame) ? `${hex(tcp.checksum, 4)} (partial: left to the sender's card, not judged)` : checksumText(tcp.checksum, frame.tcpChecksumOk)},
			{label: 'urgent pointer', value: String(tcp.urgentPointer)},
		];
		if (tcp.options.length > 0) children.push({label: 'options', children: tcp.options.map(option => optionNode(option))});
		children.push({label: 'payload', value: `${tcp.payload.length} bytes`});
		nodes.push({label: 'TCP', value: `${tcp.sourcePort} > ${tcp.destinationPort}`, children});
	}

	if (frame.truncated) nodes.push({label: 'Truncated', value: 'the capture holds fewer bytes than the IPv4 total length'});
	if (frame.error) nodes.push({label: 'Malformed', value: `${frame.error.layer} ${frame.error.field}: ${frame.error.reason}`});
	return nodes;
}

/** The tree as indented lines: `TCP: 40000 > 80` then `  seq: 1000`. */
export function fieldLines(nodes: readonly FieldNode[], depth = 0): string[] {
	const lines: string[] = [];
	for (const node of nodes) {
		lines.push(`${'  '.repeat(depth)}${node.label}${node.value === undefined ? '' : `: ${node.value}`}`);
		if (node.children) lines.push(...fieldLines(node.children, depth + 1));
	}

	return lines;
}
