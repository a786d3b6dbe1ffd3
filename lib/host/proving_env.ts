/** The environment through which zkvm-host takes the knobs of real proofs (docs/zkvm-host.md). */

/** Real-proof settings, as the CLI's `proving` options decode them. */
export interface ProvingSettings {
  /** log2 of cycles per segment (14-22). */
  readonly segmentPo2?: number;
  readonly bonsaiApiUrl?: string;
  readonly bonsaiApiKey?: string;
}

/**
 * The host's variables for the settings that are given. They go to the child explicitly, so that
 * values from a `.env` file (which is parsed, not exported) reach it too.
 */
export function provingEnv(s: ProvingSettings): Record<string, string> {
  const env: Record<string, string> = {};
  if (s.segmentPo2 !== undefined) env.ZKVM_SEGMENT_PO2 = String(s.segmentPo2);
  if (s.bonsaiApiUrl !== undefined) env.BONSAI_API_URL = s.bonsaiApiUrl;
  if (s.bonsaiApiKey !== undefined) env.BONSAI_API_KEY = s.bonsaiApiKey;
  return env;
}
