/** A logger that keeps its lines in memory (tests assert on them, stderr stays clean). */
import { Logger, LogSink } from "../../lib/log/logger.ts";

/** A logger plus the lines it wrote. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const dec = new TextDecoder();
  const sink = new LogSink("debug", "json", (b) => lines.push(dec.decode(b)));
  return { log: new Logger(sink, "test"), lines };
}
