/**
 * The CLI: binds every subcommand's option specs to commander (flags, help with defaults and
 * env names), resolves the config through the one loader and runs the command.
 */
import { Command, CommanderError, Option } from "commander";
import { formatVersion, VERSION, versionReport } from "../about/version.ts";
import { commonOptions } from "../config/common.ts";
import { readEnvFile } from "../config/env_file.ts";
import { ConfigError } from "../config/errors.ts";
import { formatSettings, loadConfig } from "../config/load.ts";
import type { ConfigOf, OptionSpec, OptionSpecs } from "../config/spec.ts";
import { configureLogging, logger } from "../log/logger.ts";
import { killHostGroups } from "../host/driver.ts";
import { type AnyCommand, EXIT } from "./command.ts";
import { COMMANDS } from "./commands/mod.ts";

/** Runs the CLI with `args` (without the program name); resolves to the exit code. */
export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = Deno.env.toObject(),
): Promise<number> {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    console.log(formatVersion(await versionReport()));
    return EXIT.ok;
  }
  let chosen: { cmd: AnyCommand; flags: Record<string, string | boolean> } | undefined;
  const program = new Command("l2-prover")
    .description(
      "Prove EVM rollup L2 blocks with the RISC Zero zkVM and settle the proofs on L1.\n" +
        "Every option can also be set by the environment variable shown, or in a .env file.",
    )
    .version(VERSION, "-V, --version", "print the CLI, commit, Deno, zkvm-host and guest versions")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => Deno.stderr.writeSync(new TextEncoder().encode(s)) });

  for (const cmd of COMMANDS) {
    const sub = program.command(cmd.name).summary(cmd.summary).description(
      cmd.summary + (cmd.details ? `\n\n${cmd.details}` : ""),
    );
    const specs: OptionSpecs = { ...cmd.options, ...commonOptions };
    for (const [key, spec] of Object.entries(specs)) sub.addOption(toOption(key, spec));
    sub.exitOverride().showHelpAfterError("(run with --help for usage)").action(() => {
      const flags: Record<string, string | boolean> = {};
      for (const key of Object.keys(specs)) {
        if (sub.getOptionValueSource(key) === "cli") flags[key] = sub.getOptionValue(key);
      }
      chosen = { cmd, flags };
    });
  }

  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are successful exits; every parse error is a usage error
      if (["commander.helpDisplayed", "commander.version", "commander.help"].includes(e.code)) {
        return EXIT.ok;
      }
      return EXIT.config;
    }
    throw e;
  }
  if (!chosen) {
    program.outputHelp();
    return EXIT.config;
  }
  return await runCommand(chosen.cmd, chosen.flags, env);
}

async function runCommand(
  cmd: AnyCommand,
  flags: Record<string, string | boolean>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const specs: OptionSpecs = { ...cmd.options, ...commonOptions };
  let loaded;
  try {
    const explicitEnvFile = flags.envFile !== undefined || env.ENV_FILE !== undefined;
    const envFilePath = String(flags.envFile ?? env.ENV_FILE ?? commonOptions.envFile.defaultRaw);
    const envFile = readEnvFile(envFilePath, explicitEnvFile);
    loaded = loadConfig(specs, { flags, env, envFile });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`error: ${e.message}`);
      return EXIT.config;
    }
    throw e;
  }
  const { config, settings } = loaded;
  const common = config as unknown as ConfigOf<typeof commonOptions>;
  configureLogging(common.logLevel, common.logFormat);
  if (common.printConfig) {
    console.log(formatSettings(settings));
    return EXIT.ok;
  }
  const log = logger(cmd.name);
  const controller = new AbortController();
  const onSignal = (sig: Deno.Signal) => () => {
    if (controller.signal.aborted) {
      // Exiting at once leaves no time to stop hosts gently: their process groups go first.
      const hosts = killHostGroups("SIGKILL");
      log.warn(`second ${sig}: exiting now${hosts ? ` (killed ${hosts} zkvm-host runs)` : ""}`);
      Deno.exit(EXIT.interrupted);
    }
    log.info(`${sig} received: finishing up (send it again to exit at once)`);
    controller.abort(new Error(sig));
  };
  // SIGHUP: the terminal closed. Stopping cleanly matters most for `up`, whose nodes run in
  // sessions of their own and would outlive a process killed by the hangup.
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => {
    const h = onSignal(sig);
    Deno.addSignalListener(sig, h);
    return [sig, h] as const;
  });
  try {
    return await cmd.run(config, { log, signal: controller.signal });
  } catch (e) {
    if (e instanceof ConfigError) {
      log.error(e.message);
      return EXIT.config;
    }
    log.error(`${cmd.name} failed: ${(e as Error).message}`, { error: (e as Error).name });
    return EXIT.failure;
  } finally {
    for (const [sig, h] of handlers) Deno.removeSignalListener(sig, h);
  }
}

function toOption(key: string, spec: OptionSpec<unknown>): Option {
  const opt = new Option(spec.flag, spec.description);
  if (spec.env) opt.env(spec.env);
  if (spec.defaultRaw !== undefined && spec.defaultRaw !== "false") {
    opt.default(spec.defaultRaw, spec.defaultLabel);
  } else if (spec.defaultLabel) {
    opt.default(undefined, spec.defaultLabel);
  }
  if (spec.required) opt.makeOptionMandatory(false);
  opt.attributeName = () => key;
  return opt;
}
