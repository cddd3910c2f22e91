import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Neighbours, NoRouteError, onSubnet} from '../../source/iface/neighbours.js';
import {arpOperations, type ArpRecord} from '../../source/wire/records.js';

const ourMac = 0x02_00_00_00_00_10;
const peerMac = 0x02_00_00_00_00_02;
const gatewayMac = 0x02_00_00_00_00_01;
const ip = (text: string) => text.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const config = {mac: ourMac, ip: ip('198.18.0.10'), network: ip('198.18.0.0'), prefixLength: 24};

function reply(from: number, mac: number): ArpRecord {
	return {hardwareType: 1, protocolType: 0x08_00, hardwareLength: 6, protocolLength: 4, operation: arpOperations.reply, senderMac: mac, senderIp: from, targetMac: ourMac, targetIp: config.ip};
}

describe('neighbour resolution', () => {
	test('asks who-has, then learns the reply', () => {
		const n = new Neighbours(config);
		const {resolution, send} = n.resolve(0, ip('198.18.0.2'));
		assert.equal(resolution.state, 'pending');
		assert.equal(send.length, 1);
		assert.deepEqual([send[0]!.arp.operation, send[0]!.arp.senderIp, send[0]!.arp.targetIp], [arpOperations.request, config.ip, ip('198.18.0.2')]);
		n.receive(3, reply(ip('198.18.0.2'), peerMac));
		assert.deepEqual(n.lookup(4, ip('198.18.0.2')), {state: 'resolved', ip: ip('198.18.0.2'), mac: peerMac});
		assert.equal(n.pollAt(), undefined);
		assert.deepEqual(n.resolve(5, ip('198.18.0.2')).send, [], 'cached: no new request');
	});

	test('retries, then fails with a clear error', () => {
		const n = new Neighbours(config);
		const target = ip('198.18.0.99');
		let requests = n.resolve(0, target).send.length;
		for (let at = n.pollAt(); at !== undefined; at = n.pollAt()) requests += n.poll(at).length;
		assert.equal(requests, 3);
		assert.deepEqual(n.lookup(3000, target), {state: 'failed', ip: target, error: 'no ARP reply from 198.18.0.99 after 3 tries'});
		assert.equal(n.resolve(4000, target).send.length, 1, 'a new resolve starts over');
	});

	test('entries expire', () => {
		const n = new Neighbours({...config, lifetime: 1000});
		n.resolve(0, ip('198.18.0.2'));
		n.receive(1, reply(ip('198.18.0.2'), peerMac));
		assert.equal(n.lookup(500, ip('198.18.0.2')).state, 'resolved');
		assert.equal(n.lookup(1001, ip('198.18.0.2')).state, 'failed');
		assert.equal(n.resolve(1001, ip('198.18.0.2')).send.length, 1);
	});

	test('off-subnet destinations resolve the gateway', () => {
		const n = new Neighbours({...config, gateway: ip('198.18.0.1')});
		const {send} = n.resolve(0, ip('198.19.5.5'));
		assert.equal(send[0]!.arp.targetIp, ip('198.18.0.1'));
		n.receive(1, reply(ip('198.18.0.1'), gatewayMac));
		assert.deepEqual(n.lookup(2, ip('198.19.5.5')), {state: 'resolved', ip: ip('198.19.5.5'), mac: gatewayMac, via: ip('198.18.0.1')});
		assert.throws(() => new Neighbours(config).resolve(0, ip('198.19.5.5')), NoRouteError);
	});

	test('does not learn senders it never asked about', () => {
		const n = new Neighbours(config);
		n.receive(0, reply(ip('198.18.0.7'), peerMac));
		assert.equal(n.lookup(1, ip('198.18.0.7')).state, 'failed');
	});

	test('subnet arithmetic', () => {
		assert.equal(onSubnet(ip('198.18.0.200'), ip('198.18.0.0'), 24), true);
		assert.equal(onSubnet(ip('198.18.1.1'), ip('198.18.0.0'), 24), false);
		assert.equal(onSubnet(ip('198.19.1.1'), ip('198.18.0.0'), 15), true);
		assert.equal(onSubnet(ip('10.0.0.1'), ip('198.18.0.0'), 0), true);
	});
});
