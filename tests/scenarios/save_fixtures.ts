/**
 * Regenerates the prover-input fixtures under tests/fixtures/inputs/ from the scenario suite:
 * `deno run -A tests/scenarios/save_fixtures.ts [chain...]`, a chain being an anvil fork
 * ("default", "prague", "cancun") or "geth:<fork>" (a spec node, no quirks); default: all of
 * them (geth ones when geth is installed). Each kept block is written with the facts a consumer
 * checks it against; index.json keeps the entries of chains not regenerated.
 */
import { encodeProverInput } from "../../lib/input/mod.ts";
import { buildProverInput } from "../../lib/witness/mod.ts";
import { witnessRoots } from "../../lib/witness/verify.ts";
import type { RpcBlock } from "../../lib/rpc/eth.ts";
import { gethBin } from "../../lib/devnet/geth.ts";
import { ScenarioChain } from "./chain.ts";
import { scenariosFor } from "./scenarios.ts";

const OUT = new URL("../fixtures/inputs/", import.meta.url);
/** Inputs bigger than this stay out of the repository. */
const MAX_BYTES = 256 * 1024;

/** geth's fixture chain (a spec node; its busy block is the one of a few Mgas): one fork keeps the set small. */
const GETH = ["geth:osaka"];
const chains = Deno.args.length
  ? Deno.args
  : ["default", "prague", "cancun", ...(gethBin() ? GETH : [])];
await Deno.mkdir(OUT, { recursive: true });
type Entry = Record<string, unknown> & { file: string };
let index: Entry[] = [];
try {
  index = JSON.parse(await Deno.readTextFile(new URL("index.json", OUT)));
} catch { /* a fresh directory */ }
for (const want of chains) {
  const geth = want.startsWith("geth:");
  await using chain = geth
    ? await ScenarioChain.startGeth(want.slice(5))
    : await ScenarioChain.start(want === "default" ? undefined : want);
  // this chain's files go (geth's block numbers differ from run to run), then come back
  const prefix = geth ? `geth-${chain.fork}-` : `${chain.fork}-`;
  const mine = (f: string) => f.startsWith(prefix) && (geth || !f.startsWith("geth-"));
  for (const e of index.filter((e) => mine(e.file))) {
    await Deno.remove(new URL(e.file, OUT)).catch(() => {});
  }
  index = index.filter((e) => !mine(e.file));
  // geth: blob transactions need KZG cell proofs since Osaka (see tests/geth)
  for (const sc of scenariosFor(chain.fork).filter((s) => !geth || s.name !== "blob-tx")) {
    const keep = await sc.run(chain, chain.fork);
    for (const n of keep) {
      const { input, stats } = await buildProverInput(chain.rpc, n);
      const json = encodeProverInput(input);
      if (json.length > MAX_BYTES) {
        console.log(`skip ${chain.fork} ${sc.name} block ${n}: ${json.length} bytes`);
        continue;
      }
      const block = await chain.rpc.request<RpcBlock>("eth_getBlockByNumber", [
        `0x${n.toString(16)}`,
        false,
      ]);
      const parent = await chain.rpc.request<RpcBlock>("eth_getBlockByHash", [
        block.parentHash,
        false,
      ]);
      const roots = await witnessRoots(chain.rpc, n, input);
      if (roots.node !== roots.header) {
        throw new Error(`block ${n}: the witness does not reproduce the node's root`);
      }
      const file = `${prefix}${sc.name}-${n}.json`;
      await Deno.writeTextFile(new URL(file, OUT), json + "\n");
      index.push({
        file,
        node: chain.kind,
        fork: chain.fork,
        scenario: sc.name,
        chainId: input.chainId,
        blockNumber: Number(n),
        blockHash: block.hash,
        parentHash: block.parentHash,
        preStateRoot: parent.stateRoot,
        quirks: input.quirks ?? [],
        // with `quirks` the host must compute postStateRoot (the node's); without, the spec's:
        postStateRoot: block.stateRoot,
        // anvil 1.7.1 keeps zeroed slots and touched empty accounts in its tries: where it does,
        // the executor without quirks computes this root instead and reports StateRootMismatch.
        canonicalPostStateRoot: roots.canonical,
        nodeRootIsCanonical: roots.canonical === roots.header,
        txs: stats.txs,
        gasUsed: stats.gasUsed,
        witness: stats.witness,
      });
      console.log(`wrote ${file} (${json.length} bytes, ${stats.txs} txs, ${stats.gasUsed} gas)`);
    }
  }
}
await Deno.writeTextFile(new URL("index.json", OUT), JSON.stringify(index, null, 1) + "\n");
// the repository's formatter owns JSON layout too
await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", OUT.pathname] }).output();
