import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {fieldLines, frameFields} from '../../source/ui/frame-fields.js';
import {parseIpv4, parseMac} from '../../source/wire/addresses.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {encodeFrame} from '../../source/wire/encode.js';
import {ipProtocols} from '../../source/wire/records.js';
import {kernelFrame} from '../wire/kernel-frames-fixture.js';

const lines = (bytes: Uint8Array, annotations: Parameters<typeof frameFields>[1] = []) => fieldLines(frameFields(decodeFrame(bytes), annotations));

describe('frame fields: the detail view of one frame', () => {
	test('a SYN-ACK from the Linux kernel, every field as tcpdump -v reads the same bytes (test/fixtures/kernel-frames.txt)', () => {
		assert.deepEqual(lines(kernelFrame('syn-ack')), [
			'Ethernet II: 74 bytes',
			'  destination: 7a:82:51:1e:de:9a',
			'  source: 4a:0d:e8:95:8a:05',
			'  type: 0x0800 (IPV4)',
			'IPv4: 198.18.1.2 > 198.18.1.1',
			'  header length: 20 bytes',
			'  DSCP / ECN: 0 / 0',
			'  total length: 60',
			'  identification: 0x0000',
			'  flags: DF, fragment offset 0',
			'  TTL: 64',
			'  protocol: 6',
			'  checksum: 0xac94 (correct)',
			'TCP: 80 > 49650',
			'  ports: 80 > 49650',
			'  seq: 1896749287',
			'  ack: 313257873',
			'  header length: 40 bytes',
			'  flags: 0x012 SYN ACK',
			'  window: 65160',
			'  checksum: 0x00c4 (correct)',
			'  urgent pointer: 0',
			'  options',
			'    mss 1460',
			'    sackOK',
			'    TS val 2324263110 ecr 2152919136',
			'    nop',
			'    wscale 10 (x1024)',
			'  payload: 0 bytes',
		]);
	});

	test('a checksum that does not verify is marked WRONG; the layer that is intact stays correct', () => {
		const bytes = kernelFrame('data-psh').slice();
		bytes[bytes.length - 1]! ^= 0xff;
		const shown = lines(bytes);
		assert.ok(shown.includes('  checksum: 0x42a8 (WRONG)'), shown.join('\n'));
		assert.equal(shown.filter(line => line.endsWith('(correct)')).length, 1, 'the IPv4 header checksum');
		assert.ok(shown.includes('  payload: 83 bytes'));
	});

	test('an ARP request: operation, sender and target', () => {
		assert.deepEqual(lines(kernelFrame('arp-request')).slice(4), [
			'ARP: request',
			'  hardware: type 1, length 6',
			'  protocol: type 0x0800, length 4',
			'  sender: 7a:82:51:1e:de:9a 198.18.1.1',
			'  target: 00:00:00:00:00:00 198.18.1.2',
		]);
	});

	test('a frame cut short says so, with the decoder\'s layer, field and reason, after what could be read', () => {
		const shown = lines(kernelFrame('syn').subarray(0, 14 + 20 + 10));
		assert.deepEqual(shown.slice(-2), [
			'Truncated: the capture holds fewer bytes than the IPv4 total length',
			'Malformed: tcp header: truncated: 10 of 20 bytes',
		]);
		assert.ok(shown.includes('IPv4: 198.18.1.1 > 198.18.1.2'));
		assert.ok(!shown.some(line => line.startsWith('TCP')));
	});

	test('annotations come first, as Notes: a verdict under its severity with its RFC, a fault under "fault"', () => {
		const shown = lines(kernelFrame('rst-closed-port'), [
			{code: 'reset', text: 'connection reset', severity: 'error', rfc: 'RFC 9293 §3.10.7.4'},
			{code: 'fault', text: 'sent twice (fault)', severity: 'warn'},
		]);
		assert.deepEqual(shown.slice(0, 3), ['Notes', '  error: connection reset (RFC 9293 §3.10.7.4)', '  fault: sent twice (fault)']);
		assert.equal(shown[3], 'Ethernet II: 54 bytes');
		assert.ok(!lines(kernelFrame('rst-closed-port')).includes('Notes'), 'no annotations, no Notes');
	});

	test('an 802.1Q tag, the IPv4 flags (the reserved bit is RFC 3514\'s evil bit) and a fragment offset in octets', () => {
		const bytes = encodeFrame({
			ethernet: {destination: parseMac('02:00:00:00:00:02'), source: parseMac('02:00:00:00:00:0a'), tags: [{tpid: 0x8100, id: 42, priority: 5, dropEligible: true}]},
			ipv4: {source: parseIpv4('198.18.0.10'), destination: parseIpv4('198.18.0.2'), protocol: ipProtocols.tcp, reservedFlag: true, dontFragment: false, moreFragments: true, fragmentOffset: 185, dscp: 46, ecn: 1},
			payload: new Uint8Array(8),
		});
		const shown = lines(bytes);
		assert.ok(shown.includes('  VLAN (802.1Q): id 42, priority 5, DEI'), shown.join('\n'));
		assert.ok(shown.includes('  flags: evil MF, fragment offset 1480'), shown.join('\n'));
		assert.ok(shown.includes('  DSCP / ECN: 46 / 1'));
	});
});
