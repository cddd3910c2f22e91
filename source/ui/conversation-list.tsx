import {Text} from 'ink';
import type {CaptureConversation} from '../session/capture.js';
import {formatEndpoints} from '../session/conversations.js';
import {Pane} from './pane.js';
import {useTheme} from './theme.js';

type Props = {
	readonly conversations: readonly CaptureConversation[];
	/** 0: every frame; N: conversation N. */
	readonly cursor: number;
	readonly frames: number;
	readonly width: number;
	readonly height: number;
};

/** `c` in the capture viewer: every TCP conversation, with where both sides ended; Enter picks one. */
export function ConversationList({conversations, cursor, frames, width, height}: Props) {
	const theme = useTheme();
	const items = [
		`all frames (${frames})`,
		...conversations.map(conversation => {
			const last = conversation.states.at(-1);
			const ends = last ? `  ends ${last.clientState} / ${last.serverState}` : '';
			return `${String(conversation.number).padStart(3)}  ${formatEndpoints(conversation.client)} ${theme.glyphs.out} ${formatEndpoints(conversation.server)}  ${conversation.frames.length} seg${ends}`;
		}),
	];
	const rows = Math.max(1, height - 2);
	const top = Math.max(0, Math.min(items.length - rows, cursor - Math.floor(rows / 2)));
	return (
		<Pane title="Conversations" detail={`${conversations.length} TCP  j/k move  Enter picks  Esc back`} width={width} height={height} focused>
			<Text dimColor wrap="truncate">{'  #  client -> server, segments, where both sides ended (client / server)'}</Text>
			{items.slice(top, top + rows).map((item, index) => (
				<Text key={top + index} wrap="truncate" inverse={top + index === cursor}>{item}</Text>
			))}
		</Pane>
	);
}
