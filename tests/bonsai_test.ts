/**
 * The risc0 backend's Bonsai path (BONSAI_API_URL + BONSAI_API_KEY, RISC0_DEV_MODE=0) against a
 * local HTTP server that speaks Bonsai's REST routes. Nothing here fakes a proof: the server's
 * session fails, and the test checks what the host sent (the guest under its image id, the input
 * frame, the API key) and that it reports Bonsai's own error. An invalid block must fail in the
 * host's local execution, before any request reaches Bonsai.
 * Needs zkvm-host built with the bonsai feature (`make host HOST_FEATURES=bonsai`) and the guest;
 * otherwise the cases are skipped with the reason printed.
 */
import assert from "node:assert/strict";
import {
  BackendUnavailableError,
  defaultHostBin,
  hostBinExists,
  HostCrashError,
  type HostError,
  hostImageId,
  InvalidBlockError,
  type ReceiptKind,
  runHost,
} from "../lib/host/mod.ts";
import { parseProverInput, type ProverInput } from "../lib/input/mod.ts";

const FIXTURES = new URL("./fixtures/inputs/", import.meta.url).pathname;
// The anvil fixtures carry quirks, so the host runs (and uploads) the dev guest for them.
const DEV_GUEST = Deno.env.get("ZKVM_DEV_GUEST_PATH") ||
  new URL("../zkvm/guest/out/guest-dev.bin", import.meta.url).pathname;
const API_KEY = "test-key-4d1e";
const BONSAI_ERROR = "session failed on the test server (cycle limit)";

/** What the fake endpoint saw. */
interface Seen {
  requests: string[];
  apiKeys: Set<string | null>;
  imageId?: string;
  image?: Uint8Array;
  input?: Uint8Array;
  session?: Record<string, unknown>;
  polls: number;
}

/** Serves Bonsai's routes on 127.0.0.1: uploads are kept, every session fails after one poll. */
function fakeBonsai(): { url: string; seen: Seen; close: () => Promise<void> } {
  const seen: Seen = { requests: [], apiKeys: new Set(), polls: 0 };
  let base = "";
  const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
  }, async (req: Request): Promise<Response> => {
    const { pathname } = new URL(req.url);
    seen.requests.push(`${req.method} ${pathname}`);
    seen.apiKeys.add(req.headers.get("x-api-key"));
    const json = (v: unknown) => Response.json(v);
    const image = pathname.match(/^\/images\/upload\/([0-9a-f]+)$/);
    if (req.method === "GET" && image) {
      seen.imageId = image[1];
      return json({ url: `${base}/put/image` });
    }
    if (req.method === "PUT" && pathname === "/put/image") {
      seen.image = new Uint8Array(await req.arrayBuffer());
      return new Response(null, { status: 200 });
    }
    if (req.method === "GET" && pathname === "/inputs/upload") {
      return json({ url: `${base}/put/input`, uuid: "input-1" });
    }
    if (req.method === "PUT" && pathname === "/put/input") {
      seen.input = new Uint8Array(await req.arrayBuffer());
      return new Response(null, { status: 200 });
    }
    if (req.method === "POST" && pathname === "/sessions/create") {
      seen.session = await req.json();
      return json({ uuid: "session-1" });
    }
    if (req.method === "GET" && pathname === "/sessions/status/session-1") {
      seen.polls++;
      return json(
        seen.polls === 1
          ? { status: "RUNNING", receipt_url: null, error_msg: null, state: "", stats: null }
          : { status: "FAILED", receipt_url: null, error_msg: BONSAI_ERROR, stats: null },
      );
    }
    return new Response("not found", { status: 404 });
  });
  base = `http://127.0.0.1:${server.addr.port}`;
  return {
    url: base,
    seen,
    close: () => server.shutdown(),
  };
}

