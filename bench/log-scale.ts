// Log scale: a session that has seen 1,000,000 frames, through the real receive path (Session and
// Host over an in-memory link): a peer streams full-size data segments (1448 bytes) to a connection
// in auto mode that ACKs them, until the packet log has counted a million frames in and out. Reports
// the time that took and the resident memory after a GC, then the time to render the packet log pane
// (Ink, the newest frames, in colour, at 80x24 and 200x60; the median of 60 renders) with 100, 100,000 and
// 1,000,000 frames in the log: the pane reads only the rows it shows, so the three should match.
// Targets: RSS under 300 MB with 1,000,000 frames seen; a render under 16 ms. React's development
// build renders about twice as slowly as its production build: bin/synack.js runs the production one
// (NODE_ENV=production unless set), and so does `npm run bench`; run alone, the output says which.
// Run: npm run build && NODE_ENV=production node --expose-gc --import tsx bench/log-scale.ts [--frames N] [--json]
import {execFileSync} from 'node:child_process';
import {EventEmitter} from 'node:events';
import {register} from 'node:module';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import type {Link} from '../source/link/link.js';
import type {Session} from '../source/session/session.js';

// The program as users run it: the build in dist/ (npm run bench builds it first), not the sources
// through tsx, whose transformed modules alone take about 40 MiB of the process's memory. Types come
// from the sources; the path is computed so that the type checker does not look for dist's.
const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const built = (module: string) => import(new URL(`../dist/${module}.js`, import.meta.url).href);
// The hooks bin/synack.js registers before Ink loads: bounded caches and a faster output step.
register(new URL('../dist/ui/ink-cache-hooks.js', import.meta.url));
// Styled, as a terminal gets the pane: Ink's colour library is off when stdout is not a terminal
// (the bench's is piped), and drawing without the styles costs less.
process.env['FORCE_COLOR'] ??= '1';
const {createElement} = await import('react');
const {render} = await import('ink');
const {createMemoryLinkPair} = await built('link/memory-link') as typeof import('../source/link/memory-link.js');
const {autoPolicies} = await built('session/auto-policies') as typeof import('../source/session/auto-policies.js');
const {Session: SessionClass} = await built('session/session') as typeof import('../source/session/session.js');
const {LogPane} = await built('ui/log-pane') as typeof import('../source/ui/log-pane.js');
const {followingView} = await built('ui/log-view') as typeof import('../source/ui/log-view.js');
const {tcpFrame} = await built('wire/builders') as typeof import('../source/wire/builders.js');
const {tcpChecksum} = await built('wire/checksum') as typeof import('../source/wire/checksum.js');
const {decodeFrame} = await built('wire/decode') as typeof import('../source/wire/decode.js');
const {tcpFlags} = await built('wire/records') as typeof import('../source/wire/records.js');

const {values} = parseArgs({options: {frames: {type: 'string', default: '1000000'}, json: {type: 'boolean', default: false}}});
const target = Number(values.frames);

const ours = 0xc6_12_00_0a;
const theirs = 0xc6_12_00_02;
const ourMac = 0x02_00_00_00_00_0a;
const theirMac = 0x02_00_00_00_00_02;
const mss = 1448;
const tcpOffset = 14 + 20;

const gc = (globalThis as {gc?: () => void}).gc;
function residentMiB(): number {
	gc?.();
	gc?.();
	return process.memoryUsage().rss / (1 << 20);
}

const turn = () => new Promise(resolve => setImmediate(resolve));

