import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatIpv4, formatMac, parseIpv4, parseMac} from '../../source/wire/addresses.js';
import {arpKind} from '../../source/wire/arp.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {encodeFrame, exactOverrides, frameSpecOf} from '../../source/wire/encode.js';
import {tcpFlags, type TcpOption} from '../../source/wire/records.js';
import {kernelFrame, kernelFrames} from './kernel-frames-fixture.js';

const client = parseIpv4('198.18.1.1');
const server = parseIpv4('198.18.1.2');
const clientMac = parseMac('7a:82:51:1e:de:9a');
const serverMac = parseMac('4a:0d:e8:95:8a:05');
const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

// Expected values below are read from the tcpdump -nn -e -v lines kept beside each frame in the fixture.
describe('real frames from the Linux kernel', () => {
	it('holds the frames the tests name', () => {
		assert.deepEqual([...kernelFrames().keys()].sort(), [
			'ack', 'arp-reply', 'arp-request', 'data-psh', 'fin-client', 'fin-server', 'ipv6-mld', 'rst-closed-port', 'syn', 'syn-ack', 'syn-vlan7',
		]);
	});

	for (const [name, bytes] of kernelFrames()) {
		it(`${name}: decodes cleanly and encodes back to the same bytes, with lengths and checksums computed`, () => {
			const frame = decodeFrame(bytes);
			assert.equal(frame.error, undefined);
			assert.equal(frame.truncated, undefined);
			assert.equal(frame.length, bytes.length);
			const spec = frameSpecOf(frame);
			assert.ok(spec);
			// No overrides: the encoder computes every length and checksum itself.
			assert.deepEqual(encodeFrame(spec, {pad: false}), bytes);
			assert.deepEqual(encodeFrame(spec, exactOverrides(frame)), bytes);
		});
	}

	it('ARP request: who-has 198.18.1.2 tell 198.18.1.1, broadcast', () => {
		const frame = decodeFrame(kernelFrame('arp-request'));
		assert.equal(formatMac(frame.ethernet!.destination), 'ff:ff:ff:ff:ff:ff');
		assert.equal(frame.ethernet!.source, clientMac);
		assert.equal(frame.ethernet!.etherType, 0x08_06);
		assert.deepEqual(frame.arp, {
			hardwareType: 1, protocolType: 0x08_00, hardwareLength: 6, protocolLength: 4, operation: 1,
			senderMac: clientMac, senderIp: client, targetMac: 0, targetIp: server,
		});
		assert.equal(arpKind(frame.arp!), 'request');
		assert.equal(frame.payload?.length, 0);
	});

	it('ARP reply: 198.18.1.2 is-at 4a:0d:e8:95:8a:05', () => {
		const {arp, ethernet} = decodeFrame(kernelFrame('arp-reply'));
		assert.equal(ethernet!.destination, clientMac);
		assert.equal(arp!.operation, 2);
		assert.equal(formatMac(arp!.senderMac), '4a:0d:e8:95:8a:05');
		assert.equal(formatIpv4(arp!.senderIp), '198.18.1.2');
		assert.equal(arp!.targetMac, clientMac);
		assert.equal(arp!.targetIp, client);
		assert.equal(arpKind(arp!), 'reply');
	});

	it('SYN: IPv4 header and every option as tcpdump -v shows them', () => {
		const frame = decodeFrame(kernelFrame('syn'));
		assert.equal(frame.length, 74);
		assert.equal(frame.ethernet!.source, clientMac);
		assert.equal(frame.ethernet!.destination, serverMac);
		const {ipv4, tcp} = frame;
		assert.equal(ipv4!.dscp, 0);
		assert.equal(ipv4!.ttl, 64);
		assert.equal(ipv4!.identification, 28_863);
		assert.equal(ipv4!.fragmentOffset, 0);
		assert.equal(ipv4!.dontFragment, true);
		assert.equal(ipv4!.moreFragments, false);
		assert.equal(ipv4!.protocol, 6);
		assert.equal(ipv4!.totalLength, 60);
		assert.equal(ipv4!.headerLength, 20);
		assert.equal(ipv4!.source, client);
		assert.equal(ipv4!.destination, server);
		assert.equal(frame.ipv4ChecksumOk, true);
		assert.equal(tcp!.sourcePort, 49_650);
		assert.equal(tcp!.destinationPort, 80);
		assert.equal(tcp!.flags, tcpFlags.SYN);
		assert.equal(tcp!.checksum, 0x89_b2);
		assert.equal(frame.tcpChecksumOk, true);
		assert.equal(tcp!.seq, 313_257_872);
		assert.equal(tcp!.window, 64_240);
		const options: TcpOption[] = [
			{kind: 'mss', value: 1460},
			{kind: 'sackOK'},
			{kind: 'timestamps', value: 2_152_919_136, echo: 0},
			{kind: 'nop'},
			{kind: 'wscale', shift: 10},
		];
		assert.deepEqual(tcp!.options, options);
		assert.equal(tcp!.payload.length, 0);
	});

	it('SYN-ACK: ack and timestamps echo', () => {
		const {ipv4, tcp, tcpChecksumOk} = decodeFrame(kernelFrame('syn-ack'));
		assert.equal(ipv4!.identification, 0);
		assert.equal(tcp!.flags, tcpFlags.SYN | tcpFlags.ACK);
		assert.equal(tcp!.seq, 1_896_749_287);
		assert.equal(tcp!.ack, 313_257_873);
		assert.equal(tcp!.window, 65_160);
		assert.equal(tcp!.checksum, 0x00_c4);
		assert.equal(tcpChecksumOk, true);
		assert.deepEqual(tcp!.options[2], {kind: 'timestamps', value: 2_324_263_110, echo: 2_152_919_136});
	});

	it('ACK: nop,nop,TS and a 32-byte header', () => {
		const {tcp} = decodeFrame(kernelFrame('ack'));
		assert.equal(tcp!.flags, tcpFlags.ACK);
		assert.equal(tcp!.headerLength, 32);
		assert.equal(tcp!.window, 63);
		// Relative ack 1 in tcpdump: the SYN-ACK's seq + 1.
		assert.equal(tcp!.ack, 1_896_749_288);
		assert.deepEqual(tcp!.options, [{kind: 'nop'}, {kind: 'nop'}, {kind: 'timestamps', value: 2_152_919_136, echo: 2_324_263_110}]);
	});

	it('data with PSH: 83 bytes of HTTP request as payload', () => {
		const frame = decodeFrame(kernelFrame('data-psh'));
		assert.equal(frame.ipv4!.totalLength, 135);
		assert.equal(frame.tcp!.flags, tcpFlags.PSH | tcpFlags.ACK);
		assert.equal(frame.tcp!.checksum, 0x42_a8);
		assert.equal(frame.tcpChecksumOk, true);
		assert.equal(frame.tcp!.payload.length, 83);
		assert.equal(frame.payload, frame.tcp!.payload);
		assert.match(text(frame.payload), /^GET \/hello\.txt HTTP\/1\.1\r\nHost: 198\.18\.1\.2\r\n/);
	});

	it('FIN from each side', () => {
		const serverFin = decodeFrame(kernelFrame('fin-server'));
		assert.equal(serverFin.tcp!.flags, tcpFlags.FIN | tcpFlags.ACK);
		assert.equal(serverFin.ipv4!.identification, 51_652);
		assert.equal(serverFin.tcp!.checksum, 0x2c_ac);
		const clientFin = decodeFrame(kernelFrame('fin-client'));
		assert.equal(clientFin.tcp!.flags, tcpFlags.FIN | tcpFlags.ACK);
		assert.equal(clientFin.tcp!.sourcePort, 49_650);
		assert.equal(clientFin.tcpChecksumOk, true);
	});

	it('RST to a closed port: seq 0, window 0, no options', () => {
		const frame = decodeFrame(kernelFrame('rst-closed-port'));
		assert.equal(frame.length, 54);
		assert.equal(frame.tcp!.flags, tcpFlags.RST | tcpFlags.ACK);
		assert.equal(frame.tcp!.sourcePort, 81);
		assert.equal(frame.tcp!.destinationPort, 34_754);
		assert.equal(frame.tcp!.seq, 0);
		assert.equal(frame.tcp!.ack, 4_180_595_878);
		assert.equal(frame.tcp!.window, 0);
		assert.equal(frame.tcp!.headerLength, 20);
		assert.deepEqual(frame.tcp!.options, []);
		assert.equal(frame.tcp!.checksum, 0xcb_bf);
		assert.equal(frame.tcpChecksumOk, true);
	});

	it('802.1Q: vlan 7, p 5, then the same SYN', () => {
		const tagged = decodeFrame(kernelFrame('syn-vlan7'));
		assert.deepEqual(tagged.ethernet!.tags, [{tpid: 0x81_00, priority: 5, dropEligible: false, id: 7}]);
		assert.equal(tagged.ethernet!.etherType, 0x08_00);
		const plain = decodeFrame(kernelFrame('syn'));
		assert.deepEqual(tagged.tcp, plain.tcp);
		assert.deepEqual(tagged.ipv4, plain.ipv4);
	});

	it('IPv6 (not decoded further): Ethernet record and payload, no error', () => {
		const frame = decodeFrame(kernelFrame('ipv6-mld'));
		assert.equal(frame.ethernet!.etherType, 0x86_dd);
		assert.equal(frame.payload!.length, 90 - 14);
		assert.equal(frame.ipv4, undefined);
		assert.equal(frame.error, undefined);
	});
});
