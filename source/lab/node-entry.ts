import {fileURLToPath} from 'node:url';

/**
 * The command line that runs one of the lab's entry points (`servers`, `probe`) with this Node: the
 * built `.js` beside this file, or, when this file runs from source under tsx, the `.ts` through tsx.
 */
export function nodeEntryCommand(entry: 'servers' | 'probe'): string[] {
	const here = import.meta.url;
	if (here.endsWith('.ts')) {
		return [process.execPath, '--import', import.meta.resolve('tsx'), fileURLToPath(new URL(`${entry}.ts`, here))];
	}

	return [process.execPath, fileURLToPath(new URL(`${entry}.js`, here))];
}

/** The environment for processes started in a lab: the caller's, minus what would change how Node runs. */
export function labProcessEnvironment(): NodeJS.ProcessEnv {
	const environment = {...process.env};
	for (const name of ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'NODE_CHANNEL_FD', 'NODE_UNIQUE_ID']) {
		delete environment[name];
	}

	return environment;
}
