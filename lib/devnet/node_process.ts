/**
 * The start-up wait shared by the local node harnesses (anvil, geth): a spawned node is ready once
 * it printed its port and answers JSON-RPC there; it failed when it exits first or stays silent
 * past the deadline. On failure the node is stopped, so nothing outlives a failed start.
 */

/** What {@link untilListening} watches. */
export interface StartingNode {
  /** For error messages: "anvil", "geth". */
  readonly name: string;
  readonly child: Deno.ChildProcess;
  /** Resolves with the port once the node printed it. */
  readonly portSeen: Promise<number>;
  /** Everything the node printed so far. */
  readonly output: () => string;
  /** Stops the node (by PID); called when the start fails. */
  readonly stop: () => Promise<void>;
  readonly timeoutMs: number;
}

/** Waits until the node listens and answers RPC on 127.0.0.1; returns its URL and port. */
export async function untilListening(n: StartingNode): Promise<{ url: string; port: number }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`${n.name} did not start within ${n.timeoutMs} ms; output:\n${n.output()}`),
        ),
      n.timeoutMs,
    );
  });
  const exited = n.child.status.then((s) => {
    throw new Error(
      `${n.name} exited with code ${s.code} before listening; output:\n${n.output()}`,
    );
  });
  try {
    const port = await Promise.race([n.portSeen, timeout, exited]);
    const url = `http://127.0.0.1:${port}`;
    await Promise.race([waitForRpc(url), timeout, exited]);
    return { url, port };
  } catch (e) {
    await n.stop();
    throw e;
  } finally {
    clearTimeout(timer);
    exited.catch(() => {});
  }
}

async function waitForRpc(url: string): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      const ok = res.ok;
      await res.body?.cancel();
      if (ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
}

let setsidBin: string | null | undefined;

/**
 * Spawns a node with piped output. `ownSession`: in a session of its own (util-linux `setsid`,
 * which execs in place, so the PID is the node's), so a terminal's Ctrl-C reaches only the parent,
 * which then stops its nodes in order (state dumped, nothing reading a node already gone).
 */
export function spawnNode(bin: string, args: readonly string[], ownSession = false) {
  if (ownSession && setsidBin === undefined) {
    setsidBin = ["/usr/bin/setsid", "/bin/setsid"].find((p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    }) ?? null;
  }
  const [cmd, argv] = ownSession && setsidBin ? [setsidBin, [bin, ...args]] : [bin, [...args]];
  return new Deno.Command(cmd, { args: argv, stdout: "piped", stderr: "piped", stdin: "null" })
    .spawn();
}

/** What {@link superviseNode} gives a harness: the port once printed, the output, a stop. */
export interface SupervisedNode {
  readonly portSeen: Promise<number>;
  readonly output: () => string;
  /** SIGTERM, then SIGKILL after `stopTimeoutMs`; waits for the exit; runs `afterStop` once. */
  readonly stop: () => Promise<void>;
}

/**
 * Watches a spawned node: keeps the tail of its output, resolves the port from the first line
 * `listening` matches (its group 1), and stops it by its PID.
 */
export function superviseNode(
  child: Deno.ChildProcess,
  listening: RegExp,
  stopTimeoutMs: number,
  afterStop?: () => Promise<void>,
): SupervisedNode {
  let out = "";
  const decoder = new TextDecoder();
  let resolvePort: (p: number) => void;
  const portSeen = new Promise<number>((r) => (resolvePort = r));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      out += decoder.decode(chunk, { stream: true });
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = listening.exec(out);
      if (m) resolvePort(Number(m[1]));
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]).catch(() => {});
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
    }, stopTimeoutMs);
    await child.status;
    clearTimeout(timer);
    await pumps;
    await afterStop?.();
  };
  return { portSeen, output: () => out, stop };
}
