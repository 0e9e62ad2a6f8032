/** The console methods the client logs through. */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** How much the client logs: nothing (`off`, the default) up to every attempt (`debug`). */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

export type Log = (level: Exclude<LogLevel, "off">, message: string) => void;

/** The levels, least verbose first. */
export const LOG_LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/**
 * A log function that passes messages at or above `level` to `logger`. Messages name the
 * method, path, status and wait; never a header, so never the API key.
 */
export function createLog(logger: Logger | undefined, level: LogLevel): Log {
  const rank = LOG_LEVELS.indexOf(level);
  const target = logger ?? globalThis.console;
  return (messageLevel, message) => {
    if (LOG_LEVELS.indexOf(messageLevel) <= rank) {
      try {
        target[messageLevel](`[helpcrunch] ${message}`);
      } catch {} // a logger that throws must not fail the call it reports on
    }
  };
}
