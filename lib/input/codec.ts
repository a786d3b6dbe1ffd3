/**
 * JSON codec of the prover input: external JSON is decoded into a typed ProverInput once, at the
 * boundary; every error names the offending field.
 */
import type { AnyInput, BatchInput, Hex, ProverInput, Witness } from "./types.ts";

/** The input JSON is not a valid version-1 prover input; `field` is a JSON path such as `witness.state[3]`. */
export class InputDecodeError extends Error {
  override name = "InputDecodeError";
  constructor(readonly field: string, readonly problem: string) {
    super(`prover input: ${field}: ${problem}`);
  }
}

const HEX_RE = /^0x(?:[0-9a-fA-F]{2})*$/;
const FORK_RE = /^[a-z][a-z0-9]*$/;

/** Decodes a version-1 input (JSON text or a parsed value); throws InputDecodeError. */
export function parseProverInput(json: unknown): ProverInput {
  const input = parseAnyInput(json);
  if (input.version !== 1) {
    throw new InputDecodeError("version", "expected a version-1 (single-block) input, got 2");
  }
  return input;
}

/** Decodes either version (JSON text or a parsed value); throws InputDecodeError. */
export function parseAnyInput(json: unknown): AnyInput {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new InputDecodeError("$", `not JSON: ${(e as Error).message}`);
    }
  }
  const root = object(value, "$");
  if (root.version !== 1 && root.version !== 2) {
    throw new InputDecodeError(
      "version",
      `unsupported version ${JSON.stringify(root.version)} (this build reads versions 1 and 2)`,
    );
  }
  const chainId = root.chainId;
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new InputDecodeError("chainId", `expected a positive integer, got ${show(chainId)}`);
  }
  const fork = root.fork;
  if (typeof fork !== "string" || !FORK_RE.test(fork)) {
    throw new InputDecodeError(
      "fork",
      `expected a lowercase fork name such as "prague", got ${show(fork)}`,
    );
  }
  let blocks: Hex[];
  if (root.version === 1) {
    blocks = [hex(root.block, "block")];
    if (blocks[0].length <= 2) throw new InputDecodeError("block", "is empty");
  } else {
    blocks = hexArray(root.blocks, "blocks");
    if (blocks.length === 0) throw new InputDecodeError("blocks", "must hold at least one block");
    blocks.forEach((b, i) => {
      if (b.length <= 2) throw new InputDecodeError(`blocks[${i}]`, "is empty");
    });
  }
  const w = object(root.witness, "witness");
  const witness: Witness = {
    state: hexArray(w.state, "witness.state"),
    codes: hexArray(w.codes, "witness.codes"),
    keys: hexArray(w.keys ?? [], "witness.keys"),
    headers: hexArray(w.headers, "witness.headers"),
  };
  if (witness.headers.length === 0) {
    throw new InputDecodeError("witness.headers", "must hold at least the parent header");
  }
  const quirks = root.quirks === undefined ? undefined : quirkList(root.quirks);
  const rest = quirks?.length ? { chainId, fork, witness, quirks } : { chainId, fork, witness };
  return root.version === 1
    ? { version: 1, block: blocks[0], ...rest }
    : { version: 2, blocks, ...rest };
}

function quirkList(v: unknown): string[] {
  if (!Array.isArray(v)) {
    throw new InputDecodeError("quirks", `expected an array of names, got ${show(v)}`);
  }
  return v.map((q, i) => {
    if (typeof q !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(q)) {
      throw new InputDecodeError(
        `quirks[${i}]`,
        `expected a quirk name such as "anvil", got ${show(q)}`,
      );
    }
    return q;
  });
}

/** Encodes an input (either version) as canonical JSON (fields in DESIGN order, lowercase hex). */
export function encodeProverInput(input: AnyInput): string {
  const lower = (xs: readonly Hex[]) => xs.map((x) => x.toLowerCase());
  return JSON.stringify({
    version: input.version,
    chainId: input.chainId,
    fork: input.fork,
    ...(input.version === 1
      ? { block: input.block.toLowerCase() }
      : { blocks: lower((input as BatchInput).blocks) }),
    witness: {
      state: lower(input.witness.state),
      codes: lower(input.witness.codes),
      keys: lower(input.witness.keys),
      headers: lower(input.witness.headers),
    },
    ...(input.quirks?.length ? { quirks: input.quirks } : {}),
  });
}

/** Reads and decodes a prover input file. */
export async function readProverInput(path: string): Promise<ProverInput> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new InputDecodeError("$", `cannot read '${path}': ${(e as Error).message}`);
  }
  return parseProverInput(text);
}

/** Writes a prover input file atomically (temp file + rename). */
export async function writeProverInput(path: string, input: AnyInput): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, encodeProverInput(input));
  await Deno.rename(tmp, path);
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) {
    throw new InputDecodeError(field, `expected an object, got ${show(v)}`);
  }
  return v as Record<string, unknown>;
}

function hex(v: unknown, field: string): Hex {
  if (typeof v !== "string" || !HEX_RE.test(v)) {
    throw new InputDecodeError(field, `expected 0x-prefixed hex of whole bytes, got ${show(v)}`);
  }
  return v as Hex;
}

function hexArray(v: unknown, field: string): Hex[] {
  if (!Array.isArray(v)) throw new InputDecodeError(field, `expected an array, got ${show(v)}`);
  return v.map((x, i) => hex(x, `${field}[${i}]`));
}

function show(v: unknown): string {
  const s = typeof v === "string"
    ? JSON.stringify(v)
    : v === undefined
    ? "nothing"
    : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
