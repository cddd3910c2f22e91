// The alternate screen: entered once, left exactly once, whatever ends the program.

const enter = '\u001B[?1049h\u001B[?25l\u001B[H\u001B[2J';
const leave = '\u001B[?25h\u001B[?1049l';

export type FullScreen = {
	/** Leaves the alternate screen and shows the cursor again; idempotent. */
	restore(): void;
};

/**
 * Switches `stdout` to the alternate screen (the shell's screen comes back untouched on restore) and
 * restores it on process exit too, so that even a crash past every handler leaves a usable terminal.
 */
export function enterFullScreen(stdout: NodeJS.WriteStream): FullScreen {
	if (!stdout.isTTY) return {restore() {}};
	stdout.write(enter);
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		process.off('exit', restore);
		stdout.write(leave);
	};

	process.on('exit', restore);
	return {restore};
}
