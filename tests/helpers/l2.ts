/** Small JSON-RPC helpers for driving an anvil L2 in end-to-end tests. */

/** Calls one JSON-RPC method on `url`. */
export async function rpcCall<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Mines exactly `n` new blocks on anvil, each with one value transfer; returns the head. */
export async function mineTransfers(url: string, n: number): Promise<number> {
  const accounts = await rpcCall<string[]>(url, "eth_accounts");
  const head = async () => Number(BigInt(await rpcCall<string>(url, "eth_blockNumber")));
  // anvil's automine may put quickly sent transactions into one block: mine explicitly instead,
  // one second apart (blocks mined within one wall-clock second would share a timestamp, which
  // a header check rightly refuses)
  await rpcCall(url, "evm_setAutomine", [false]);
  await rpcCall(url, "anvil_setBlockTimestampInterval", [1]);
  try {
    const start = await head();
    for (let i = 0; i < n; i++) {
      await rpcCall(url, "eth_sendTransaction", [{
        from: accounts[i % accounts.length],
        to: accounts[(i + 1) % accounts.length],
        value: "0x3b9aca00",
      }]);
      await rpcCall(url, "evm_mine");
    }
    const end = await head();
    if (end !== start + n) throw new Error(`mined ${end - start} blocks, wanted ${n}`);
    return end;
  } finally {
    await rpcCall(url, "anvil_removeBlockTimestampInterval");
    await rpcCall(url, "evm_setAutomine", [true]);
  }
}

/** Block numbers with a stored proof under `dataDir`. */
export async function storedBlocks(dataDir: string): Promise<number[]> {
  const out: number[] = [];
  try {
    for await (const e of Deno.readDir(`${dataDir}/proofs`)) {
      const m = /^batch-(\d+)\.json$/.exec(e.name);
      if (m) out.push(Number(m[1]));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a - b);
}

/** Polls until `dataDir` holds at least `count` proofs (bounded: fails after `timeoutMs`). */
export async function waitForStored(
  dataDir: string,
  count: number,
  timeoutMs = 120_000,
  context: () => string = () => "",
): Promise<number[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const blocks = await storedBlocks(dataDir);
    if (blocks.length >= count) return blocks;
    if (Date.now() > until) {
      throw new Error(
        `only ${blocks.length}/${count} proofs stored after ${timeoutMs} ms\n${context()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
