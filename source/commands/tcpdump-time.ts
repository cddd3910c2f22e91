import type {Timestamp} from '../wire/timestamp.js';

/**
 * Returns a formatter for tcpdump's default timestamp: local time (honouring TZ) as HH:MM:SS.ffffff.
 * tcpdump prints microseconds even for nanosecond files unless given --nano: libpcap truncates.
 * The formatter remembers the last second it formatted, since consecutive frames mostly share it.
 */
export function tcpdumpTimeFormatter(): (timestamp: Timestamp) => string {
	let lastSecond = Number.NaN;
	let prefix = '';
	return ({seconds, nanoseconds}) => {
		if (seconds !== lastSecond) {
			const date = new Date(seconds * 1000);
			prefix = `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}.`;
			lastSecond = seconds;
		}

		return prefix + String(Math.floor(nanoseconds / 1000)).padStart(6, '0');
	};
}

function twoDigits(value: number): string {
	return value < 10 ? `0${value}` : String(value);
}
