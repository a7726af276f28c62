import pino, { type DestinationStream, type Logger } from 'pino';

// One stdout stream per process, as pino's default would build, but shared: each stream registers
// a process exit hook, and tests start many servers in one process.
let stdout: DestinationStream | undefined;

export function createLogger(level: string): Logger {
  stdout ??= pino.destination({ dest: 1, sync: true });
  return pino({ level, base: { service: 'debrief' } }, stdout);
}
