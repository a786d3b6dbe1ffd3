/**
 * The process exit codes of every subcommand: below the CLI, so that use cases that end a
 * run (perf) share them with the commands without importing upward.
 */

/** Exit codes shared by all subcommands. */
export const EXIT = {
  ok: 0,
  failure: 1,
  /** Bad configuration or usage: nothing was started. */
  config: 2,
  /** The block (or proof) was checked and found invalid. */
  invalid: 3,
  /** A needed backend or component is not available on this machine. */
  unavailable: 4,
  /** The capability is not built yet. */
  notBuilt: 69,
  /** Interrupted by a signal before finishing. */
  interrupted: 130,
} as const;
