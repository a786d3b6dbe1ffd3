/** `execute` as an operator runs it: a real subprocess against a real anvil and zkvm-host. */
import assert from "node:assert/strict";
import { defaultHostBin, hostBinExists } from "../lib/host/mod.ts";
import { witnessRoots } from "../lib/witness/verify.ts";
import { buildProverInput } from "../lib/witness/mod.ts";
import { runMain } from "./helpers/cli.ts";
import { ScenarioChain } from "./scenarios/chain.ts";
import { SCENARIOS } from "./scenarios/scenarios.ts";

const HOST = defaultHostBin();
const haveHost = hostBinExists(HOST);
const FIXTURE = new URL("./fixtures/inputs/bpo1-blockhash-30.json", import.meta.url).pathname;
const env = { ZKVM_HOST_BIN: HOST, NO_COLOR: "1" };

Deno.test("execute: a malformed input file exits 2 with one line naming the field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = JSON.parse(await Deno.readTextFile(FIXTURE));
    bad.witness.state[2] = "0xabc";
    await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify(bad));
    const r = await runMain(["execute", "--input", `${dir}/bad.json`], env);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1);
    assert.match(r.stderr, /^error: prover input: witness\.state\[2\]: expected 0x-prefixed hex/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("execute: no zkvm-host binary exits 4 and says how to get one", async () => {
  const r = await runMain(
    ["execute", "--input", FIXTURE, "--host-bin", "/nonexistent/zkvm-host"],
    env,
  );
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /zkvm-host not runnable at \/nonexistent\/zkvm-host.*cargo build --release -p zkvm-host/,
  );
});

Deno.test("execute: an invalid block exits 3 with the host's error code (--json: one object)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bin = `${dir}/zkvm-host`;
    await Deno.writeTextFile(
      bin,
      `#!/bin/sh\necho '{"event":"error","kind":"invalid_block","code":"GasUsedMismatch","message":"gas used mismatch: header 1 computed 2"}' >&2\nexit 3\n`,
    );
    await Deno.chmod(bin, 0o755);
    const r = await runMain(["execute", "--input", FIXTURE, "--host-bin", bin, "--json"], env);
    assert.equal(r.code, 3);
    const out = JSON.parse(r.stdout);
    assert.equal(out.ok, false);
    assert.equal(out.exitCode, 3);
    assert.deepEqual(out.error, {
      kind: "invalid_block",
      code: "GasUsedMismatch",
      message: "invalid block: GasUsedMismatch: gas used mismatch: header 1 computed 2",
    });
    const human = await runMain(["execute", "--input", FIXTURE, "--host-bin", bin], env);
    assert.equal(human.code, 3);
    assert.match(human.stderr, /^error: invalid block: GasUsedMismatch/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("execute: a block the node does not have exits 2 naming its head", async () => {
  await using anvil = await ScenarioChain.start();
  const r = await runMain(["execute", "--l2-rpc", anvil.anvil.url, "--block", "999"], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /error: block 999 is not on the node \(its latest block is 1\)/);
});

Deno.test({
  name:
    "execute: builds, saves and verifies a block from anvil; --input replays it; --quirks none follows the spec",
  ignore: !haveHost,
  async fn() {
    await using chain = await ScenarioChain.start("prague");
    const storage = SCENARIOS.find((s) => s.name === "storage")!;
    const [filled, cleared] = await storage.run(chain, chain.fork);
    const dir = await Deno.makeTempDir();
    try {
      const saved = `${dir}/input.json`;
      const r = await runMain(
        [
          "execute",
          "--l2-rpc",
          chain.anvil.url,
          "--block",
          String(filled),
          "--json",
          "--save-input",
          saved,
        ],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      const block = await chain.rpc.request<{ hash: string; stateRoot: string }>(
        "eth_getBlockByNumber",
        [`0x${filled.toString(16)}`, false],
      );
      assert.equal(out.ok, true);
      assert.equal(out.blockNumber, Number(filled));
      assert.equal(out.blockHash, block.hash);
      assert.equal(out.postStateRoot, block.stateRoot);
      assert.match(out.preStateRoot, /^0x[0-9a-f]{64}$/);
      assert.equal(out.witness.source, "proofs");
      assert.ok(out.witness.rpc.calls > 0);

      const replay = await runMain(["execute", "--input", saved], env);
      assert.equal(replay.code, 0, replay.stderr);
      assert.match(
        replay.stdout,
        new RegExp(`block ${filled} ${block.hash} .*verified by the exec backend`),
      );
      assert.match(replay.stdout, /post-state root 0x/);

      const latest = await runMain(["execute", "--l2-rpc", chain.anvil.url], env);
      assert.equal(latest.code, 0, latest.stderr);
      assert.match(latest.stdout, new RegExp(`^block ${await chain.head()} `));

      // The clearing block: anvil keeps the zeroed slots, the spec deletes them.
      const { input } = await buildProverInput(chain.rpc, cleared);
      const roots = await witnessRoots(chain.rpc, cleared, input);
      assert.notEqual(roots.canonical, roots.header);
      const spec = await runMain(
        [
          "execute",
          "--l2-rpc",
          chain.anvil.url,
          "--block",
          String(cleared),
          "--quirks",
          "none",
          "--json",
        ],
        env,
      );
      assert.equal(spec.code, 3);
      const checked = await runMain(
        [
          "execute",
          "--l2-rpc",
          chain.anvil.url,
          "--block",
          String(cleared),
          "--check-witness",
          "--json",
        ],
        env,
      );
      assert.equal(checked.code, 0, checked.stderr);
      assert.deepEqual(JSON.parse(checked.stdout).witnessCheck, roots);
      const err = JSON.parse(spec.stdout).error;
      assert.equal(err.code, "StateRootMismatch");
      assert.ok(err.message.includes(roots.canonical), err.message);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
