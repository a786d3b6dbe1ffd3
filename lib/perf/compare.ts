/**
 * Regressions between two perf reports: each figure of each fixture present in both, flagged
 * when it got worse by more than a threshold. Which direction is worse is fixed per figure.
 */

/** A figure the comparison reads, and whether a larger value is worse. */
const FIGURES = {
  cycles: "higher",
  userCycles: "higher",
  cyclesPerGas: "higher",
  segments: "higher",
  wallMs: "higher",
  proveMs: "higher",
  sealBytes: "higher",
  inputBytes: "higher",
  mgasPerSecond: "lower",
  cyclesPerSecond: "lower",
} as const satisfies Record<string, "higher" | "lower">;

/** The names of the figures compared. */
export type Figure = keyof typeof FIGURES;

/** The per-fixture figures a report carries (PerfOutcome satisfies it). */
export type FigureSource =
  & { readonly name: string; readonly ok: boolean }
  & {
    readonly [F in Figure]?: number | null;
  };

/** One figure that got worse. */
export interface Regression {
  readonly fixture: string;
  readonly figure: Figure;
  readonly before: number;
  readonly after: number;
  /** Relative change in percent, positive when worse. */
  readonly worsePct: number;
}

/** What changed between `before` and `after`: regressions, and fixtures that stopped verifying. */
export interface Comparison {
  readonly regressions: readonly Regression[];
  /** Fixtures that verified before and fail now. */
  readonly broken: readonly string[];
  /** Fixtures compared (present and verified in both). */
  readonly compared: number;
}

/** Compares two runs' fixtures; `thresholdPct` is the change that counts (10: 10 % worse). */
export function compareRuns(
  before: readonly FigureSource[],
  after: readonly FigureSource[],
  thresholdPct: number,
): Comparison {
  const old = new Map(before.map((f) => [f.name, f]));
  const regressions: Regression[] = [];
  const broken: string[] = [];
  let compared = 0;
  for (const now of after) {
    const was = old.get(now.name);
    if (!was || !was.ok) continue;
    if (!now.ok) {
      broken.push(now.name);
      continue;
    }
    compared++;
    // Fewer cycles in less time can still be fewer cycles per second (fixed costs stay): a
    // throughput drop counts only when the work did not shrink.
    const lessWork = typeof was.cycles === "number" && typeof now.cycles === "number" &&
      now.cycles < was.cycles * (1 - thresholdPct / 100);
    for (const [figure, worse] of Object.entries(FIGURES) as [Figure, "higher" | "lower"][]) {
      const b = was[figure], a = now[figure];
      if (typeof b !== "number" || typeof a !== "number" || b === 0) continue;
      if (figure === "cyclesPerSecond" && lessWork) continue;
      const worsePct = (worse === "higher" ? a - b : b - a) / Math.abs(b) * 100;
      if (worsePct > thresholdPct) {
        regressions.push({ fixture: now.name, figure, before: b, after: a, worsePct });
      }
    }
  }
  return { regressions, broken, compared };
}

/** Lines for the terminal: one per regression, or a line saying there is none. */
export function formatComparison(c: Comparison, thresholdPct: number, against: string): string {
  const head = `compared with ${against}: ${c.compared} fixtures, threshold ${thresholdPct}%`;
  if (c.regressions.length === 0 && c.broken.length === 0) return `${head}: no regression`;
  return [
    `${head}: ${c.regressions.length} regressions, ${c.broken.length} fixtures broken`,
    ...c.broken.map((f) => `  BROKEN ${f}: verified before, fails now`),
    ...c.regressions.map((r) =>
      `  WORSE  ${r.fixture} ${r.figure}: ${fmt(r.before)} -> ${fmt(r.after)} (+${
        r.worsePct.toFixed(1)
      }%)`
    ),
  ].join("\n");
}

function fmt(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString("en-US") : x.toFixed(2);
}
