import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {readonly columns: number; readonly rows: number};

/** ink-testing-library's stdout has no `rows` (and 100 columns): default to the 80x24 we design for. */
export const defaultSize: TerminalSize = {columns: 80, rows: 24};

function measure(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || defaultSize.columns, rows: stdout.rows || defaultSize.rows};
}

/** The terminal's size, updated on resize. */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => measure(stdout));
	useEffect(() => {
		const update = () => setSize(measure(stdout));
		stdout.on('resize', update);
		return () => {
			stdout.off('resize', update);
		};
	}, [stdout]);
	return size;
}
