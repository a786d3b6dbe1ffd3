/** Options shared by perf-test and perf-gpu. */
import { integer, text } from "../config/parsers.ts";
import { optional, withDefault } from "../config/spec.ts";
import { programFile } from "../paths/program.ts";

/** Where the fixture inputs are, which to run, how often, where the report goes. */
export const perfOptions = {
  // Resolved from the program's location, not the working directory: the shipped fixtures are
  // found from any directory and inside a compiled executable (embedded with --include).
  fixtures: withDefault(text, programFile("tests/fixtures/inputs"), {
    flag: "--fixtures <dir>",
    env: "PERF_FIXTURES_DIR",
    description: "directory of saved prover inputs (*.json), one block each",
    defaultLabel: "the shipped tests/fixtures/inputs",
  }),
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
};
