/**
 * `up` (what `make run` starts): two real anvils, the contracts, the committer, the server, the
 * proof sender and an exec prover. `--blocks 3` exits 0 with a summary read from the L1
 * contract; SIGINT stops it cleanly; either way no anvil it started is left running.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { allMatches, spawnMain } from "../helpers/procs.ts";

const HOST_BIN = Deno.env.get("ZKVM_HOST_BIN") ?? join(REPO_ROOT, "zkvm/target/release/zkvm-host");
const hostMissing = await Deno.stat(HOST_BIN).then(() => false, () => true);
if (hostMissing) console.log(`SKIP up test: zkvm-host not found at ${HOST_BIN} (make host)`);

const upArgs = async (extra: string[]) => [
  "up",
  "--l1-port",
  "0",
  "--l2-port",
  "0",
  "--backend",
  "exec",
  "--host-bin",
  HOST_BIN,
  "--data-dir",
  await Deno.makeTempDir({ prefix: "e2e-up-" }),
  ...extra,
];

/** The pids of the anvils `up` logged, after checking it logged an L1 and an L2 one. */
function anvilPids(out: string): number[] {
  const pids = allMatches(out, /(L1|L2) anvil at http:\/\/127\.0\.0\.1:\d+ \(pid (\d+)/);
  assert.deepEqual(pids.map((m) => m[1]), ["L1", "L2"], out);
  return pids.map((m) => Number(m[2]));
}

function assertGone(pids: number[], out: string) {
  for (const pid of pids) {
    const alive = (() => {
      try {
        Deno.statSync(`/proc/${pid}`);
        return true;
      } catch {
        return false;
      }
    })();
    assert.equal(alive, false, `anvil pid ${pid} still running after up exited\n${out}`);
  }
}

Deno.test({
  name: "up --blocks 3: batches committed, proved and verified on L1; summary from L1; exit 0",
  ignore: hostMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using up = spawnMain(await upArgs(["--blocks", "3"]));
    const code = await Promise.race([
      up.exited,
      new Promise<number>((_, reject) =>
        setTimeout(
          () => reject(new Error(`up --blocks 3 did not finish:\n${up.output()}`)),
          180_000,
        )
      ),
    ]);
    const out = up.output();
    assert.equal(code, 0, out);
    const summary = /lastVerifiedBatch=(\d+) lastVerifiedBlock=(\d+) \(from L2 block (\d+);/
      .exec(out);
    assert.ok(summary, `no summary line:\n${out}`);
    const [batch, last, genesis] = summary.slice(1).map(Number);
    assert.ok(last - genesis >= 3, `only blocks ${genesis + 1}..${last} verified\n${out}`);
    // BatchesVerified events on L1: the summary's batch is the last one they verified.
    const sent = allMatches(
      out,
      /L1 verified batches (\d+)\.\.(\d+) \(L2 blocks to \d+\) in tx 0x/,
    );
    assert.ok(sent.length > 0, out);
    assert.equal(Number(sent[sent.length - 1][2]), batch, out);
    assert.match(out, /committed batch 1: blocks/);
    assert.match(out, /proof of batch 1 \(blocks \d+\.\.\d+\) verified and stored/);
    assertGone(anvilPids(out), out);
  },
});

Deno.test({
  name: "up stops everything on SIGINT and exits 0",
  ignore: hostMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using up = spawnMain(await upArgs([]));
    await up.waitFor(/L1 verified batches 1\.\./, 180_000);
    up.kill("SIGINT");
    const code = await up.exited;
    const out = up.output();
    assert.equal(code, 0, out);
    assert.match(out, /lastVerifiedBatch=\d+/);
    assertGone(anvilPids(out), out);
  },
});
