import {Box, Text} from 'ink';
import type {FaultView} from '../session/session-faults.js';
import {describeReader} from '../session/reader.js';
import type {ConnectionView} from '../session/session.js';
import {formatEndpoint} from '../wire/addresses.js';
import {faultStatus} from './fault-status.js';
import {PaneTitle} from './pane-title.js';
import {tint, useTheme} from './theme.js';

type Props = {
	readonly connection: ConnectionView | undefined;
	readonly relative: boolean;
	readonly auto: boolean;
	/** Auto mode is on but its ACK policy is off (the fault menu's `h`). */
	readonly acksHeld?: boolean;
	/** Pending and active faults (snapshot.faults): one line each after the TCB, as many as fit. */
	readonly faults?: readonly FaultView[];
	/** The session clock's now, for timers (TIME-WAIT). */
	readonly now: number;
	readonly width: number;
	readonly height: number;
	readonly focused?: boolean;
};

const stateMeaning = (state: string) => (state === 'ESTABLISHED' ? 'in' : state === 'CLOSED' || state === 'TIME-WAIT' ? 'muted' : 'state');

/** The RFC 9293 TCB of the connection on show, relative to ISS/IRS (as the log) or absolute. */
export function ConnectionPane({connection, relative, auto, acksHeld = false, faults = [], now, width, height, focused}: Props) {
	const theme = useTheme();
	const title = <PaneTitle key="title" title="Connection" detail={relative ? 'relative' : 'absolute'} width={width} focused={focused} />;
	const faultLines = (room: number) => {
		if (room <= 0 || faults.length === 0) return [];
		const shown = faults.length > room ? faults.slice(0, room - 1) : faults;
		return [
			...shown.map(fault => (
				<Text key={`fault${fault.id}`} wrap="truncate" color={tint(theme, 'warn')}>
					{theme.glyphs.fault} {fault.text}<Text dimColor>  {faultStatus(fault)}</Text>
				</Text>
			)),
			...(shown.length < faults.length ? [<Text key="more" wrap="truncate" color={tint(theme, 'warn')}>{theme.glyphs.fault} {faults.length - shown.length} more faults (x lists them)</Text>] : []),
		];
	};

	if (!connection) {
		return (
			<Box flexDirection="column" width={width} height={height}>
				{title}
				<Text dimColor wrap="truncate">no connection yet</Text>
				{faultLines(height - 2)}
			</Box>
		);
	}

	const tcb = connection.tcb;
	const irs = tcb.irs;
	const ours = (seq: number) => String(relative ? (seq - tcb.iss) >>> 0 : seq);
	const theirs = (seq: number) => (irs === undefined ? String(seq) : String(relative ? (seq - irs) >>> 0 : seq));
	const options = tcb.options;
	const optionText = irs === undefined
		? 'options: none negotiated yet'
		: [
			`mss ${options.mss}/${options.peerMss}`,
			options.windowScale ? `wscale ${options.windowScale.rcv}/${options.windowScale.snd}` : 'no wscale',
			options.sackPermitted ? 'sack' : '',
			options.timestamps ? 'ts' : '',
		].filter(Boolean).join(' ');
	const timers = [
		tcb.retransmissionQueueLength > 0 ? `unacked ${tcb.retransmissionQueueLength}` : '',
		tcb.timeWaitUntil === undefined ? '' : `2MSL ${Math.max(0, Math.ceil((tcb.timeWaitUntil - now) / 1000))}s`,
	].filter(Boolean).join('  ');
	const label = (text: string) => <Text dimColor>{text}</Text>;
	// Receiver SWS avoidance holding our right edge back; less than one scale unit is only the field's rounding.
	const held = irs !== undefined && tcb.rcvWnd - tcb.rcvWndAnnounced >= 1 << (options.windowScale?.rcv ?? 0);
	const lines = [
		<Text key="state" wrap="truncate">
			<Text bold color={tint(theme, stateMeaning(tcb.state))}>{tcb.state}</Text>
			{'  '}
			<Text color={auto ? tint(theme, 'warn') : undefined}>{auto ? 'AUTO' : 'manual'}</Text>
			{auto && acksHeld ? <Text bold color={tint(theme, 'warn')}>{' '}ACKs held</Text> : null}
			<Text dimColor>{'  reader '}</Text>{describeReader(connection.reader.mode, connection.reader.rate)}
			{timers ? <Text dimColor>{'  '}{timers}</Text> : null}
		</Text>,
		<Text key="ends" wrap="truncate">
			{formatEndpoint(connection.local)} {theme.glyphs.out} {connection.remote ? formatEndpoint(connection.remote) : '(listening)'}
		</Text>,
		<Text key="isn" wrap="truncate">{label('ISS ')}{ours(tcb.iss)}{label('  IRS ')}{irs === undefined ? '-' : theirs(irs)}</Text>,
		<Text key="snd" wrap="truncate">{label('SND UNA ')}{ours(tcb.sndUna)}{label(' NXT ')}{ours(tcb.sndNxt)}{label(' WND ')}{tcb.sndWnd}{label('  in flight ')}{tcb.bytesInFlight}</Text>,
		<Text key="rcv" wrap="truncate">{label('RCV NXT ')}{irs === undefined ? '-' : theirs(tcb.rcvNxt)}{label(' WND ')}{tcb.rcvWnd}{held ? label(` (announced ${tcb.rcvWndAnnounced})`) : null}</Text>,
		<Text key="read" wrap="truncate">
			{label('received ')}{connection.reader.read + connection.reader.unread}{label(' B  read ')}{connection.reader.read}{label('  unread ')}
			<Text color={connection.reader.unread > 0 && connection.reader.mode === 'manual' ? tint(theme, 'warn') : undefined}>{connection.reader.unread}</Text>
		</Text>,
		<Text key="options" wrap="truncate" dimColor={irs === undefined}>{optionText}</Text>,
	];
	// Faults take the place of the lowest TCB lines when the pane is short: what is being done matters more.
	const rows = Math.max(0, height - 1);
	const faulty = faultLines(Math.min(faults.length, Math.max(0, rows - 3)));
	return (
		<Box flexDirection="column" width={width} height={height}>
			{title}
			{lines.slice(0, Math.max(0, rows - faulty.length))}
			{faulty}
		</Box>
	);
}
