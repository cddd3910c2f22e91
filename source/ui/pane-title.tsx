import {Text} from 'ink';
import {tint, useTheme} from './theme.js';

type Props = {
	readonly title: string;
	/** Shown after the title, dimmed: counts, mode. */
	readonly detail?: string;
	readonly width: number;
	readonly focused?: boolean;
};

/** `── Title  detail ─────`: a pane's top edge; the focused pane's title is inverted (and coloured). */
export function PaneTitle({title, detail, width, focused = false}: Props) {
	const theme = useTheme();
	const {rule} = theme.glyphs;
	const lead = `${rule}${rule} `;
	const detailText = detail ? `  ${detail} ` : ' ';
	const fill = Math.max(0, width - lead.length - title.length - detailText.length);
	return (
		<Text wrap="truncate">
			<Text dimColor>{lead}</Text>
			<Text bold inverse={focused} color={focused ? tint(theme, 'focus') : undefined}>{title}</Text>
			<Text dimColor>{detailText}{rule.repeat(fill)}</Text>
		</Text>
	);
}
