/**
 * Declarative option specs: one record per subcommand, from which the CLI builds its flags and
 * help and the loader builds a typed config. Adding an option here is all it takes.
 */
import type { Parser } from "./parsers.ts";

/** One setting: its flag, the environment variable it binds to, its default and its parser. */
export interface OptionSpec<T> {
  /** Commander flag syntax: `--listen-port <port>`; a flag without `<value>` is a switch. */
  readonly flag: string;
  /** Environment variable (also read from the .env file). */
  readonly env?: string;
  readonly description: string;
  /** Raw default, parsed like user input so a bad default cannot slip through. */
  readonly defaultRaw?: string;
  /** Shown in help instead of `defaultRaw` when the default is computed at run time. */
  readonly defaultLabel?: string;
  readonly parser: Parser<unknown>;
  /** Never printed: `--print-config` shows `<redacted>`. */
  readonly secret?: boolean;
  /** The flag takes a file path whose contents are the value (secrets stay out of argv). */
  readonly flagIsFile?: boolean;
  /** Absent value is a configuration error. */
  readonly required?: boolean;
  /** Phantom field carrying the parsed type. */
  readonly _type?: T;
}

/** A record of option specs, keyed by config field name. */
export type OptionSpecs = Record<string, OptionSpec<unknown>>;

/** The typed config a record of specs yields. */
export type ConfigOf<S extends OptionSpecs> = {
  readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never;
};

interface SpecFields {
  readonly flag: string;
  readonly env?: string;
  readonly description: string;
  readonly defaultLabel?: string;
  readonly secret?: boolean;
  readonly flagIsFile?: boolean;
}

/** A setting with a default: always present in the config. */
export function withDefault<T>(
  parser: Parser<T>,
  defaultRaw: string,
  fields: SpecFields,
): OptionSpec<T> {
  return { ...fields, parser, defaultRaw };
}

/** A setting that must be given. */
export function required<T>(parser: Parser<T>, fields: SpecFields): OptionSpec<T> {
  return { ...fields, parser, required: true };
}

/** A setting that may be absent (undefined in the config). */
export function optional<T>(parser: Parser<T>, fields: SpecFields): OptionSpec<T | undefined> {
  return { ...fields, parser };
}

/** An on/off switch without a value (`--json`); env value parsed as a boolean. */
export function flag(
  fields: SpecFields & { readonly parser: Parser<boolean> },
): OptionSpec<boolean> {
  return { ...fields, defaultRaw: "false" };
}
