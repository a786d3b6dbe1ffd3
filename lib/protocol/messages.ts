/**
 * The ProofData wire protocol (DESIGN §4): serde-style externally tagged JSON, compatible in form
 * with ethrex's prover server. This module is the one place that knows the wire format: every
 * message is decoded into a typed value here, once, and encoded back here.
 */
import { decodeProofPayload, encodeProofPayload, type ProofPayload } from "./proof.ts";
import { ProtocolError } from "./errors.ts";

/** The input of a batch, as the prover input JSON (DESIGN §1, version 2), kept opaque here. */
export type WireInput = Readonly<Record<string, unknown>>;

/** Client asks for work. Serialised as the bare string `"Request"` (a serde unit variant). */
export interface RequestMsg {
  readonly kind: "Request";
}

/** Server hands out a batch (its number and block range), or `null`s when it has no work. */
export interface ResponseMsg {
  readonly kind: "Response";
  readonly batchNumber: number | null;
  readonly firstBlock: number | null;
  readonly lastBlock: number | null;
  readonly input: WireInput | null;
  /**
   * The input already serialised (the server prepares it ahead of demand so a Request never
   * re-serialises a large input). When set, it wins over `input` on encode.
   */
  readonly inputJson?: string;
}

/** Client submits the proof of a batch it was handed. */
export interface SubmitMsg {
  readonly kind: "Submit";
  readonly batchNumber: number;
  readonly proof: ProofPayload;
}

/** Server stored the proof (durably) of `batchNumber`. */
export interface SubmitAckMsg {
  readonly kind: "SubmitAck";
  readonly batchNumber: number;
}

/** Why a client could not prove a batch, when no retry of the same input can help. */
export const FAILURE_KINDS = ["invalid_block", "bad_input"] as const;
/** One of {@link FAILURE_KINDS}: the host's exit 3 (invalid block) or exit 2 (bad input). */
export type FailureKind = typeof FAILURE_KINDS[number];

/**
 * Client reports a deterministic failure of a batch it was handed (the host rejected the block or
 * the input). The server counts these; enough independent ones mark the batch unprovable.
 */
export interface ProveFailedMsg {
  readonly kind: "ProveFailed";
  readonly batchNumber: number;
  readonly failure: FailureKind;
  /** The host's stable error code, e.g. `StateRootMismatch`. */
  readonly code: string;
  readonly message: string;
}

/** Server took a failure report; `unprovable` when the batch is now set aside for good. */
export interface FailureAckMsg {
  readonly kind: "FailureAck";
  readonly batchNumber: number;
  readonly unprovable: boolean;
}

/** Server refuses a message; `code` is stable and machine-readable, `message` is for operators. */
export interface ErrorMsg {
  readonly kind: "Error";
  readonly code: ErrorCode;
  readonly message: string;
  readonly batchNumber?: number;
}

/** A message wrapped with the server's auth token (see docs/protocol.md, "Authentication"). */
export interface AuthenticatedMsg {
  readonly kind: "Authenticated";
  readonly token: string;
  readonly message: ClientMessage;
}

/** What a client sends. */
export type ClientMessage = RequestMsg | SubmitMsg | ProveFailedMsg;
/** What a server answers. */
export type ServerMessage = ResponseMsg | SubmitAckMsg | FailureAckMsg | ErrorMsg;
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
  "unknown_batch",
  "journal_mismatch",
  "exec_not_accepted",
  "verification_failed",
  "verifier_unavailable",
  "store_failed",
  "internal",
] as const;
/** One of {@link ERROR_CODES}. */
export type ErrorCode = typeof ERROR_CODES[number];

/** The largest number the wire carries exactly (JSON numbers are doubles). */
const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

