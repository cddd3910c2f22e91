import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {decodeFrame} from '../../source/wire/decode.js';
import {type TcpRecord, tcpFlags} from '../../source/wire/records.js';
import {Connection} from '../../source/engine/connection.js';
import {seqAdd} from '../../source/engine/seq.js';
import {kernelFrame} from '../wire/kernel-frames-fixture.js';
import {codes} from '../helpers/engine.js';

// Real Linux frames (test/fixtures/kernel-frames.txt): curl 198.18.1.1:49650 -> http.server :80.
function tcp(name: string): TcpRecord {
	const frame = decodeFrame(kernelFrame(name));
	assert.ok(frame.tcp, `${name} decodes to TCP`);
	assert.equal(frame.tcpChecksumOk, true);
	return frame.tcp;
}

const clientIss = 313_257_872;
const serverIss = 1_896_749_287;
const {ACK, RST} = tcpFlags;

describe('the engine against Linux frames', () => {
	it('as the client: the kernel\'s SYN-ACK completes our handshake with the options Linux negotiated', () => {
		const client = new Connection({localPort: 49_650, remotePort: 80, iss: clientIss, windowScale: 10, receiveBuffer: 65_000});
		const syn = client.sendSyn(0).segment;
		const kernelSyn = tcp('syn');
		assert.equal(syn.seq, kernelSyn.seq);
		assert.deepEqual(syn.options.map(o => o.kind), kernelSyn.options.map(o => o.kind), 'Linux\'s option order');
		const result = client.receive(1, tcp('syn-ack'));
		assert.equal(client.state, 'ESTABLISHED');
		const {options} = client.snapshot();
		assert.deepEqual(options.windowScale, {snd: 10, rcv: 10});
		assert.equal(options.sndMss, 1448);
		assert.equal(options.sackPermitted, true);
		// The third segment, next to the kernel's own.
		const ours = result.respond[0]!.segment;
		const kernels = tcp('ack');
		assert.equal(ours.seq, kernels.seq);
		assert.equal(ours.ack, kernels.ack);
		assert.equal(ours.flags, kernels.flags);
		assert.equal(ours.window, kernels.window);
		assert.equal(ours.headerLength, kernels.headerLength);
		const echo = (segment: TcpRecord) => segment.options.find(o => o.kind === 'timestamps');
		assert.deepEqual((echo(ours) as {echo: number}).echo, (echo(kernels) as {echo: number}).echo);
	});

	it('as the server: the kernel\'s SYN, ACK, request and FIN carry us to TIME-WAIT', () => {
		const server = new Connection({localPort: 80, iss: serverIss, windowScale: 10, receiveBuffer: 65_160});
		server.listen(0);
		const synResult = server.receive(0, tcp('syn'));
		assert.equal(server.state, 'SYN-RECEIVED');
		const ours = synResult.respond[0]!.segment;
		const kernels = tcp('syn-ack');
		for (const field of ['sourcePort', 'destinationPort', 'seq', 'ack', 'flags', 'window', 'headerLength'] as const) {
			assert.equal(ours[field], kernels[field], field);
		}

		assert.deepEqual(ours.options.filter(o => o.kind !== 'timestamps'), kernels.options.filter(o => o.kind !== 'timestamps'));
		server.sendReply(0, synResult.respond[0]!);
		assert.deepEqual(codes(server.receive(1, tcp('ack'))), ['acceptable']);
		assert.equal(server.state, 'ESTABLISHED');
		const request = server.receive(2, tcp('data-psh'));
		assert.match(new TextDecoder().decode(server.read()), /^GET \/hello\.txt HTTP\/1\.1\r\n/);
		assert.equal(request.respond[0]!.segment.ack, seqAdd(tcp('data-psh').seq, 83));
		// The kernel's server answered with 204 octets then FIN; we do the same, then take the client's FIN.
		server.sendData(3, new Uint8Array(204));
		server.sendFin(4);
		assert.equal(server.state, 'FIN-WAIT-1');
		const fin = server.receive(5, tcp('fin-client'));
		assert.equal(server.state, 'TIME-WAIT', JSON.stringify(fin.verdicts));
		assert.equal(fin.respond[0]!.segment.flags, ACK);
	});

	it('the kernel\'s RST from a closed port refuses our SYN', () => {
		const rst = tcp('rst-closed-port');
		assert.equal(rst.flags, RST | ACK);
		const client = new Connection({localPort: rst.destinationPort, remotePort: rst.sourcePort, iss: seqAdd(rst.ack, -1)});
		client.sendSyn(0);
		const result = client.receive(1, rst);
		assert.equal(client.state, 'CLOSED');
		assert.deepEqual(codes(result), ['reset']);
		assert.match(client.transitions.at(-1)!.why, /refused/);
	});

	it('the kernel\'s FIN to a closed connection draws the RST a host sends', () => {
		const closed = new Connection({localPort: 49_650});
		const result = closed.receive(0, tcp('fin-server'));
		assert.equal(result.respond[0]!.segment.flags, RST);
		assert.equal(result.respond[0]!.segment.seq, tcp('fin-server').ack);
	});
});
