// Auto mode in the session on an in-memory link: a scripted peer's frames go in, ours are read back.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {createMemoryLinkPair} from '../../source/link/memory-link.js';
import {autoPolicies} from '../../source/session/auto-policies.js';
import {Session} from '../../source/session/session.js';
import {tcpFrame} from '../../source/wire/builders.js';
import {decodeFrame} from '../../source/wire/decode.js';
import {type TcpOption, type TcpRecord, tcpFlags} from '../../source/wire/records.js';
import {sleep} from '../helpers/session.js';

const ours = 0xc6_12_00_0a;
const theirs = 0xc6_12_00_02;
const ourMac = 0x02_00_00_00_00_0a;
const theirMac = 0x02_00_00_00_00_02;
const {SYN, ACK, RST, PSH} = tcpFlags;

function setup() {
	const [link, peer] = createMemoryLinkPair({name: 'a', mac: ourMac}, {name: 'b', mac: theirMac});
	const sent: TcpRecord[] = [];
	peer.onFrame(frame => {
		const tcp = decodeFrame(frame.bytes).tcp;
		if (tcp) sent.push(tcp);
	});
	const session = new Session({link, ip: ours, network: 0xc6_12_00_00, prefixLength: 24, probe: false});
	const deliver = (fields: {seq: number; ack?: number; flags: number; payload?: Uint8Array; options?: TcpOption[]; sourcePort?: number; destinationPort?: number}) => {
		peer.send(tcpFrame({sourceMac: theirMac, destinationMac: ourMac, source: theirs, destination: ours, sourcePort: 5555, destinationPort: 80, ...fields}));
	};

	return {session, sent, deliver};
}

const settle = () => sleep(5);

describe('auto mode in the session', () => {
	test('rstUnknown: silent by default, a RST as a real host answers when on', async t => {
		const {session, sent, deliver} = setup();
		t.after(() => session.close());
		deliver({seq: 100, flags: SYN, destinationPort: 81});
		await settle();
		assert.equal(sent.length, 0);
		session.setAuto({rstUnknown: true});
		deliver({seq: 100, flags: SYN, destinationPort: 81});
		await settle();
		assert.equal(sent.length, 1);
		assert.equal(sent[0]!.flags, RST | ACK);
		assert.equal(sent[0]!.ack, 101);
	});

	test('a listener in auto mode completes the handshake; dropped frames are logged as such and never reach the engine', async t => {
		const {session, sent, deliver} = setup();
		t.after(() => session.close());
		session.setAuto({...autoPolicies, ack: 'immediate'});
		const id = session.listen(80);
		deliver({seq: 1000, flags: SYN, options: [{kind: 'mss', value: 1460}]});
		await settle();
		const synAck = sent.at(-1)!;
		assert.equal(synAck.flags, SYN | ACK);
		deliver({seq: 1001, ack: synAck.seq + 1, flags: ACK});
		await settle();
		assert.equal(session.tcb(id).state, 'ESTABLISHED');
		session.dropIncoming(frame => (frame.tcp?.payload.length ?? 0) > 0);
		deliver({seq: 1001, ack: synAck.seq + 1, flags: ACK | PSH, payload: new Uint8Array([1, 2, 3])});
		await settle();
		const last = session.log.at(session.log.size - 1)!;
		assert.equal(last.direction, 'in');
		assert.deepEqual(last.annotations.map(a => a.text), ['dropped (fault)']);
		assert.equal(last.connection, id);
		assert.equal(session.tcb(id).rcvNxt, 1001, 'the engine never saw it');
		session.dropIncoming(undefined);
		deliver({seq: 1001, ack: synAck.seq + 1, flags: ACK | PSH, payload: new Uint8Array([1, 2, 3])});
		await settle();
		assert.equal(session.tcb(id).rcvNxt, 1004);
		assert.equal(sent.at(-1)!.ack, 1004, 'ACKed at once (policy immediate)');
	});

	test('serve echo on a listener: what arrives goes back with the ACK on it, and a new listener takes the port', async t => {
		const {session, sent, deliver} = setup();
		t.after(() => session.close());
		session.setAuto({handshake: true});
		const id = session.listen(80);
		session.serve(id, 'echo');
		deliver({seq: 1000, flags: SYN, options: [{kind: 'mss', value: 1460}]});
		await settle();
		const iss = sent.at(-1)!.seq;
		deliver({seq: 1001, ack: iss + 1, flags: ACK});
		await settle();
		const before = sent.length;
		deliver({seq: 1001, ack: iss + 1, flags: ACK | PSH, payload: new TextEncoder().encode('ping')});
		await settle();
		const echo = sent.slice(before);
		assert.equal(echo.length, 1);
		assert.equal(new TextDecoder().decode(echo[0]!.payload), 'ping', 'echoed, the ACK riding on the data');
		assert.equal(echo[0]!.ack, 1005);
		// A new listener took the port.
		assert.ok(session.getSnapshot().connections.some(c => c.local.port === 80 && c.tcb.state === 'LISTEN'));
		assert.equal(session.getSnapshot().connections.find(c => c.id === id)!.send.app, 'echo');
	});
});
