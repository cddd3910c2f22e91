import {Box} from 'ink';
import type {ReactNode} from 'react';
import {PaneTitle} from './pane-title.js';

type Props = {
	readonly title: string;
	readonly detail?: string;
	readonly width: number;
	readonly height: number;
	readonly focused?: boolean;
	readonly children?: ReactNode;
};

/**
 * A pane: its title on the top edge, then its rows, never drawn outside its box. Ink lets a column
 * that holds more than its height shrink its rows to nothing and draws them over each other (and
 * over the title): here the rows keep their height and whatever does not fit is clipped.
 */
export function Pane({title, detail, width, height, focused = false, children}: Props) {
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
			<Box flexShrink={0} height={1}>
				<PaneTitle title={title} detail={detail} width={width} focused={focused} />
			</Box>
			<Box flexDirection="column" flexShrink={0}>{children}</Box>
		</Box>
	);
}
