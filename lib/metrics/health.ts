/**
 * Reachability of one upstream (the batch source, the L2 node, L1, the data dir) as /status and
 * /metrics show it: up or down, the last error and since when. One place, so every upstream logs
 * its outage and its recovery the same way.
 */
import type { Logger } from "../log/logger.ts";

/** What {@link UpstreamHealth} reports to: a 0/1 gauge and a failure counter, both optional. */
export interface UpstreamHealthOptions {
  /** Names it in log lines ("the L2 node"). */
  readonly what: string;
  /** What the operator should check when it fails ("--l2-rpc"). */
  readonly hint: string;
  /** How a failure reads before `what` (default "cannot reach"). */
  readonly verb?: string;
  /** How the recovery reads after `what` (default "is reachable again"). */
  readonly back?: string;
  /** Set to 1 while up, 0 while down. */
  readonly up?: { set(v: number): void };
  /** Counts every failure. */
  readonly errors?: { inc(): void };
  readonly log: Logger;
  readonly now?: () => number;
}

/** Tracks one upstream; {@link ok} and {@link failed} after each attempt. */
export class UpstreamHealth {
  /** null until the first attempt. */
  up: boolean | null = null;
  lastError: string | null = null;
  lastErrorAt: string | null = null;
  /** Failures in a row. */
  failures = 0;
  /** When it went down (ISO), while down. */
  downSince: string | null = null;

  constructor(private readonly opts: UpstreamHealthOptions) {}

  /** An attempt succeeded: logs the recovery once after an outage. */
  ok(): void {
    if (this.up === false) {
      this.opts.log.info(
        `${this.opts.what} ${this.opts.back ?? "is reachable again"} after ${this.failures} ` +
          "failed attempts",
        {
          downSince: this.downSince,
        },
      );
    }
    this.up = true;
    this.failures = 0;
    this.downSince = null;
    this.opts.up?.set(1);
  }

  /** An attempt failed with `e`: logged with what to check, counted, shown. */
  failed(e: unknown): void {
    const at = new Date((this.opts.now ?? Date.now)()).toISOString();
    if (this.up !== false) this.downSince = at;
    this.up = false;
    this.failures++;
    this.lastError = errorText(e);
    this.lastErrorAt = at;
    this.opts.up?.set(0);
    this.opts.errors?.inc();
    this.opts.log.warn(
      `${
        this.opts.verb ?? "cannot reach"
      } ${this.opts.what} (attempt ${this.failures}): ${this.lastError}; ` +
        `check ${this.opts.hint}`,
    );
  }

  /** The /status view. */
  json(): Record<string, unknown> {
    return {
      up: this.up,
      last_error: this.lastError,
      last_error_at: this.lastErrorAt,
      failures_in_a_row: this.failures,
      down_since: this.downSince,
    };
  }
}

/**
 * One line for an error: viem's errors carry a page of request details in `message`, so their
 * `shortMessage` and `details` are taken instead.
 */
export function errorText(e: unknown): string {
  const v = e as { shortMessage?: unknown; details?: unknown; message?: unknown };
  if (typeof v?.shortMessage === "string") {
    return typeof v.details === "string" && v.details
      ? `${v.shortMessage} (${v.details})`
      : v.shortMessage;
  }
  return typeof v?.message === "string" ? v.message : String(e);
}
