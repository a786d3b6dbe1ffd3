/**
 * The one configuration loader. Precedence: flags > environment > .env file > defaults.
 * Raw strings from all sources go through the same parser, so every error names its source.
 */
import { ConfigError, ParseError } from "./errors.ts";
import type { ConfigOf, OptionSpec, OptionSpecs } from "./spec.ts";

/** Where a resolved value came from. */
export type ValueSource = "flag" | "env" | "env-file" | "default" | "unset";

/** One resolved setting, kept for `--print-config`. */
export interface ResolvedSetting {
  readonly key: string;
  readonly name: string;
  readonly source: ValueSource;
  readonly display: string;
}

/** The inputs of one resolution: flag values from the CLI and the two env layers. */
export interface ConfigSources {
  /** Raw flag values by config key (only those given on the command line). */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly envFile: Readonly<Record<string, string>>;
}

/** A typed config plus how each value was resolved. */
export interface LoadedConfig<S extends OptionSpecs> {
  readonly config: ConfigOf<S>;
  readonly settings: readonly ResolvedSetting[];
}

/** The long flag name of a spec, e.g. `--listen-port`. */
export function flagName(spec: OptionSpec<unknown>): string {
  return spec.flag.split(/[ ,]/).find((p) => p.startsWith("--")) ?? spec.flag;
}

/** Resolves and parses every setting of `specs`; throws ConfigError on the first bad one. */
export function loadConfig<S extends OptionSpecs>(
  specs: S,
  sources: ConfigSources,
): LoadedConfig<S> {
  const config: Record<string, unknown> = {};
  const settings: ResolvedSetting[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    const { raw, source, name } = pick(key, spec, sources);
    if (raw === undefined) {
      if (spec.required) {
        const where = spec.env ? `${flagName(spec)} or ${spec.env}` : flagName(spec);
        throw new ConfigError(where, "is required but not set", spec.parser.expected);
      }
      config[key] = undefined;
      settings.push({ key, name, source, display: "(unset)" });
      continue;
    }
    try {
      config[key] = spec.parser.parse(raw);
    } catch (e) {
      if (e instanceof ParseError) throw new ConfigError(name, e.message, spec.parser.expected);
      throw e;
    }
    settings.push({ key, name, source, display: spec.secret ? "<redacted>" : raw });
  }
  return { config: config as ConfigOf<S>, settings };
}

function pick(
  key: string,
  spec: OptionSpec<unknown>,
  sources: ConfigSources,
): { raw: string | undefined; source: ValueSource; name: string } {
  const flagValue = sources.flags[key];
  if (flagValue !== undefined) {
    const name = flagName(spec);
    if (spec.flagIsFile) {
      return { raw: readValueFile(name, String(flagValue)), source: "flag", name };
    }
    return { raw: String(flagValue), source: "flag", name };
  }
  if (spec.env) {
    const fromEnv = sources.env[spec.env];
    if (fromEnv !== undefined) return { raw: fromEnv, source: "env", name: spec.env };
    const fromFile = sources.envFile[spec.env];
    if (fromFile !== undefined) {
      return { raw: fromFile, source: "env-file", name: `${spec.env} (from .env file)` };
    }
  }
  if (spec.defaultRaw !== undefined) {
    return { raw: spec.defaultRaw, source: "default", name: spec.env ?? flagName(spec) };
  }
  return { raw: undefined, source: "unset", name: spec.env ?? flagName(spec) };
}

/** Renders resolved settings as aligned text lines, secrets redacted. */
export function formatSettings(settings: readonly ResolvedSetting[]): string {
  const width = Math.max(...settings.map((s) => s.name.length), 4);
  return settings
    .map((s) => `${s.name.padEnd(width)}  ${s.display}  [${s.source}]`)
    .join("\n");
}

function readValueFile(name: string, path: string): string {
  try {
    return Deno.readTextFileSync(path).trim();
  } catch (e) {
    throw new ConfigError(
      name,
      `cannot read '${path}': ${(e as Error).message}`,
      "a readable file",
    );
  }
}
