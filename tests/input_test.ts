/** The prover input codec: round trips real fixtures, and every error names its field. */
import assert from "node:assert/strict";
import {
  encodeProverInput,
  InputDecodeError,
  mergeBlockInputs,
  parseAnyInput,
  parseProverInput,
  type ProverInput,
  readProverInput,
  writeProverInput,
} from "../lib/input/mod.ts";

const FIXTURE = new URL("./fixtures/inputs/bpo1-storage-6.json", import.meta.url);

Deno.test("a fixture decodes, and encode/decode round-trips it", async () => {
  const input = await readProverInput(FIXTURE.pathname);
  assert.equal(input.version, 1);
  assert.equal(input.chainId, 31337);
  assert.equal(input.fork, "bpo1");
  assert.ok(input.witness.state.length > 0 && input.witness.headers.length > 0);
  assert.deepEqual(input.quirks, ["anvil"]);
  assert.deepEqual(parseProverInput(encodeProverInput(input)), input);
  assert.deepEqual(parseProverInput(JSON.parse(encodeProverInput(input))), input);
});

Deno.test("writeProverInput writes a file readProverInput reads back", async () => {
  const input = await readProverInput(FIXTURE.pathname);
  const dir = await Deno.makeTempDir();
  try {
    await writeProverInput(`${dir}/in.json`, input);
    assert.deepEqual(await readProverInput(`${dir}/in.json`), input);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("encoding is canonical: lowercase hex, no quirks field when there are none", () => {
  const input: ProverInput = {
    version: 1,
    chainId: 1,
    fork: "prague",
    block: "0xC0",
    witness: { state: ["0xAB"], codes: [], keys: [], headers: ["0xC0"] },
  };
  const json = encodeProverInput(input);
  assert.equal(
    json,
    '{"version":1,"chainId":1,"fork":"prague","block":"0xc0","witness":{"state":["0xab"],"codes":[],"keys":[],"headers":["0xc0"]}}',
  );
});

function base(): Record<string, unknown> {
  return {
    version: 1,
    chainId: 31337,
    fork: "prague",
    block: "0xc0",
    witness: { state: [], codes: [], keys: [], headers: ["0xc0"] },
  };
}

const BAD: [string, (j: Record<string, unknown>) => unknown, RegExp][] = [
  ["not JSON", () => "{", /^prover input: \$: not JSON/],
  ["not an object", () => [], /\$: expected an object/],
  ["version 3", (j) => ({ ...j, version: 3 }), /version: unsupported version 3/],
  ["version 2 without blocks", (j) => ({ ...j, version: 2 }), /blocks: expected an array/],
  ["chain id as string", (j) => ({ ...j, chainId: "1" }), /chainId: expected a positive integer/],
  ["fork in capitals", (j) => ({ ...j, fork: "Prague" }), /fork: expected a lowercase fork name/],
  ["odd hex block", (j) => ({ ...j, block: "0xc" }), /block: expected 0x-prefixed hex/],
  ["empty block", (j) => ({ ...j, block: "0x" }), /block: is empty/],
  ["no witness", (j) => ({ ...j, witness: undefined }), /witness: expected an object/],
  [
    "bad state node",
    (j) => ({ ...j, witness: { ...(j.witness as object), state: ["0xab", "zz"] } }),
    /witness\.state\[1\]: expected 0x-prefixed hex/,
  ],
  [
    "codes not a list",
    (j) => ({ ...j, witness: { ...(j.witness as object), codes: "0x" } }),
    /witness\.codes: expected an array/,
  ],
  [
    "no headers",
    (j) => ({ ...j, witness: { ...(j.witness as object), headers: [] } }),
    /witness\.headers: must hold at least the parent header/,
  ],
  [
    "bad quirk",
    (j) => ({ ...j, quirks: ["anvil", "no spaces"] }),
    /quirks\[1\]: expected a quirk name/,
  ],
];

for (const [what, mutate, message] of BAD) {
  Deno.test(`decode error names the field: ${what}`, () => {
    const v = mutate(base());
    assert.throws(() => parseProverInput(v), (e: unknown) => {
      assert.ok(e instanceof InputDecodeError);
      assert.match(e.message, message);
      return true;
    });
  });
}

Deno.test("keys may be absent (the executor does not need them)", () => {
  const j = base();
  delete (j.witness as Record<string, unknown>).keys;
  assert.deepEqual(parseProverInput(j).witness.keys, []);
});

Deno.test("mergeBlockInputs: blocks in order, one deduplicated witness, version 2 round-trips", async () => {
  const dir = new URL("./fixtures/inputs/", import.meta.url).pathname;
  const a = await readProverInput(`${dir}prague-storage-5.json`);
  const b = await readProverInput(`${dir}prague-storage-6.json`);
  const batch = mergeBlockInputs([a, b]);
  assert.equal(batch.version, 2);
  assert.deepEqual(batch.blocks, [a.block, b.block]);
  const union = new Set([...a.witness.state, ...b.witness.state].map((x) => x.toLowerCase()));
  assert.equal(batch.witness.state.length, union.size);
  assert.ok(batch.witness.headers.includes(a.witness.headers[0]), "the first block's parent");
  assert.deepEqual(parseAnyInput(encodeProverInput(batch)), batch);
  assert.throws(() => parseProverInput(encodeProverInput(batch)), /expected a version-1/);
  assert.throws(() => mergeBlockInputs([a, { ...b, chainId: 1 }]), /blocks\[1\]: chain id/);
  assert.throws(() => mergeBlockInputs([]), /at least one block/);
});