/** A session in auto mode with a connection from the peer in ESTABLISHED, and the peer's end of the link. */
async function established(): Promise<{session: Session; peer: Link; irs: number; iss: number}> {
	const [link, peer] = createMemoryLinkPair({name: 'a', mac: ourMac}, {name: 'b', mac: theirMac});
	const session = new SessionClass({link, ip: ours, network: 0xc6_12_00_00, prefixLength: 24, probe: false, connection: {receiveBuffer: 4 << 20}});
	session.setAuto(autoPolicies);
	const id = session.listen(80);
	session.serve(id, 'discard');
	let synAck: number | undefined;
	const off = peer.onFrame(frame => {
		const tcp = decodeFrame(frame.bytes).tcp;
		if (tcp && tcp.flags === (tcpFlags.SYN | tcpFlags.ACK)) synAck = tcp.seq;
	});
	const base = {sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort: 40_000, destinationPort: 80};
	peer.send(tcpFrame({...base, seq: 1000, flags: tcpFlags.SYN, options: [{kind: 'mss', value: mss}]}));
	for (let i = 0; i < 100 && synAck === undefined; i++) await turn();
	off();
	if (synAck === undefined) throw new Error('no SYN-ACK from the session');
	peer.send(tcpFrame({...base, seq: 1001, ack: (synAck + 1) >>> 0, flags: tcpFlags.ACK}));
	await turn();
	return {session, peer, irs: 1000, iss: synAck};
}

/** Streams in-order data segments until the log has counted `frames` frames; returns the seconds taken. */
async function fill(frames: number): Promise<{session: Session; seconds: number; inOrder: boolean; irs: number; iss: number}> {
	const {session, peer, irs, iss} = await established();
	const template = tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort: 40_000, destinationPort: 80, seq: 0, ack: (iss + 1) >>> 0, flags: tcpFlags.ACK, window: 502, payload: new Uint8Array(mss).fill(0x61)});
	const view = new DataView(template.buffer, template.byteOffset, template.byteLength);
	let seq = irs + 1;
	const start = performance.now();
	while (session.log.count < frames) {
		// A burst, then a turn of the event loop (delayed-ACK timers run, as between reads of a link).
		for (let i = 0; i < 64 && session.log.count < frames; i++) {
			view.setUint32(tcpOffset + 4, seq >>> 0);
			view.setUint16(tcpOffset + 16, 0);
			view.setUint16(tcpOffset + 16, tcpChecksum(template, tcpOffset, template.length - tcpOffset, theirs, ours));
			peer.send(template);
			seq += mss;
			// The memory link delivers in a microtask: let this frame in before counting again.
			await Promise.resolve();
		}

		await turn();
	}

	const seconds = (performance.now() - start) / 1000;
	const connection = session.getSnapshot().connections.find(view => view.tcb.state === 'ESTABLISHED');
	const inOrder = connection !== undefined && connection.tcb.rcvNxt === (seq >>> 0);
	peer.close();
	return {session, seconds, inOrder, irs, iss};
}

/** Ink's stdout, `columns` wide, keeping only the newest frame (debug mode writes every frame whole). */
class Screen extends EventEmitter {
	last = '';
	constructor(readonly columns: number, readonly rows: number) {
		super();
	}

	write = (frame: string) => {
		this.last = frame;
		return true;
	};
}

/**
 * Following, the log's newest rows (as a live log and the renders above it share most rows), or
 * `paging`: a page further back each render, every row new (the worst case: nothing cached).
 */
