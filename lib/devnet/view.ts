/**
 * What `up` shows: a status record the running system keeps up to date, rendered by a pure
 * function into the lines of a live view on a terminal (redrawn in place), while the log goes to
 * a file and its last lines into the view. Off a terminal, `up` logs one line per event instead.
 */
import type { ProveProgress } from "../client/progress.ts";
import { Logger, LogSink } from "../log/logger.ts";

/** One prover client as the view shows it. */
export interface ClientStatus {
  readonly id: number;
  /** What it is proving now; undefined when idle. */
  job?: {
    readonly batch: number;
    readonly firstBlock: number;
    readonly lastBlock: number;
    readonly startedAt: number;
    progress?: ProveProgress;
  };
  proved: number;
  /** Proving time of its last batch. */
  lastMs?: number;
}

/** A batch number and the last L2 block it covers. */
export interface BatchMark {
  readonly batch: number;
  readonly lastBlock: number;
}

/** Everything the view shows; `up` mutates it as events happen. */
export interface UpStatus {
  readonly startedAt: number;
  l1Url?: string;
  l2Url?: string;
  l2Kind: "anvil" | "geth";
  /** e.g. "risc0 dev mode" or "exec", and why it was chosen. */
  backend: string;
  backendReason: string;
  dataDir: string;
  /** Set when this run continued the chains and proofs of an earlier one. */
  continuedFrom?: BatchMark;
  /** Where L1 stood when proving started (the --blocks target counts from here). */
  verifiedAtStart?: BatchMark;
  phase: string;
  l2Head?: number;
  /** Set while the L2 is paused for the provers to catch up: why. */
  l2Paused?: string;
  committed?: BatchMark;
  /** Highest batch in the proof store. */
  proved?: number;
  verified?: BatchMark;
  clients: ClientStatus[];
  /** Proving times (ms) of the batches proved in this run, oldest first. */
  provingMs: number[];
  /** When each batch was first seen committed and then verified (ms since epoch). */
  committedAt: Map<number, number>;
  /** Commit-to-verified latencies (ms) of batches verified in this run. */
  settleMs: number[];
  txsSent: number;
  /** The last log lines (the live view's tail). */
  recent: string[];
}

/** A fresh status record. */
export function newStatus(
  init: Pick<UpStatus, "l2Kind" | "backend" | "backendReason" | "dataDir">,
  startedAt: number,
): UpStatus {
  return {
    ...init,
    startedAt,
    phase: "starting",
    clients: [],
    provingMs: [],
    committedAt: new Map(),
    settleMs: [],
    txsSent: 0,
    recent: [],
  };
}

/** Notes a new L1 reading of the committed and verified batches (latencies, in order). */
export function observeL1(s: UpStatus, committed: BatchMark, verified: BatchMark, now: number) {
  // First look: the batches committed and not yet verified count as committed now.
  const from = s.committed?.batch ?? verified.batch;
  for (let b = from + 1; b <= committed.batch; b++) s.committedAt.set(b, now);
  for (let b = (s.verified?.batch ?? verified.batch) + 1; b <= verified.batch; b++) {
    const at = s.committedAt.get(b);
    if (at !== undefined) s.settleMs.push(now - at);
    s.committedAt.delete(b);
  }
  s.committed = committed;
  s.verified = verified;
}

