/**
 * The shape of a subcommand: its option specs and what it runs with the typed config. Each
 * subcommand lives in `lib/cli/commands/<name>.ts` and is listed in `lib/cli/commands/mod.ts`.
 */
import type { ConfigOf, OptionSpecs } from "../config/spec.ts";
import type { Logger } from "../log/logger.ts";

/** What a running subcommand gets besides its config. */
export interface CommandContext {
  readonly log: Logger;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly when it fires. */
  readonly signal: AbortSignal;
}

/** One subcommand of the CLI. */
export interface CommandDef<S extends OptionSpecs> {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Extra paragraphs for `<command> --help`. */
  readonly details?: string;
  /** Positional arguments are not used: everything is a named option. */
  readonly options: S;
  /** Runs the command; resolves to the process exit code. */
  run(config: ConfigOf<S>, ctx: CommandContext): Promise<number>;
}

/** Type-erased command for the registry. */
// deno-lint-ignore no-explicit-any
export type AnyCommand = CommandDef<any>;

/** Declares a subcommand with full type inference of its config. */
export function defineCommand<S extends OptionSpecs>(def: CommandDef<S>): CommandDef<S> {
  return def;
}

/** The exit codes (lib/exit/codes.ts), re-exported for the commands. */
export { EXIT } from "../exit/codes.ts";