function renderMs(session: Session, filled: {irs: number; iss: number}, columns: number, rows: number, renders: number, paging = false): number {
	const relativeTo = {local: {ip: ours, port: 80}, remote: {ip: theirs, port: 40_000}, iss: filled.iss, irs: filled.irs};
	let page = 0;
	const view = () => {
		if (!paging) return followingView;
		const selected = Math.max(1, session.log.count - (++page * rows));
		return {follow: false, selected, top: selected};
	};

	const tree = (height: number) => createElement(LogPane, {log: session.log, view: view(), relativeTo, width: columns, height});
	const stdout = new Screen(columns, rows);
	const stdin = Object.assign(new EventEmitter(), {isTTY: false, setEncoding() {}, setRawMode() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null});
	const instance = render(tree(rows), {stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false});
	for (let i = 0; i < 20; i++) instance.rerender(tree(rows - (i % 2)));
	// No collection left over from filling the log runs during the timing.
	gc?.();
	const times: number[] = [];
	// Alternate heights so that every render lays out and writes a new frame. The median: the two
	// cores are shared, and a neighbour's burst or a GC should not pass for the pane's cost.
	for (let i = 0; i < renders; i++) {
		const start = performance.now();
		instance.rerender(tree(rows - (i % 2)));
		times.push(performance.now() - start);
	}

	instance.unmount();
	if (!stdout.last.includes('Packet log')) throw new Error('the log pane did not render');
	return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const sizes = [[80, 24], [200, 60]] as const;
const renders = 60;

/**
 * What tsx (which runs this script) adds to a process's memory, measured in the same run: the same
 * modules loaded in two children, with and without it. bin/synack.js runs without tsx, so its RSS is
 * this script's less that. The figure is written as a string: with FORCE_COLOR (set above, and
 * inherited) console.log colours a number.
 */
function tsxOverheadMiB(): number {
	const probe = `for (const m of ['ink', 'react', './dist/session/session.js', './dist/ui/log-pane.js']) await import(m.startsWith('.') ? new URL(m, 'file://${root}/').href : m); globalThis.gc(); globalThis.gc(); process.stdout.write(String(process.memoryUsage().rss / 1048576));`;
	const rss = (flags: readonly string[]) => Number(execFileSync(process.execPath, ['--expose-gc', ...flags, '--input-type=module', '-e', probe], {cwd: root, encoding: 'utf8', timeout: 60_000}).trim());
	return Math.max(0, rss(['--import', 'tsx']) - rss([]));
}

const tsxMiB = tsxOverheadMiB();
const baseline = residentMiB();
const big = await fill(target);
const rss = residentMiB();
const frames = big.session.log.count;
const renderBig = sizes.map(([columns, rows]) => renderMs(big.session, big, columns, rows, renders));
const pagingBig = sizes.map(([columns, rows]) => renderMs(big.session, big, columns, rows, renders, true));
big.session.close();

const renderSmall: number[][] = [];
for (const count of [100, 100_000]) {
	const small = await fill(count);
	renderSmall.push(sizes.map(([columns, rows]) => renderMs(small.session, small, columns, rows, renders)));
	small.session.close();
}

const render100 = renderSmall[0]!;
const render100k = renderSmall[1]!;
const result = {
	frames,
	held: big.session.log.size,
	inOrder: big.inOrder,
	fillSeconds: big.seconds,
	framesPerSecond: frames / big.seconds,
	rssMiB: rss,
	baselineRssMiB: baseline,
	tsxMiB,
	productionRssMiB: rss - tsxMiB,
	gc: gc !== undefined,
	renderMs: Object.fromEntries(sizes.map(([columns, rows], index) => [`${columns}x${rows}`, {100: render100[index], 100_000: render100k[index], [frames]: renderBig[index]}])),
	pagingMs: Object.fromEntries(sizes.map(([columns, rows], index) => [`${columns}x${rows}`, pagingBig[index]])),
	worstRenderMs: Math.max(...render100, ...render100k, ...renderBig),
	react: process.env['NODE_ENV'] === 'production' ? 'production' : 'development',
};

if (values.json) {
	console.log(JSON.stringify(result));
} else {
	console.log(`${frames.toLocaleString('en-US')} frames seen (${result.held.toLocaleString('en-US')} held) in ${big.seconds.toFixed(1)} s: ${Math.round(result.framesPerSecond).toLocaleString('en-US')} frames/s${big.inOrder ? '' : ' (NOT all data in order: check the log)'}`);
	console.log(`RSS ${rss.toFixed(0)} MiB after ${gc ? 'GC' : 'no GC (run with --expose-gc)'}; ${baseline.toFixed(0)} MiB before the session; without tsx, as bin/synack.js runs, ${result.productionRssMiB.toFixed(0)} MiB (tsx adds ${tsxMiB.toFixed(0)}) (target: under 300 MB)`);
	for (const [index, [columns, rows]] of sizes.entries()) {
		console.log(`log pane ${columns}x${rows}: ${render100[index]!.toFixed(2)} ms with 100 frames, ${render100k[index]!.toFixed(2)} ms with 100,000, ${renderBig[index]!.toFixed(2)} ms with ${frames.toLocaleString('en-US')} (React ${result.react} build; target: under 16 ms); paging back, every row new, ${pagingBig[index]!.toFixed(2)} ms`);
	}
}
