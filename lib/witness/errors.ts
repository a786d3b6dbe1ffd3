/** Errors of the witness builder. */

/** The witness could not be built completely; says which part and what to do. */
export class WitnessBuildError extends Error {
  override name = "WitnessBuildError";
}
