/** A configuration value that cannot be used: names the setting, the problem and the expected form. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    /** The flag or environment variable the bad value came from. */
    readonly setting: string,
    /** What is wrong with the value. */
    readonly problem: string,
    /** The form that would be accepted. */
    readonly expected?: string,
  ) {
    super(`${setting}: ${problem}${expected ? ` (expected ${expected})` : ""}`);
  }
}

/** Thrown by a value parser; the loader adds which setting the value came from. */
export class ParseError extends Error {
  override name = "ParseError";
}
