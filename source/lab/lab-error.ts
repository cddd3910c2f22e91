/** The lab cannot be made, found or removed; the message is one line meant for the user. */
export class LabError extends Error {
	override readonly name = 'LabError';
}
