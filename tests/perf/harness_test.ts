/**
 * perf-test's runs are the execute use case: a fixture verifies with the block's figures, a broken
 * one fails with the very message `execute` gives for that input, and a missing backend ends the
 * run with BackendUnavailableError (on which the command falls back to its next plan).
 */
import assert from "node:assert/strict";
import { executeBlock } from "../../lib/execute/execute_block.ts";
import { BackendUnavailableError, defaultHostBin, hostBinExists } from "../../lib/host/mod.ts";
import { type Fixture, loadFixtures } from "../../lib/perf/fixtures.ts";
import { runPerf } from "../../lib/perf/harness.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

const DIR = new URL("../fixtures/inputs/", import.meta.url).pathname;
const HOST = defaultHostBin();
const reason = hostBinExists(HOST) ? undefined : `no zkvm-host at ${HOST} (make host)`;
if (reason) console.log(`SKIP perf harness test: ${reason}`);

const plan = { backend: "exec", devMode: true, hostBin: HOST, repeat: 2 } as const;

Deno.test({
  name: "perf runs a fixture through executeBlock: verified figures, execute's failure message",
  ignore: reason !== undefined,
  async fn() {
    const [fx] = await loadFixtures(DIR, /^bpo1-storage-5$/);
    assert.ok(fx, "fixture bpo1-storage-5");
    const { log } = memoryLogger();

    const [ok] = await runPerf([fx], plan, log);
    assert.equal(ok.ok, true, ok.error ?? "");
    assert.equal(ok.blockNumber, 5);
    assert.equal(ok.wallMsRuns?.length, 2);
    assert.ok((ok.gas ?? 0) > 0);

    // the witness without its state nodes: the host must reject the block
    const input = fx.input.version === 1 ? fx.input : assert.fail("a one-block fixture");
    const broken: Fixture = {
      ...fx,
      name: "broken",
      input: { ...input, witness: { ...input.witness, state: input.witness.state.slice(1) } },
    };
    const [bad] = await runPerf([broken], plan, log);
    assert.equal(bad.ok, false);
    const asExecute = await executeBlock({
      source: { kind: "input", input: broken.input },
      backend: "exec",
      devMode: true,
      hostBin: HOST,
      log,
    });
    assert.ok("failure" in asExecute);
    assert.equal(asExecute.failure.kind, "invalid_block");
    assert.equal(bad.error, asExecute.failure.message);
  },
});

Deno.test("perf without a host binary stops with BackendUnavailableError", async () => {
  const [fx] = await loadFixtures(DIR, /^bpo1-empty-block-41$/);
  const { log } = memoryLogger();
  await assert.rejects(
    runPerf([fx], { ...plan, hostBin: "/nonexistent/zkvm-host" }, log),
    BackendUnavailableError,
  );
});
