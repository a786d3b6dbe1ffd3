/**
 * The realistic benchmark blocks (tests/fixtures/perf) verify on the exec backend to the node's
 * post-state root their index records, and are as large as their names say.
 */
import assert from "node:assert/strict";
import { decodeJournal, defaultHostBin, hostBinExists, runHost } from "../../lib/host/mod.ts";
import { loadFixtures } from "../../lib/perf/fixtures.ts";

const DIR = new URL("../fixtures/perf/", import.meta.url).pathname;
const HOST = defaultHostBin();
const reason = hostBinExists(HOST) ? undefined : `no zkvm-host at ${HOST} (make host)`;
if (reason) console.log(`SKIP perf fixtures test: ${reason}`);

interface IndexEntry {
  file: string;
  node: "anvil" | "geth";
  blocks: number[];
  txs: number;
  gasUsed: number;
  postStateRoot: string;
}

Deno.test({
  name:
    "perf fixtures: 1, 10 and 30 Mgas blocks (anvil and geth) and a 10-block batch verify to the node's root",
  ignore: reason !== undefined,
  async fn() {
    const index = JSON.parse(await Deno.readTextFile(`${DIR}/index.json`)) as IndexEntry[];
    const fixtures = await loadFixtures(DIR);
    assert.deepEqual(fixtures.map((f) => `${f.name}.json`).sort(), index.map((e) => e.file).sort());
    for (const node of ["anvil", "geth"] as const) {
      const gasOf = (suffix: string) =>
        index.find((e) => e.node === node && e.file.endsWith(suffix))!.gasUsed;
      assert.ok(gasOf("mix-1m.json") >= 0.8e6 && gasOf("mix-1m.json") < 2e6, node);
      assert.ok(gasOf("mix-10m.json") >= 9e6 && gasOf("mix-10m.json") < 13e6, node);
      assert.ok(
        gasOf("mix-30m.json") >= 30e6,
        `${node}: 30 Mgas block has ${gasOf("mix-30m.json")}`,
      );
    }
    const batch = index.find((e) => e.file.endsWith("batch-10x1m.json"))!;
    assert.equal(batch.blocks.length, 10);
    for (const fx of fixtures) {
      const want = index.find((e) => e.file === `${fx.name}.json`)!;
      // a spec node's blocks are proved under the spec's rules; anvil's with its quirks
      assert.deepEqual(fx.input.quirks ?? [], want.node === "geth" ? [] : ["anvil"], fx.name);
      const r = await runHost({ input: fx.input, backend: "exec", hostBin: HOST });
      const j = decodeJournal(r.journal);
      assert.equal(j.postStateRoot, want.postStateRoot.toLowerCase(), fx.name);
      assert.equal(Number(j.firstBlock), want.blocks[0], fx.name);
      assert.equal(Number(j.lastBlock), want.blocks.at(-1), fx.name);
      assert.equal(r.block.gasUsed, want.gasUsed, fx.name);
    }
  },
});
