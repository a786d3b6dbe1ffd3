/**
 * The client asks zkvm-host for the receipt L1 verifies: with RISC0_DEV_MODE=0 a Groth16 receipt,
 * so a host that cannot wrap one (no recursion programs) stops before proving and the client
 * stops with the host's own reason. A stand-in host records its arguments and refuses as a real
 * offline build does (exit 4, RecursionUnavailable).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hostProver } from "../../lib/client/host_prover.ts";
import { FatalProverError } from "../../lib/client/client.ts";

const INPUT = new URL("../fixtures/inputs/cancun-transfers-2.json", import.meta.url);

async function standInHost(dir: string): Promise<{ bin: string; argsFile: string }> {
  const bin = join(dir, "zkvm-host");
  const argsFile = join(dir, "args.txt");
  await Deno.writeTextFile(
    bin,
    `#!/bin/sh\necho "$@" > '${argsFile}'\n` +
      `echo '{"event":"error","kind":"BackendUnavailable","code":"RecursionUnavailable",` +
      `"message":"this zkvm-host has no recursion programs: build it online"}' >&2\nexit 4\n`,
    { mode: 0o755 },
  );
  return { bin, argsFile };
}

for (const devMode of [false, true]) {
  Deno.test(`host prover: RISC0_DEV_MODE=${devMode ? 1 : 0} asks for ${devMode ? "no" : "a groth16"} receipt`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const { bin, argsFile } = await standInHost(dir);
      const prove = hostProver({ backend: "risc0", devMode, hostBin: bin });
      const job = {
        input: JSON.parse(await Deno.readTextFile(INPUT)),
        workDir: join(dir, "work"),
      } as unknown as Parameters<typeof prove>[0];
      const err = await prove(job, { signal: new AbortController().signal, onProgress: () => {} })
        .then(() => undefined, (e) => e);
      assert.ok(err instanceof FatalProverError, `expected a fatal error, got ${err}`);
      assert.match(err.message, /recursion programs/);
      const args = await Deno.readTextFile(argsFile);
      if (devMode) assert.doesNotMatch(args, /--receipt/);
      else assert.match(args, /--receipt groth16/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
