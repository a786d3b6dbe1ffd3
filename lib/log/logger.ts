/**
 * Logging to stderr: human lines on a TTY (or when asked), one JSON object per line for
 * machines. One logger is configured per process from `--log-level` / `--log-format`.
 */

/** Severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";
/** `auto` picks human on a TTY and json otherwise. */
export type LogFormat = "auto" | "human" | "json";
/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const COLOR: Record<LogLevel, string> = {
  debug: "\x1b[90m",
  info: "\x1b[36m",
  warn: "\x1b[33m",
  error: "\x1b[31m",
};

/** Log level names accepted by `--log-level`. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** Log formats accepted by `--log-format`. */
export const LOG_FORMATS = ["auto", "human", "json"] as const;

/** A logger bound to a component name and base fields. */
export class Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly component: string,
    private readonly base: LogFields = {},
  ) {}

  /** A logger for a sub-component that adds `fields` to every line. */
  child(component: string, fields: LogFields = {}): Logger {
    return new Logger(this.sink, component, { ...this.base, ...fields });
  }

  /** Logs at debug level. */
  debug(msg: string, fields?: LogFields): void {
    this.sink.write("debug", this.component, msg, { ...this.base, ...fields });
  }
  /** Logs at info level. */
  info(msg: string, fields?: LogFields): void {
    this.sink.write("info", this.component, msg, { ...this.base, ...fields });
  }
  /** Logs at warn level. */
  warn(msg: string, fields?: LogFields): void {
    this.sink.write("warn", this.component, msg, { ...this.base, ...fields });
  }
  /** Logs at error level. */
  error(msg: string, fields?: LogFields): void {
    this.sink.write("error", this.component, msg, { ...this.base, ...fields });
  }
}

/** Where log lines go; swapped in tests to capture output. */
export class LogSink {
  private readonly encoder = new TextEncoder();
  constructor(
    public level: LogLevel = "info",
    public format: "human" | "json" = "human",
    private readonly out: (bytes: Uint8Array) => void = (b) => Deno.stderr.writeSync(b),
    public color = false,
  ) {}

  /** Writes one line if `level` passes the threshold. */
  write(level: LogLevel, component: string, msg: string, fields: LogFields): void {
    if (RANK[level] < RANK[this.level]) return;
    const line = this.format === "json"
      ? JSON.stringify({ ts: new Date().toISOString(), level, component, msg, ...plain(fields) })
      : this.human(level, component, msg, fields);
    try {
      this.out(this.encoder.encode(line + "\n"));
    } catch {
      // a closed terminal (EIO, EPIPE) must not crash a process that is stopping cleanly
    }
  }

  private human(level: LogLevel, component: string, msg: string, fields: LogFields): string {
    const time = new Date().toISOString().slice(11, 23);
    const kv = Object.entries(plain(fields))
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    const lvl = level.toUpperCase().padEnd(5);
    const head = this.color ? `${COLOR[level]}${lvl}\x1b[0m` : lvl;
    return `${time} ${head} ${component}: ${msg}${kv ? "  " + kv : ""}`;
  }
}

// JSON has no bigint and errors serialise to {}: make both readable.
function plain(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = typeof v === "bigint" ? v.toString() : v instanceof Error ? v.message : v;
  }
  return out;
}

const rootSink = new LogSink();

/** Configures the process-wide log sink (level and format). */
export function configureLogging(level: LogLevel, format: LogFormat): void {
  const tty = Deno.stderr.isTerminal();
  rootSink.level = level;
  rootSink.format = format === "auto" ? (tty ? "human" : "json") : format;
  rootSink.color = tty && rootSink.format === "human";
}

/** The logger for a component, writing to the process-wide sink. */
export function logger(component: string, fields?: LogFields): Logger {
  return new Logger(rootSink, component, fields);
}
