/**
 * The core's only logger. It takes a fixed event name and a small record of non-identifying facts
 * (codes, counts, durations). There is deliberately no way to log free text or record content:
 * patient data must never reach a log file.
 */
export type LogFacts = Record<string, string | number | boolean | null>;

export interface Logger {
  info(event: string, facts?: LogFacts): void;
  warn(event: string, facts?: LogFacts): void;
  error(event: string, facts?: LogFacts): void;
}

const SAFE_EVENT = /^[a-z][a-z0-9.:_-]{0,80}$/;

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const emit = (level: string, event: string, facts: LogFacts = {}) => {
    const name = SAFE_EVENT.test(event) ? event : 'invalid-event-name';
    write(JSON.stringify({ at: new Date().toISOString(), level, event: name, ...facts }));
  };
  return {
    info: (event, facts) => emit('info', event, facts),
    warn: (event, facts) => emit('warn', event, facts),
    error: (event, facts) => emit('error', event, facts),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
