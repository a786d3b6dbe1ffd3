/**
 * Nodes with debug_executionWitness (reth, geth, ethrex): their witness is used as given. A proxy
 * in front of anvil plays such a node, answering in geth's dialect (JSON headers, nodes as a map)
 * and with debug_getRawBlock, so the normalisation path is pinned.
 */
import assert from "node:assert/strict";
import { fromRlp, type Hex } from "viem";
import { defaultHostBin, hostBinExists, runHost } from "../../lib/host/mod.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { buildProverInput } from "../../lib/witness/mod.ts";
import { witnessRoots } from "../../lib/witness/verify.ts";
import { ScenarioChain } from "../scenarios/chain.ts";
import { SCENARIOS } from "../scenarios/scenarios.ts";

interface Call {
  id: number;
  method: string;
  params: unknown[];
}

Deno.test("a node's own execution witness is used, in geth's dialect too (keys: null)", async () => {
  await using chain = await ScenarioChain.start();
  const [, cleared] = await SCENARIOS.find((s) => s.name === "storage")!.run(chain, chain.fork);
  const { input: ref } = await buildProverInput(chain.rpc, cleared);

  const headerNumbers = ref.witness.headers.map((h) => (fromRlp(h, "hex") as Hex[])[8]);
  const jsonHeaders = await chain.rpc.batch(
    headerNumbers.map((n) => ({
      method: "eth_getBlockByNumber",
      params: [n === "0x" ? "0x0" : n, false],
    })),
  );
  const answer = (c: Call): unknown => {
    if (c.method === "debug_executionWitness") {
      return {
        state: Object.fromEntries(ref.witness.state.map((n, i) => [`k${i}`, n])),
        codes: ref.witness.codes,
        keys: null, // geth's answer (reth and ethrex send a list)
        headers: jsonHeaders,
      };
    }
    if (c.method === "debug_getRawBlock") return ref.block;
    return undefined;
  };
  const seen: string[] = [];
  const proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.json();
    const calls: Call[] = Array.isArray(body) ? body : [body];
    const out = await Promise.all(calls.map(async (c) => {
      seen.push(c.method);
      const mine = answer(c);
      if (mine !== undefined) return { jsonrpc: "2.0", id: c.id, result: mine };
      const res = await fetch(chain.anvil.url, {
        method: "POST",
        body: JSON.stringify(c),
        headers: { "content-type": "application/json" },
      });
      return await res.json();
    }));
    return Response.json(Array.isArray(body) ? out : out[0]);
  });
  try {
    const rpc = new RpcClient(`http://127.0.0.1:${proxy.addr.port}`);
    const { input, stats } = await buildProverInput(rpc, cleared);
    assert.equal(stats.source, "debug_executionWitness");
    assert.equal(stats.blockSource, "debug_getRawBlock");
    assert.ok(!seen.includes("eth_getProof"), "no proofs were asked for");
    assert.deepEqual([...input.witness.state].sort(), [...ref.witness.state].sort());
    assert.deepEqual(input.witness.headers, ref.witness.headers);
    assert.equal(input.block, ref.block);
    assert.deepEqual(input.witness.keys, []);
    // --check-witness without the node's keys: the block's traced touches name what to compare
    const roots = await witnessRoots(rpc, cleared, input);
    assert.equal(roots.node, roots.header);
    if (hostBinExists()) {
      const r = await runHost({ input, backend: "exec", hostBin: defaultHostBin() });
      assert.equal(r.block.number, Number(cleared));
    }
  } finally {
    await proxy.shutdown();
  }
});
