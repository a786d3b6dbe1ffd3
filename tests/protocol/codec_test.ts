/** Pins every message example of docs/protocol.md to the codec: decode gives the typed value, encode gives the example back. */
import assert from "node:assert/strict";
import { decodeMessage, encodeMessage, type ProofData } from "../../lib/protocol/messages.ts";
import { ProtocolError } from "../../lib/protocol/errors.ts";
import { REPO_ROOT } from "../helpers/cli.ts";

const DOC = await Deno.readTextFile(`${REPO_ROOT}docs/protocol.md`);

/** `<!-- example: name -->` followed by a json code block. */
function examples(): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- example: ([a-z0-9-]+) -->\s*```json\n([\s\S]*?)\n```/g;
  for (const m of DOC.matchAll(re)) out.set(m[1], m[2]);
  return out;
}

const JOURNAL = JSON.parse(examples().get("submit-exec")!).Submit.proof.journal as `0x${string}`;

const EXPECTED: Record<string, ProofData> = {
  "request": { kind: "Request" },
  "response": {
    kind: "Response",
    batchNumber: 3,
    firstBlock: 5,
    lastBlock: 7,
    input: {
      version: 2,
      chainId: 31337,
      fork: "prague",
      blocks: ["0xf90201a0", "0xf90201a1", "0xf90201a2"],
      witness: { state: ["0xf851a0"], codes: [], keys: [], headers: ["0xf90200a0"] },
    },
  },
  "response-none": {
    kind: "Response",
    batchNumber: null,
    firstBlock: null,
    lastBlock: null,
    input: null,
  },
  "submit-exec": {
    kind: "Submit",
    batchNumber: 3,
    proof: {
      backend: "exec",
      mode: "exec",
      imageId: `0x${"00".repeat(32)}`,
      journal: JOURNAL,
      seal: "0xffffffff9f2528517cd0dcf2821cadf892f496a3db3d8ec8c317d6a8d40d351f503c5726",
      receipt: null,
      cycles: null,
      segments: 0,
      provingMs: 41.5,
    },
  },
  "submit-risc0": {
    kind: "Submit",
    batchNumber: 3,
    proof: {
      backend: "risc0",
      mode: "groth16",
      imageId: "0x5f0e2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7",
      journal: JOURNAL,
      seal: "0x73c457ba",
      receipt: { inner: { Groth16: {} } },
      cycles: 1048576,
      segments: 2,
      provingMs: 93500,
    },
  },
  "submit-ack": { kind: "SubmitAck", batchNumber: 3 },
  "prove-failed": {
    kind: "ProveFailed",
    batchNumber: 3,
    failure: "invalid_block",
    code: "StateRootMismatch",
    message: "invalid block: StateRootMismatch: post-state root 0x1c2d… differs from the header's",
  },
  "failure-ack": { kind: "FailureAck", batchNumber: 3, unprovable: false },
  "error-submit": {
    kind: "Error",
    code: "journal_mismatch",
    message: "journal post-state root 0x9f8e… does not match the L2 batch's 0x1c2d…",
    batchNumber: 3,
  },
  "error-message": {
    kind: "Error",
    code: "malformed_json",
    message: "message is not JSON: Unexpected end of JSON input",
  },
  "authenticated": {
    kind: "Authenticated",
    token: "s3cret-token",
    message: { kind: "Request" },
  },
};

Deno.test("docs/protocol.md documents exactly the pinned examples", () => {
  assert.deepEqual([...examples().keys()].sort(), Object.keys(EXPECTED).sort());
});

for (const [name, text] of examples()) {
  Deno.test(`protocol example '${name}' decodes to its typed value and encodes back`, () => {
    const decoded = decodeMessage(text);
    assert.deepEqual(decoded, EXPECTED[name]);
    assert.deepEqual(JSON.parse(encodeMessage(decoded)), JSON.parse(text));
  });
}

Deno.test("every message kind has a documented example", () => {
  const kinds = new Set(Object.values(EXPECTED).map((m) => m.kind));
  for (
    const k of [
      "Request",
      "Response",
      "Submit",
      "SubmitAck",
      "ProveFailed",
      "FailureAck",
      "Error",
      "Authenticated",
    ]
  ) {
    assert.ok(kinds.has(k as ProofData["kind"]), `no example of ${k}`);
  }
});

Deno.test("Request also decodes from the serde object form", () => {
  assert.deepEqual(decodeMessage('{"Request":null}'), { kind: "Request" });
});

Deno.test("a prepared input is spliced into the Response verbatim", () => {
  const text = encodeMessage({
    kind: "Response",
    batchNumber: 7,
    firstBlock: 10,
    lastBlock: 12,
    input: null,
    inputJson: '{"version":1}',
  });
  assert.equal(
    text,
    '{"Response":{"batch_number":7,"first_block":10,"last_block":12,"input":{"version":1}}}',
  );
});

function code(text: string): string {
  try {
    decodeMessage(text);
  } catch (e) {
    assert.ok(e instanceof ProtocolError, `${text}: ${e}`);
    return e.code;
  }
  assert.fail(`'${text}' decoded`);
}

Deno.test("bad messages are refused with a stable code", () => {
  assert.equal(code("{"), "malformed_json");
  assert.equal(code('"Hello"'), "unknown_variant");
  assert.equal(code('{"Prove":{}}'), "unknown_variant");
  assert.equal(code('{"Request":null,"Submit":{}}'), "malformed_message");
  assert.equal(code("42"), "malformed_message");
  assert.equal(code('{"Submit":{"batch_number":-1,"proof":{}}}'), "malformed_message");
  assert.equal(code('{"Submit":{"batch_number":1.5,"proof":{}}}'), "malformed_message");
  assert.equal(code('{"SubmitAck":{}}'), "malformed_message");
  assert.equal(code('{"Response":{"batch_number":3,"input":null}}'), "malformed_message");
  assert.equal(
    code('{"Authenticated":{"token":"t","message":{"SubmitAck":{"batch_number":1}}}}'),
    "malformed_message",
  );
  const submit = JSON.parse(examples().get("submit-exec")!);
  for (
    const [field, value] of [
      ["backend", "sp1"],
      ["journal", "0xabc"],
      ["journal", "nothex"],
      ["seal", 5],
      ["proving_ms", -1],
      ["image_id", "zz"],
      ["mode", ""],
    ] as const
  ) {
    const bad = structuredClone(submit);
    bad.Submit.proof[field] = value;
    assert.equal(code(JSON.stringify(bad)), "malformed_message", `${field}=${value}`);
  }
});
