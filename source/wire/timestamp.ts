/** A point in time as a capture stores it: whole seconds and nanoseconds since the Unix epoch. */
export type Timestamp = {readonly seconds: number; readonly nanoseconds: number};
