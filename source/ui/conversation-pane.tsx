import {Text} from 'ink';
import type {CaptureConversation} from '../session/capture.js';
import {formatEndpoints} from '../session/conversations.js';
import {Pane} from './pane.js';
import {tint, useTheme} from './theme.js';

type Props = {
	/** The conversation of the selected frame (the picked one when one is). */
	readonly conversation: CaptureConversation | undefined;
	readonly total: number;
	/** 0-based position of the selected frame among the conversation's segments; -1 when not in it. */
	readonly position: number;
	readonly picked: boolean;
	readonly frames: number;
	readonly width: number;
	readonly height: number;
};

/** A captured conversation as two engines replayed it: both sides' states after the selected segment, and at the end. */
export function ConversationPane({conversation, total, position, picked, frames, width, height}: Props) {
	const theme = useTheme();
	const arrow = theme.glyphs.out;
	if (!conversation) {
		return (
			<Pane title="Capture" detail={`${frames} frames, ${total} TCP conversation${total === 1 ? '' : 's'}`} width={width} height={height}>
				<Text dimColor wrap="truncate">{total === 0 ? 'no TCP conversation in this capture' : 'the selected frame is in no TCP conversation; c lists them'}</Text>
			</Pane>
		);
	}

	const row = position >= 0 ? conversation.states[position] : undefined;
	const last = conversation.states.at(-1);
	const verdicts = row?.verdicts.filter(verdict => verdict.code !== 'acceptable') ?? [];
	const title = `Conversation ${conversation.number} of ${total}`;
	const detail = `${formatEndpoints(conversation.client)} ${arrow} ${formatEndpoints(conversation.server)}  ${conversation.frames.length} segments${picked ? '' : '  (c picks)'}`;
	return (
		<Pane title={title} detail={detail} width={width} height={height}>
			<Text wrap="truncate">
				{row ? <>
					<Text bold>{`segment ${position + 1}/${conversation.frames.length}`}</Text>
					{` from the ${row.from}  after it: client `}
					<Text bold color={tint(theme, 'state')}>{row.clientState}</Text>
					{'  server '}
					<Text bold color={tint(theme, 'state')}>{row.serverState}</Text>
				</> : <Text dimColor>the selected frame is not in this conversation</Text>}
			</Text>
			<Text wrap="truncate">
				{'verdicts: '}
				{verdicts.length === 0 ? <Text dimColor>{row ? 'acceptable' : '-'}</Text> : verdicts.map((verdict, index) => (
					<Text key={verdict.code}>{index > 0 ? ', ' : ''}<Text bold color={tint(theme, verdict.severity === 'error' ? 'error' : verdict.severity === 'warn' ? 'warn' : 'info')}>{verdict.code}</Text></Text>
				))}
			</Text>
			<Text wrap="truncate">
				{'at the end: client '}
				<Text bold>{last?.clientState ?? '-'}</Text>
				{'  server '}
				<Text bold>{last?.serverState ?? '-'}</Text>
			</Text>
		</Pane>
	);
}
