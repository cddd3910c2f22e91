import {closeSync, openSync, writeFileSync, writeSync} from 'node:fs';

/** The comment a recorded script begins with: when, and how to replay it. */
export function scriptHeader(replay: string, date = new Date()): string {
	return `# recorded by synack in the TUI, ${date.toISOString()}\n# replay: synack run FILE ${replay}\n`;
}

/** `W`: the script so far to `path`. Returns the status line. */
export function writeScript(path: string, header: string, script: string): string {
	writeFileSync(path, header + script);
	const steps = script.split('\n').filter(line => line !== '' && !line.startsWith('#')).length;
	return `saved ${steps} ${steps === 1 ? 'step' : 'steps'} to ${path} (synack run ${path})`;
}

/** `synack-20240101-120000.syn` in the current directory. */
export function scriptFileName(date = new Date()): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `synack-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}.syn`;
}

/** `--record FILE`: each line reaches the file as it is recorded (one write each, nothing buffered). */
export class ScriptFile {
	readonly path: string;
	#fd: number | undefined;

	constructor(path: string, header: string) {
		this.path = path;
		this.#fd = openSync(path, 'w');
		writeSync(this.#fd, header);
	}

	line(text: string): void {
		if (this.#fd !== undefined) writeSync(this.#fd, `${text}\n`);
	}

	close(): void {
		if (this.#fd === undefined) return;
		closeSync(this.#fd);
		this.#fd = undefined;
	}
}
