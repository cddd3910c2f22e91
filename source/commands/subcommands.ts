import type {FlagName, Flags} from './flags.js';

export type CommandContext = {
	/** The arguments after the subcommand's name. */
	readonly input: readonly string[];
	readonly flags: Flags;
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WriteStream;
};

export type Subcommand = {
	readonly name: string;
	/** What follows the name in the help text. */
	readonly usage: string;
	readonly summary: string;
	readonly flags: readonly FlagName[];
	/** Resolves to the exit code. Imported on demand, so one command never loads another's dependencies. */
	readonly run: (context: CommandContext) => Promise<number>;
};

// One line per subcommand; the help text and flag checks come from this table.
export const subcommands: readonly Subcommand[] = [
	{name: 'lab', usage: 'up|down|status [--name N] [--subnet CIDR] [--json] [--all]', summary: 'a private network with the Linux kernel as the peer', flags: ['name', 'subnet', 'json', 'all'], run: async context => (await import('./lab.js')).runLab([...context.input], context.flags, context)},
	{name: 'read', usage: 'FILE.pcap --print [-S|--absolute] | --ladder [--flow N]', summary: 'print a capture as `tcpdump -n -r` does, or draw a conversation', flags: ['print', 'absolute', 'ladder', 'flow'], run: async context => (await import('./read.js')).read(context)},
];

export function findSubcommand(name: string): Subcommand | undefined {
	return subcommands.find(subcommand => subcommand.name === name);
}
