/** A protocol violation, carrying the stable code sent back in the error reply. */
import type { ErrorCode } from "./messages.ts";

/** A message that could not be read or decoded; `code` goes on the wire as the error reply's code. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}