/** Why these cases cannot run here, or undefined: a bonsai-less host says BonsaiUnavailable. */
async function bonsaiUnavailable(): Promise<string | undefined> {
  const bin = defaultHostBin();
  if (!hostBinExists(bin)) return `no zkvm-host at ${bin} (make setup)`;
  try {
    await hostImageId();
  } catch {
    return "zkvm-host has no risc0 backend or guest: make guest host-risc0";
  }
  // Nothing listens on port 9; only whether the host says BonsaiUnavailable matters.
  const err = await proveOnBonsai(await loadInput("bpo1-empty-block-41"), "http://127.0.0.1:9");
  return err instanceof BackendUnavailableError && err.info?.code === "BonsaiUnavailable"
    ? "zkvm-host was built without Bonsai: make host HOST_FEATURES=bonsai"
    : undefined;
}

async function loadInput(name: string): Promise<ProverInput> {
  return parseProverInput(await Deno.readTextFile(`${FIXTURES}/${name}.json`));
}

/** A real proof (RISC0_DEV_MODE=0) sent to the Bonsai endpoint at `url`; resolves to its error. */
function proveOnBonsai(
  input: ProverInput,
  url: string,
  receipt?: ReceiptKind,
): Promise<HostError | undefined> {
  return runHost({ input, backend: "risc0", devMode: false, receipt, env: bonsaiEnv(url) })
    .then(() => undefined, (e: HostError) => e);
}

function bonsaiEnv(url: string): Record<string, string> {
  return {
    BONSAI_API_URL: url,
    BONSAI_API_KEY: API_KEY,
    BONSAI_POLL_INTERVAL_MS: "20",
    // The Bonsai client honours proxy variables; the fake endpoint is on loopback.
    NO_PROXY: "127.0.0.1",
    no_proxy: "127.0.0.1",
  };
}

const reason = await bonsaiUnavailable();
if (reason) console.log(`SKIP Bonsai tests: ${reason}`);

Deno.test({
  name: "bonsai: the host uploads the guest and input, opens a session, reports Bonsai's error",
  ignore: reason !== undefined,
  async fn() {
    const bonsai = fakeBonsai();
    try {
      const input = await loadInput("bpo1-empty-block-41");
      const err = await proveOnBonsai(input, bonsai.url, "succinct");
      assert.ok(err instanceof HostCrashError, `expected a host failure, got ${err}`);
      assert.equal(err.info?.code, "BonsaiFailed");
      assert.ok(err.info?.message.includes(BONSAI_ERROR), err.info?.message);

      const { seen } = bonsai;
      assert.deepEqual([...seen.apiKeys], [API_KEY], "every request carries the API key");
      assert.ok((input.quirks ?? []).length > 0, "the fixture is an anvil block (dev guest)");
      assert.equal(
        `0x${seen.imageId}`,
        await hostImageId(undefined, { dev: true }),
        "image uploaded under its image id",
      );
      assert.deepEqual(
        seen.image,
        await Deno.readFile(DEV_GUEST),
        "the uploaded image is the guest",
      );
      // risc0's write_frame: a little-endian u32 length, then the guest's ZKI2-framed input.
      const frame = seen.input!;
      const len = new DataView(frame.buffer, frame.byteOffset).getUint32(0, true);
      assert.equal(len, frame.length - 4);
      assert.equal(new TextDecoder().decode(frame.subarray(4, 8)), "ZKI2");
      assert.equal(seen.session?.img, seen.imageId);
      assert.equal(seen.session?.input, "input-1");
      assert.equal(seen.session?.execute_only, false);
      assert.ok(seen.polls >= 2, "the host polled until the session ended");
    } finally {
      await bonsai.close();
    }
  },
});

Deno.test({
  name: "bonsai: an invalid block fails locally and never reaches Bonsai",
  ignore: reason !== undefined,
  async fn() {
    const bonsai = fakeBonsai();
    try {
      const input = await loadInput("bpo1-transfers-2");
      const broken = { ...input, witness: { ...input.witness, state: [] } };
      const err = await proveOnBonsai(broken, bonsai.url);
      assert.ok(err instanceof InvalidBlockError, `expected an invalid block, got ${err}`);
      assert.equal(err.info?.code, "MissingNode");
      assert.deepEqual(bonsai.seen.requests, [], "no request may reach Bonsai");
    } finally {
      await bonsai.close();
    }
  },
});
