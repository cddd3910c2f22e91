import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {decodeFrame} from '../../source/wire/decode.js';
import {type MptcpOption, parseMptcpOption} from '../../source/wire/mptcp.js';
import {readPcap} from '../helpers/read-pcap.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** The option's bytes after kind and length, from hex. */
const data = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replaceAll(' ', ''), 'hex'));

function parsed(hex: string): MptcpOption {
	const result = parseMptcpOption(data(hex));
	assert.ok(result.ok, result.ok ? '' : result.reason);
	return result.option;
}

function refused(hex: string): string {
	const result = parseMptcpOption(data(hex));
	assert.ok(!result.ok, `accepted ${hex}`);
	return result.reason;
}

describe('MPTCP options (RFC 8684 §3)', () => {
	it('MP_CAPABLE: the v1 SYN, the keys, the data-level length and checksum, v0 flags', () => {
		assert.deepEqual(parsed('01 01'), {subtype: 'MP_CAPABLE', version: 1, checksumRequired: false, extensibility: false, noMoreSubflows: false, hmacSha256: true});
		const ack = parsed('01 81 1fdb5df328bc3def 00a6c86981ad933c 0005 beef');
		assert.deepEqual(ack, {
			subtype: 'MP_CAPABLE', version: 1, checksumRequired: true, extensibility: false, noMoreSubflows: false, hmacSha256: true,
			senderKey: 0x1f_db_5d_f3_28_bc_3d_efn, receiverKey: 0xa6_c8_69_81_ad_93_3cn, dataLevelLength: 5, checksum: 0xbe_ef,
		});
		const v0 = parsed('00 a0 9c9eabd1e46a33b2');
		assert.ok(v0.subtype === 'MP_CAPABLE' && v0.version === 0 && v0.checksumRequired && v0.noMoreSubflows && !v0.hmacSha256);
		assert.equal(v0.senderKey, 0x9c_9e_ab_d1_e4_6a_33_b2n);
		assert.match(refused('01 01 0000'), /MP_CAPABLE length 6/);
	});

	it('MP_JOIN: SYN, SYN/ACK and ACK told apart by length', () => {
		assert.deepEqual(parsed('11 03 c0ffee01 12345678'), {subtype: 'MP_JOIN', form: 'SYN', backup: true, addressId: 3, token: 0xc0_ff_ee_01, nonce: 0x12_34_56_78});
		assert.deepEqual(parsed('10 07 0123456789abcdef 00009abc'), {subtype: 'MP_JOIN', form: 'SYN/ACK', backup: false, addressId: 7, hmac: 0x01_23_45_67_89_ab_cd_efn, nonce: 0x9a_bc});
		const ack = parsed(`10 00 ${'ab'.repeat(20)}`);
		assert.ok(ack.subtype === 'MP_JOIN' && ack.form === 'ACK');
		assert.equal(Buffer.from(ack.hmac).toString('hex'), 'ab'.repeat(20));
		refused('10 00 00000001');
	});

	it('DSS: 4- and 8-octet data ACKs and sequence numbers, checksum only when its octets are there', () => {
		assert.deepEqual(parsed('20 01 d0bd7aef'), {subtype: 'DSS', dataFin: false, dataAck: 3_502_078_703n, dataAckOctets: 4});
		assert.deepEqual(parsed('20 15 00000001 00000002 00000000 0001 ffff'), {
			subtype: 'DSS', dataFin: true, dataAck: 1n, dataAckOctets: 4, dataSequence: 2n, dataSequenceOctets: 4, subflowSequence: 0, dataLevelLength: 1, checksum: 0xff_ff,
		});
		assert.deepEqual(parsed('20 0f ffffffffffffffff 0000010000000007 00000006 0005'), {
			subtype: 'DSS', dataFin: false, dataAck: 2n ** 64n - 1n, dataAckOctets: 8, dataSequence: 2n ** 40n + 7n, dataSequenceOctets: 8, subflowSequence: 6, dataLevelLength: 5,
		});
		assert.deepEqual(parsed('20 10'), {subtype: 'DSS', dataFin: true});
		assert.match(refused('20 03 00000001'), /inside its 8-octet data ACK/);
		assert.match(refused('20 04 00000001 00000002'), /inside its mapping/);
		assert.match(refused('20 01 00000001 00'), /DSS length 9 leaves 1 octet its/);
		refused('20');
	});

	it('ADD_ADDR: v1 with echo, port and HMAC; v0 by IP version', () => {
		assert.deepEqual(parsed('30 01 0a000201 f8295862f645df19'), {subtype: 'ADD_ADDR', version: 1, echo: false, addressId: 1, address: '10.0.2.1', hmac: 0xf8_29_58_62_f6_45_df_19n});
		assert.deepEqual(parsed('31 02 0a000202 20fb'), {subtype: 'ADD_ADDR', version: 1, echo: true, addressId: 2, address: '10.0.2.2', port: 8443});
		assert.deepEqual(parsed('30 04 20010db8000000000000000000000042 01bb 1122334455667788'), {
			subtype: 'ADD_ADDR', version: 1, echo: false, addressId: 4, address: '2001:db8::42', port: 443, hmac: 0x11_22_33_44_55_66_77_88n,
		});
		assert.deepEqual(parsed('34 01 0a010202'), {subtype: 'ADD_ADDR', version: 0, echo: false, addressId: 1, address: '10.1.2.2'});
		assert.match(refused('32 01 0a000201'), /neither v1's echo flag nor a v0 IP version/);
		refused('36 01 0a010202');
		refused('30 01 0a000201 00000000');
	});

	it('REMOVE_ADDR, MP_PRIO, MP_FAIL, MP_FASTCLOSE, MP_TCPRST, and subtypes nobody defined', () => {
		assert.deepEqual(parsed('40 01 02 fa'), {subtype: 'REMOVE_ADDR', addressIds: [1, 2, 250]});
		refused('40');
		assert.deepEqual(parsed('51'), {subtype: 'MP_PRIO', backup: true});
		assert.deepEqual(parsed('50 04'), {subtype: 'MP_PRIO', backup: false, addressId: 4});
		assert.deepEqual(parsed('60 00 ffffffffffffffff'), {subtype: 'MP_FAIL', dataSequence: 2n ** 64n - 1n});
		assert.deepEqual(parsed('70 00 9b59be3d695e66a7'), {subtype: 'MP_FASTCLOSE', receiverKey: 0x9b_59_be_3d_69_5e_66_a7n});
		assert.deepEqual(parsed('81 02'), {subtype: 'MP_TCPRST', transient: true, flags: 1, reason: 2});
		const unknown = parsed('90 01 02');
		assert.ok(unknown.subtype === 'unknown' && unknown.code === 9);
		assert.equal(parsed('ff').subtype, 'MP_EXPERIMENTAL');
		assert.match(refused(''), /no room for a subtype/);
	});

	it('a real Linux MPTCP connection: every option decodes, and it holds the handshake, an address and a join', () => {
		const seen = new Set<string>();
		for (const frame of readPcap(path.join(fixtures, 'mptcp-kernel.pcap'))) {
			for (const option of decodeFrame(frame.bytes).tcp?.options ?? []) {
				if (option.kind === 'unknown' && option.type === 30) {
					const result = parseMptcpOption(option.data);
					assert.ok(result.ok, result.ok ? '' : result.reason);
					seen.add(result.option.subtype === 'MP_JOIN' ? `MP_JOIN ${result.option.form}` : result.option.subtype);
				}
			}
		}

		assert.deepEqual([...seen].sort(), ['ADD_ADDR', 'DSS', 'MP_CAPABLE', 'MP_JOIN ACK', 'MP_JOIN SYN', 'MP_JOIN SYN/ACK']);
	});
});
