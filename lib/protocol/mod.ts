/** The ProofData wire protocol: messages, the proof payload, and the one-shot TCP transport. */
export * from "./errors.ts";
export * from "./messages.ts";
export * from "./proof.ts";
export * from "./transport.ts";
