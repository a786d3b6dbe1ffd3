/**
 * Shows proving progress: a one-line bar on a terminal, throttled log lines otherwise
 * (so a log file is not flooded by one line per segment).
 */
import type { Logger } from "../log/logger.ts";

/** One progress event of the zkVM host, as the client sees it. */
export type ProveProgress =
  | { readonly kind: "phase"; readonly phase: string; readonly ms?: number }
  | { readonly kind: "segment"; readonly index: number; readonly total: number | null };

/** Receives the progress of one block. */
export interface ProgressView {
  update(p: ProveProgress): void;
  /** Clears the bar (on a terminal). */
  done(): void;
}

const encoder = new TextEncoder();

/**
 * A progress view for `block`: a bar when stderr is a terminal, log lines otherwise; `now`
 * (milliseconds) is injectable so tests can move time.
 */
export function progressView(
  block: number,
  log: Logger,
  tty = Deno.stderr.isTerminal(),
  now: () => number = () => performance.now(),
): ProgressView {
  const started = now();
  let lastSegmentLog: number | undefined;
  const write = (s: string) => Deno.stderr.writeSync(encoder.encode(s));
  return {
    update(p) {
      const elapsed = (now() - started) / 1000;
      if (tty) {
        write(`\r\x1b[2K${bar(block, p, elapsed)}`);
        return;
      }
      // Phases are few and always worth a line; segments at most one line per 10 s (the first
      // one at once, so a log shows that proving started).
      if (p.kind === "phase") {
        log.info(`block ${block}: ${p.phase} done`, { ms: p.ms });
        return;
      }
      if (lastSegmentLog !== undefined && now() - lastSegmentLog < 10_000) return;
      lastSegmentLog = now();
      log.info(`block ${block}: segment ${p.index + 1}${p.total ? `/${p.total}` : ""}`);
    },
    done() {
      if (tty) write("\r\x1b[2K");
    },
  };
}

function bar(block: number, p: ProveProgress, elapsedS: number): string {
  if (p.kind === "phase") return `block ${block}  ${p.phase}  ${elapsedS.toFixed(1)}s`;
  const width = 30;
  if (!p.total) {
    return `block ${block}  segment ${p.index + 1}  ${elapsedS.toFixed(1)}s`;
  }
  const frac = Math.min(1, (p.index + 1) / p.total);
  const fill = Math.round(frac * width);
  const eta = frac > 0 ? elapsedS / frac - elapsedS : 0;
  return `block ${block}  [${"#".repeat(fill)}${"-".repeat(width - fill)}] ` +
    `${p.index + 1}/${p.total}  ${elapsedS.toFixed(1)}s  ETA ${eta.toFixed(0)}s`;
}
