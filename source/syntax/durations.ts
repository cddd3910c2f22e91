// Durations as scripts and faults write them.

/** `200ms`, `1s`, `1.5s`, in whole milliseconds. */
export function parseDuration(text: string | undefined): number | undefined {
	const match = text === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
	if (!match) return undefined;
	const value = Number(match[1]) * (match[2] === 's' ? 1000 : 1);
	return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** Milliseconds as `parseDuration` reads them: whole seconds as `5s`, the rest as `250ms`. */
export function formatDuration(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
