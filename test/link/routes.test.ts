import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {defaultRouteInterface, onLinkFor, parseProcRoutes} from '../../source/link/routes.js';
import {parseIpv4} from '../../source/wire/addresses.js';

// As the kernel prints it for: default via 192.0.2.1 dev eth0; 192.0.2.0/24 dev eth0; 198.18.5.0/24 dev
// synack0 (metric 5); a down route (flags 0) that must be ignored.
const table = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
synack0\t000512C6\t00000000\t0001\t0\t0\t5\t00FFFFFF\t0\t0\t0
eth1\t00000000\t010A0A0A\t0002\t0\t0\t0\t00000000\t0\t0\t0
`;

test('parses /proc/net/route (little-endian hex) and skips routes that are not up', () => {
	const routes = parseProcRoutes(table);
	assert.deepEqual(routes, [
		{iface: 'eth0', destination: 0, prefixLength: 0, gateway: parseIpv4('192.0.2.1'), metric: 0},
		{iface: 'eth0', destination: parseIpv4('192.0.2.0'), prefixLength: 24, gateway: 0, metric: 0},
		{iface: 'synack0', destination: parseIpv4('198.18.5.0'), prefixLength: 24, gateway: 0, metric: 5},
	]);
});

test('the default route\'s interface', () => {
	assert.equal(defaultRouteInterface(parseProcRoutes(table)), 'eth0');
	assert.equal(defaultRouteInterface([]), undefined);
});

test('on-link subnet and gateway for an address on an interface', () => {
	const routes = parseProcRoutes(table);
	assert.deepEqual(onLinkFor('eth0', parseIpv4('192.0.2.77'), routes), {network: parseIpv4('192.0.2.0'), prefixLength: 24, gateway: parseIpv4('192.0.2.1')});
	assert.deepEqual(onLinkFor('synack0', parseIpv4('198.18.5.10'), routes), {network: parseIpv4('198.18.5.0'), prefixLength: 24});
	// No routes at all (the lab's end of the veth): everything is on-link.
	assert.deepEqual(onLinkFor('synack9', parseIpv4('198.18.0.10'), routes), {network: 0, prefixLength: 0});
});

test('this machine\'s table parses: one route per up line', () => {
	const text = readFileSync('/proc/net/route', 'utf8');
	const upLines = text.split('\n').slice(1).filter(line => line.trim() && (Number.parseInt(line.trim().split(/\s+/)[3]!, 16) & 1) === 1);
	const routes = parseProcRoutes(text);
	assert.equal(routes.length, upLines.length);
	for (const route of routes) {
		assert.ok(Number.isInteger(route.prefixLength) && route.prefixLength >= 0 && route.prefixLength <= 32);
		assert.ok(Number.isInteger(route.destination) && Number.isInteger(route.gateway));
	}
});
