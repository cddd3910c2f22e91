/** `0000  47 45 54 20 ...  GET ...`: offset, 16 bytes in hex, then the printable ones. */
export function hexDump(bytes: Uint8Array, width = 16): string[] {
	const lines: string[] = [];
	for (let offset = 0; offset < bytes.length; offset += width) {
		const row = bytes.subarray(offset, offset + width);
		const hex = [...row].map(byte => byte.toString(16).padStart(2, '0'));
		const half = width / 2;
		const hexText = `${hex.slice(0, half).join(' ')}  ${hex.slice(half).join(' ')}`.padEnd(width * 3 + 1);
		const text = [...row].map(byte => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
		lines.push(`${offset.toString(16).padStart(4, '0')}  ${hexText} ${text}`);
	}

	return lines;
}
