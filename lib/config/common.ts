/** Options every subcommand has: env file, logging, config dump. */
import { LOG_FORMATS, LOG_LEVELS } from "../log/logger.ts";
import { oneOf, text } from "./parsers.ts";
import { boolean } from "./parsers.ts";
import { flag, withDefault } from "./spec.ts";

/** Global options, bound on every subcommand. */
export const commonOptions = {
  envFile: withDefault(text, ".env", {
    flag: "--env-file <path>",
    description: "dotenv file read before the environment's defaults (used only if it exists)",
  }),
  logLevel: withDefault(oneOf(LOG_LEVELS), "info", {
    flag: "--log-level <level>",
    env: "LOG_LEVEL",
    description: "least severe log level printed: debug, info, warn, error",
  }),
  logFormat: withDefault(oneOf(LOG_FORMATS), "auto", {
    flag: "--log-format <format>",
    env: "LOG_FORMAT",
    description: "log lines as human text or json (auto: human on a terminal, json otherwise)",
  }),
  printConfig: flag({
    flag: "--print-config",
    description: "print the resolved configuration (secrets redacted) and exit",
    parser: boolean,
  }),
};
