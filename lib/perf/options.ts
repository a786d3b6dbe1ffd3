/** Options shared by perf-test and perf-gpu. */
import { boolean, integer, list, text } from "../config/parsers.ts";
import { flag, optional, withDefault } from "../config/spec.ts";
import { programFile } from "../paths/program.ts";

/** Where the fixture inputs are, which to run, how often, where the report goes. */
export const perfOptions = {
  // Resolved from the program's location, not the working directory: the shipped fixtures are
  // found from any directory and inside a compiled executable (embedded with --include).
  fixtures: withDefault(
    list(text),
    `${programFile("tests/fixtures/inputs")},${programFile("tests/fixtures/perf")}`,
    {
      flag: "--fixtures <dir,…>",
      env: "PERF_FIXTURES_DIR",
      description:
        "directories of saved prover inputs (*.json, a block or a batch each), comma-separated",
      defaultLabel:
        "the shipped tests/fixtures/inputs (scenario blocks) and tests/fixtures/perf (1-30 Mgas blocks, a 10-block batch)",
    },
  ),
  only: optional(text, {
    flag: "--only <regex>",
    description: "run only the fixtures whose name matches",
  }),
  repeat: withDefault(integer(1, 100), "1", {
    flag: "--repeat <n>",
    description: "runs per fixture; times reported are the fastest run",
  }),
  report: optional(text, {
    flag: "--report <path>",
    env: "PERF_REPORT",
    description: "JSON report path (default: bench-reports/<command>-<timestamp>.json)",
  }),
  json: flag({
    flag: "--json",
    description: "print the report as one JSON object on stdout (logs stay on stderr)",
    parser: boolean,
  }),
  compare: optional(text, {
    flag: "--compare <report.json>",
    env: "PERF_COMPARE",
    description:
      "an earlier JSON report: flag every figure that got worse by more than the threshold",
  }),
  regressionThreshold: withDefault(integer(0, 1000), "10", {
    flag: "--regression-threshold <percent>",
    env: "PERF_REGRESSION_THRESHOLD",
    description: "how much worse (percent) a figure must get to count as a regression",
  }),
  failOnRegression: flag({
    flag: "--fail-on-regression",
    env: "PERF_FAIL_ON_REGRESSION",
    description: "exit 1 when --compare finds a regression or a fixture that no longer verifies",
    parser: boolean,
  }),
  historyFile: withDefault(text, "bench-reports/history.jsonl", {
    flag: "--history-file <path>",
    env: "PERF_HISTORY_FILE",
    description: "each run is appended here (one JSON line); --history reads it",
  }),
  label: optional(text, {
    flag: "--label <text>",
    description: "name of this run in the history (a commit, a change)",
  }),
};

/** The settings of {@link perfOptions}, as both perf commands parse them. */
export interface PerfSettings {
  readonly fixtures: readonly string[];
  readonly only?: string;
  readonly report?: string;
  readonly json: boolean;
  readonly compare?: string;
  readonly regressionThreshold: number;
  readonly failOnRegression: boolean;
  readonly historyFile: string;
  readonly label?: string;
}

/** The parts of a perf request that come straight from the shared settings. */
export function perfRequestFields(cfg: PerfSettings) {
  return {
    fixturesDirs: cfg.fixtures,
    only: cfg.only,
    report: cfg.report,
    json: cfg.json,
    compare: cfg.compare,
    thresholdPct: cfg.regressionThreshold,
    failOnRegression: cfg.failOnRegression,
    historyFile: cfg.historyFile,
    label: cfg.label,
  };
}