/** Serialises a message to its wire JSON text. */
export function encodeMessage(msg: ProofData): string {
  switch (msg.kind) {
    case "Request":
      return '"Request"';
    case "Response": {
      const input = msg.inputJson ?? JSON.stringify(msg.input);
      // String concatenation keeps a prepared multi-megabyte input from being parsed again.
      return `{"Response":{"batch_number":${JSON.stringify(msg.batchNumber)},"first_block":${
        JSON.stringify(msg.firstBlock)
      },"last_block":${JSON.stringify(msg.lastBlock)},"input":${input}}}`;
    }
    case "Submit":
      return JSON.stringify({
        Submit: { batch_number: msg.batchNumber, proof: encodeProofPayload(msg.proof) },
      });
    case "SubmitAck":
      return JSON.stringify({ SubmitAck: { batch_number: msg.batchNumber } });
    case "ProveFailed":
      return JSON.stringify({
        ProveFailed: {
          batch_number: msg.batchNumber,
          failure: msg.failure,
          code: msg.code,
          message: msg.message,
        },
      });
    case "FailureAck":
      return JSON.stringify({
        FailureAck: { batch_number: msg.batchNumber, unprovable: msg.unprovable },
      });
    case "Error": {
      const body: Record<string, unknown> = { code: msg.code, message: msg.message };
      if (msg.batchNumber !== undefined) body.batch_number = msg.batchNumber;
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
      const nullable = (v: unknown, f: string) => (v === null ? null : numberOf(v, f));
      const batchNumber = nullable(o.batch_number, "batch_number");
      const firstBlock = nullable(o.first_block, "first_block");
      const lastBlock = nullable(o.last_block, "last_block");
      if (o.input !== null && !isPlainObject(o.input)) {
        throw new ProtocolError("malformed_message", "Response.input must be an object or null");
      }
      const set = [batchNumber, firstBlock, lastBlock, o.input].map((v) => v !== null);
      if (set.some((s) => s !== set[0])) {
        throw new ProtocolError(
          "malformed_message",
          "Response.batch_number, first_block, last_block and input must be all null or all set",
        );
      }
      if (firstBlock !== null && lastBlock !== null && lastBlock < firstBlock) {
        throw new ProtocolError("malformed_message", "Response.last_block is below first_block");
      }
      return {
        kind: "Response",
        batchNumber,
        firstBlock,
        lastBlock,
        input: o.input as WireInput | null,
      };
    }
    case "Submit": {
      const o = object(body, "Submit");
      return {
        kind: "Submit",
        batchNumber: numberOf(o.batch_number, "batch_number"),
        proof: decodeProofPayload(o.proof),
      };
    }
    case "SubmitAck":
      return {
        kind: "SubmitAck",
        batchNumber: numberOf(object(body, "SubmitAck").batch_number, "batch_number"),
      };
    case "ProveFailed": {
      const o = object(body, "ProveFailed");
      if (!(FAILURE_KINDS as readonly unknown[]).includes(o.failure)) {
        throw new ProtocolError(
          "malformed_message",
          `ProveFailed.failure must be one of ${FAILURE_KINDS.join(", ")}`,
        );
      }
      if (typeof o.code !== "string" || typeof o.message !== "string") {
        throw new ProtocolError("malformed_message", "ProveFailed.code and .message are strings");
      }
      return {
        kind: "ProveFailed",
        batchNumber: numberOf(o.batch_number, "batch_number"),
        failure: o.failure as FailureKind,
        code: o.code.slice(0, 200),
        message: o.message.slice(0, 2000),
      };
    }
    case "FailureAck": {
      const o = object(body, "FailureAck");
      if (typeof o.unprovable !== "boolean") {
        throw new ProtocolError("malformed_message", "FailureAck.unprovable must be a boolean");
      }
      return {
        kind: "FailureAck",
        batchNumber: numberOf(o.batch_number, "batch_number"),
        unprovable: o.unprovable,
      };
    }
    case "Error": {
      const o = object(body, "Error");
      const code = (ERROR_CODES as readonly unknown[]).includes(o.code)
        ? o.code as ErrorCode
        : "internal";
      if (typeof o.message !== "string") {
        throw new ProtocolError("malformed_message", "Error.message must be a string");
      }
      const msg: ErrorMsg = { kind: "Error", code, message: o.message };
      return o.batch_number === undefined
        ? msg
        : { ...msg, batchNumber: numberOf(o.batch_number, "batch_number") };
    }
    case "Authenticated": {
      const o = object(body, "Authenticated");
      if (typeof o.token !== "string") {
        throw new ProtocolError("malformed_message", "Authenticated.token must be a string");
      }
      const inner = decodeValue(o.message);
      if (inner.kind !== "Request" && inner.kind !== "Submit" && inner.kind !== "ProveFailed") {
        throw new ProtocolError(
          "malformed_message",
          `Authenticated wraps a client message (Request, Submit or ProveFailed), not ${inner.kind}`,
        );
      }
      return { kind: "Authenticated", token: o.token, message: inner };
    }
    default:
      throw new ProtocolError(
        "unknown_variant",
        `unknown variant '${tag}' (expected Request, Response, Submit, SubmitAck, ProveFailed, FailureAck, Error or Authenticated)`,
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

function numberOf(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_NUMBER) {
    throw new ProtocolError("malformed_message", `${field} must be a non-negative integer`);
  }
  return v;
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
