/**
 * The ProofData wire protocol (DESIGN §4): serde-style externally tagged JSON, compatible in form
 * with ethrex's prover server. This module is the one place that knows the wire format: every
 * message is decoded into a typed value here, once, and encoded back here.
 */
import { decodeProofPayload, encodeProofPayload, type ProofPayload } from "./proof.ts";
import { ProtocolError } from "./errors.ts";

/** The input of a block, as the version-1 prover input JSON (DESIGN §1), kept opaque here. */
export type WireInput = Readonly<Record<string, unknown>>;

/** Client asks for work. Serialised as the bare string `"Request"` (a serde unit variant). */
export interface RequestMsg {
  readonly kind: "Request";
}

/** Server hands out a block, or `null`s when it has no work. */
export interface ResponseMsg {
  readonly kind: "Response";
  readonly blockNumber: number | null;
  readonly input: WireInput | null;
  /**
   * The input already serialised (the server prepares it ahead of demand so a Request never
   * re-serialises a large input). When set, it wins over `input` on encode.
   */
  readonly inputJson?: string;
}

/** Client submits the proof of a block it was handed. */
export interface SubmitMsg {
  readonly kind: "Submit";
  readonly blockNumber: number;
  readonly proof: ProofPayload;
}

/** Server stored the proof (durably) of `blockNumber`. */
export interface SubmitAckMsg {
  readonly kind: "SubmitAck";
  readonly blockNumber: number;
}

/** Server refuses a message; `code` is stable and machine-readable, `message` is for operators. */
export interface ErrorMsg {
  readonly kind: "Error";
  readonly code: ErrorCode;
  readonly message: string;
  readonly blockNumber?: number;
}

/** A message wrapped with the server's auth token (see docs/protocol.md, "Authentication"). */
export interface AuthenticatedMsg {
  readonly kind: "Authenticated";
  readonly token: string;
  readonly message: ClientMessage;
}

/** What a client sends. */
export type ClientMessage = RequestMsg | SubmitMsg;
/** What a server answers. */
export type ServerMessage = ResponseMsg | SubmitAckMsg | ErrorMsg;
/** Every message of the protocol. */
export type ProofData = ClientMessage | ServerMessage | AuthenticatedMsg;

/** Stable reasons of an error reply; also the `reason` label of the rejection metric. */
export const ERROR_CODES = [
  "malformed_json",
  "unknown_variant",
  "malformed_message",
  "too_large",
  "read_timeout",
  "unauthorized",
  "server_busy",
  "unexpected_message",
  "not_handed_out",
  "unknown_block",
  "journal_mismatch",
  "exec_not_accepted",
  "verification_failed",
  "verifier_unavailable",
  "store_failed",
  "internal",
] as const;
/** One of {@link ERROR_CODES}. */
export type ErrorCode = typeof ERROR_CODES[number];

/** The largest block number the wire carries exactly (JSON numbers are doubles). */
const MAX_BLOCK = Number.MAX_SAFE_INTEGER;

/** Serialises a message to its wire JSON text. */
export function encodeMessage(msg: ProofData): string {
  switch (msg.kind) {
    case "Request":
      return '"Request"';
    case "Response": {
      const input = msg.inputJson ?? JSON.stringify(msg.input);
      // String concatenation keeps a prepared multi-megabyte input from being parsed again.
      return `{"Response":{"block_number":${JSON.stringify(msg.blockNumber)},"input":${input}}}`;
    }
    case "Submit":
      return JSON.stringify({
        Submit: { block_number: msg.blockNumber, proof: encodeProofPayload(msg.proof) },
      });
    case "SubmitAck":
      return JSON.stringify({ SubmitAck: { block_number: msg.blockNumber } });
    case "Error": {
      const body: Record<string, unknown> = { code: msg.code, message: msg.message };
      if (msg.blockNumber !== undefined) body.block_number = msg.blockNumber;
      return JSON.stringify({ Error: body });
    }
    case "Authenticated":
      return `{"Authenticated":{"token":${JSON.stringify(msg.token)},"message":${
        encodeMessage(msg.message)
      }}}`;
  }
}

/** Parses wire JSON text into a typed message; throws ProtocolError naming what is wrong. */
export function decodeMessage(text: string): ProofData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ProtocolError("malformed_json", `message is not JSON: ${(e as Error).message}`);
  }
  return decodeValue(value);
}

/** Decodes an already-parsed JSON value into a typed message. */
export function decodeValue(value: unknown): ProofData {
  const [tag, body] = variantOf(value);
  switch (tag) {
    case "Request":
      // serde accepts a unit variant both as "Request" and as {"Request":null}
      if (body !== undefined && body !== null) {
        throw new ProtocolError("malformed_message", "Request carries no body");
      }
      return { kind: "Request" };
    case "Response": {
      const o = object(body, "Response");
      const blockNumber = o.block_number === null ? null : blockNumberOf(o.block_number);
      if (o.input !== null && !isPlainObject(o.input)) {
        throw new ProtocolError("malformed_message", "Response.input must be an object or null");
      }
      if ((blockNumber === null) !== (o.input === null)) {
        throw new ProtocolError(
          "malformed_message",
          "Response.block_number and Response.input must be both null or both set",
        );
      }
      return { kind: "Response", blockNumber, input: o.input as WireInput | null };
    }
    case "Submit": {
      const o = object(body, "Submit");
      return {
        kind: "Submit",
        blockNumber: blockNumberOf(o.block_number),
        proof: decodeProofPayload(o.proof),
      };
    }
    case "SubmitAck":
      return {
        kind: "SubmitAck",
        blockNumber: blockNumberOf(object(body, "SubmitAck").block_number),
      };
    case "Error": {
      const o = object(body, "Error");
      const code = (ERROR_CODES as readonly unknown[]).includes(o.code)
        ? o.code as ErrorCode
        : "internal";
      if (typeof o.message !== "string") {
        throw new ProtocolError("malformed_message", "Error.message must be a string");
      }
      const msg: ErrorMsg = { kind: "Error", code, message: o.message };
      return o.block_number === undefined
        ? msg
        : { ...msg, blockNumber: blockNumberOf(o.block_number) };
    }
    case "Authenticated": {
      const o = object(body, "Authenticated");
      if (typeof o.token !== "string") {
        throw new ProtocolError("malformed_message", "Authenticated.token must be a string");
      }
      const inner = decodeValue(o.message);
      if (inner.kind !== "Request" && inner.kind !== "Submit") {
        throw new ProtocolError(
          "malformed_message",
          `Authenticated wraps a client message (Request or Submit), not ${inner.kind}`,
        );
      }
      return { kind: "Authenticated", token: o.token, message: inner };
    }
    default:
      throw new ProtocolError(
        "unknown_variant",
        `unknown variant '${tag}' (expected Request, Response, Submit, SubmitAck, Error or Authenticated)`,
      );
  }
}

function variantOf(value: unknown): [string, unknown] {
  if (typeof value === "string") return [value, undefined];
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) return [keys[0], value[keys[0]]];
    throw new ProtocolError(
      "malformed_message",
      `an externally tagged message has exactly one key, found ${keys.length}`,
    );
  }
  throw new ProtocolError("malformed_message", "a message is a string or a one-key object");
}

function object(body: unknown, variant: string): Record<string, unknown> {
  if (!isPlainObject(body)) {
    throw new ProtocolError("malformed_message", `${variant} body must be an object`);
  }
  return body;
}

function blockNumberOf(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_BLOCK) {
    throw new ProtocolError("malformed_message", `block_number must be a non-negative integer`);
  }
  return v;
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