/** The live view's lines for `s` at time `now` (pure: no I/O, no clock). */
export function renderView(s: UpStatus, now: number, width = 100): string[] {
  const ago = secs;
  const elapsed = now - s.startedAt;
  const mark = (m?: BatchMark) => m ? `batch ${m.batch} (L2 block ${m.lastBlock})` : "-";
  const lines = [
    `l2-prover up  ${s.phase}  ${fmtDuration(elapsed)}  data ${s.dataDir}`,
    `L1 ${s.l1Url ?? "-"}   L2 ${s.l2Kind} ${s.l2Url ?? "-"}`,
    s.continuedFrom
      ? `continued from ${mark(s.continuedFrom)} verified by an earlier run`
      : "fresh chains (nothing verified before)",
    "",
    `L2 head      ${s.l2Head ?? "-"}${s.l2Paused ? `  (paused: ${s.l2Paused})` : ""}`,
    `committed    ${mark(s.committed)}`,
    `proved       ${s.proved === undefined ? "-" : `batch ${s.proved}`}`,
    `verified L1  ${mark(s.verified)}`,
  ];
  const gained = s.verified && s.verifiedAtStart
    ? s.verified.lastBlock - s.verifiedAtStart.lastBlock
    : 0;
  const batches = s.verified && s.verifiedAtStart ? s.verified.batch - s.verifiedAtStart.batch : 0;
  const mins = elapsed / 60_000;
  lines.push(
    `this run     ${batches} batches / ${gained} blocks verified` +
      (mins > 0 ? `, ${(gained / mins).toFixed(1)} blocks/min` : "") +
      `, ${s.txsSent} txs sent`,
    `per batch    proving ${avg(s.provingMs)}, commit to L1 verified ${avg(s.settleMs)}`,
    "",
    `provers (${s.clients.length}) on ${s.backend}`,
    `  why: ${s.backendReason}`,
  );
  for (const c of s.clients) {
    const head = `  prover-${c.id}  `;
    if (!c.job) {
      lines.push(
        `${head}idle  (${c.proved} proved${
          c.lastMs === undefined ? "" : `, last ${ago(c.lastMs)}`
        })`,
      );
      continue;
    }
    const j = c.job;
    lines.push(
      `${head}proving batch ${j.batch} (blocks ${j.firstBlock}..${j.lastBlock})  ` +
        `${progressText(j.progress)}  ${ago(now - j.startedAt)}`,
    );
  }
  if (s.recent.length) lines.push("", "log (tail):", ...s.recent.map((l) => `  ${l}`));
  return lines.map((l) => (l.length > width ? l.slice(0, width - 1) + "…" : l));
}

function progressText(p?: ProveProgress): string {
  if (!p) return "started";
  if (p.kind === "phase") return p.phase;
  if (!p.total) return `segment ${p.index + 1}`;
  const w = 20;
  const fill = Math.round(Math.min(1, (p.index + 1) / p.total) * w);
  return `[${"#".repeat(fill)}${"-".repeat(w - fill)}] segment ${p.index + 1}/${p.total}`;
}

function avg(ms: readonly number[]): string {
  if (!ms.length) return "-";
  return `${secs(ms.reduce((a, b) => a + b, 0) / ms.length)} avg`;
}

/** 1.5s, or 45ms under a second (exec proofs take milliseconds). */
function secs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function fmtDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Redraws the view every `intervalMs` on a terminal; stop() draws it a last time. */
export function startLiveView(
  render: () => string[],
  write: (s: string) => void,
  intervalMs = 500,
): { stop(): void } {
  let gone = false;
  const draw = () => {
    if (gone) return;
    const lines = render();
    try {
      // Home, each line cleared to its end, then everything below cleared: no flicker.
      write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join("\n")}\n\x1b[J`);
    } catch {
      gone = true; // the terminal closed (SIGHUP follows): stop drawing, keep stopping cleanly
    }
  };
  try {
    write("\x1b[2J");
  } catch {
    gone = true;
  }
  draw();
  const t = setInterval(draw, intervalMs);
  return {
    stop() {
      clearInterval(t);
      draw();
    },
  };
}

/** A logger for the live view: lines go to `file` (appended) and the last `keep` into `recent`. */
export function viewLogger(
  file: string,
  recent: string[],
  keep = 6,
): { log: Logger; close(): void } {
  const f = Deno.openSync(file, { append: true, create: true });
  const dec = new TextDecoder();
  const sink = new LogSink("info", "human", (bytes) => {
    f.writeSync(bytes);
    for (const line of dec.decode(bytes).split("\n")) {
      if (!line) continue;
      recent.push(line.slice(13)); // without the time of day: the view shows its own clock
      if (recent.length > keep) recent.shift();
    }
  });
  return { log: new Logger(sink, "up"), close: () => f.close() };
}
