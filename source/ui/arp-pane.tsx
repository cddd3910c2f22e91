import {Text} from 'ink';
import type {SessionSnapshot} from '../session/session.js';
import {formatIpv4, formatMac} from '../wire/addresses.js';
import type {MacAddress} from '../wire/records.js';
import {Pane} from './pane.js';
import {tint, useTheme} from './theme.js';

type Props = {
	readonly snapshot: SessionSnapshot;
	readonly peerMac?: MacAddress;
	readonly width: number;
	readonly height: number;
	readonly focused?: boolean;
};

const phaseMeaning = {probing: 'warn', announcing: 'info', claimed: 'in', conflict: 'error'} as const;

/** RFC 5227 claim of our address: interface, MAC, IP, phase, counters, conflicts, the peer's MAC. */
export function ArpPane({snapshot, peerMac, width, height, focused}: Props) {
	const theme = useTheme();
	const {claim, iface} = snapshot;
	const conflict = claim.conflicts.at(-1);
	const lines = [
		<Text key="if" wrap="truncate">{iface.name} <Text dimColor>mtu {iface.mtu}</Text></Text>,
		<Text key="mac" wrap="truncate"><Text dimColor>MAC </Text>{formatMac(snapshot.iface.mac)}</Text>,
		<Text key="ip" wrap="truncate"><Text dimColor>IP  </Text>{formatIpv4(snapshot.ip)}</Text>,
		<Text key="phase" wrap="truncate"><Text dimColor>phase </Text><Text bold color={tint(theme, phaseMeaning[claim.phase])}>{claim.phase}</Text></Text>,
		<Text key="sent" wrap="truncate"><Text dimColor>probes </Text>{claim.probesSent}<Text dimColor>  announced </Text>{claim.announcementsSent}</Text>,
		<Text key="answered" wrap="truncate"><Text dimColor>answered </Text>{claim.requestsAnswered}<Text dimColor>  defended </Text>{claim.defences}</Text>,
		conflict
			? <Text key="conflict" wrap="truncate" color={tint(theme, 'error')}>conflicts {claim.conflicts.length}: {formatMac(conflict.mac)}</Text>
			: <Text key="peer" wrap="truncate"><Text dimColor>peer </Text>{peerMac === undefined ? '(not resolved)' : formatMac(peerMac)}</Text>,
	];
	return (
		<Pane title="ARP claim" width={width} height={height} focused={focused}>
			{lines.slice(0, Math.max(0, height - 1))}
		</Pane>
	);
}
