/**
 * kafkajs's logger (node_modules/kafkajs/src/loggers/index.js and loggers/console.js): levels NOTHING 0, ERROR 1,
 * WARN 2, INFO 4, DEBUG 5; namespaced loggers (`[Consumer] Starting`); the default log creator prints one JSON
 * line per entry — `{"level":"INFO","timestamp":"…","logger":"kafkajs","message":"[Consumer] Starting",
 * "groupId":"g"}` — with console.info / error / warn / log by level. Timestamps are the simulated wall clock.
 *
 * Where the default lines go: to the `LogSink` the runtime gives the facade (the program's console, when the
 * runner provides it); without one they are dropped. A program's own `logCreator` always gets every entry.
 */

/** kafkajs's `logLevel` export. */
export const LEVELS = Object.freeze({ NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 });

/** Console methods the default log creator uses, by level. */
export type LogSink = (method: 'info' | 'error' | 'warn' | 'log', line: string) => void;

/** One log entry as a log creator receives it. */
export interface LogEntry {
  namespace: string | undefined;
  level: number;
  label: string;
  log: Record<string, unknown> & { timestamp: string; logger: 'kafkajs'; message: string };
}

/** A kafkajs logger (what `consumer.logger()` returns). */
export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  debug(message: string, extra?: Record<string, unknown>): void;
  namespace(namespace: string, logLevel?: number | null): Logger;
  setLogLevel(level: number): void;
}

/** kafkajs's default log creator (`LoggerConsole`), writing to `sink`. */
export function consoleLogCreator(sink: LogSink | undefined): (level: number) => (entry: LogEntry) => void {
  return () => ({ namespace, level, label, log }) => {
    if (sink === undefined) return;
    const prefix = namespace ? `[${namespace}] ` : '';
    const line = JSON.stringify(Object.assign({ level: label }, log, { message: `${prefix}${log.message}` }));
    if (level === LEVELS.INFO) sink('info', line);
    else if (level === LEVELS.ERROR) sink('error', line);
    else if (level === LEVELS.WARN) sink('warn', line);
    else if (level === LEVELS.DEBUG) sink('log', line);
  };
}

/**
 * kafkajs's `createLogger({ level, logCreator })`. `isoNow` gives the timestamp (simulated clock). A log
 * creator that throws is left to throw, as in kafkajs.
 */
export function createLogger({ level = LEVELS.INFO, logCreator, isoNow }: {
  level?: number;
  logCreator: (level: number) => (entry: LogEntry) => void;
  isoNow: () => string;
}): Logger {
  let logLevel = level;
  const logFunction = logCreator(logLevel);
  const createLogFunctions = (namespace: string | undefined, namespaceLevel: number | null = null): Logger => {
    const current = () => (namespaceLevel == null ? logLevel : namespaceLevel);
    const at = (label: string, lvl: number) => (message: string, extra: Record<string, unknown> = {}) => {
      if (lvl > current()) return;
      logFunction({
        namespace, level: lvl, label,
        log: Object.assign({ timestamp: isoNow(), logger: 'kafkajs' as const, message }, extra),
      });
    };
    return {
      info: at('INFO', LEVELS.INFO),
      error: at('ERROR', LEVELS.ERROR),
      warn: at('WARN', LEVELS.WARN),
      debug: at('DEBUG', LEVELS.DEBUG),
      namespace: (ns: string, nsLevel: number | null = null) => createLogFunctions(ns, nsLevel),
      setLogLevel: (newLevel: number) => {
        logLevel = newLevel;
      },
    };
  };
  return createLogFunctions(undefined);
}

/** The first line of an error's stack as the simulator shows it in log entries (no host file paths). */
export function stackOf(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
