/** Raw TCP exchanges for hostile-input tests: send exactly these bytes, read whatever comes back. */

/** Options of {@link rawExchange}. */
export interface RawOptions {
  /** Shut down the write half after sending (a well-behaved client does). */
  readonly closeWrite?: boolean;
  /** Close the whole connection right after sending (abrupt disconnect); nothing is read. */
  readonly abort?: boolean;
  /** Send in chunks of this size with `delayMs` between them (a trickling client). */
  readonly chunk?: number;
  readonly delayMs?: number;
}

/** Sends `bytes` to 127.0.0.1:`port` and returns the reply text ("" when none). */
export async function rawExchange(
  port: number,
  bytes: Uint8Array | string,
  opts: RawOptions = {},
): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const chunk = opts.chunk ?? data.length;
    for (let off = 0; off < data.length; off += chunk) {
      try {
        let o = off;
        const end = Math.min(off + chunk, data.length);
        while (o < end) o += await conn.write(data.subarray(o, end));
      } catch {
        break; // the server stopped reading (e.g. too large); its reply may still be there
      }
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    }
    if (opts.abort) return "";
    if (opts.closeWrite ?? true) await conn.closeWrite().catch(() => {});
    const parts: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (;;) {
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch {
        break;
      }
      if (n === null) break;
      parts.push(buf.slice(0, n));
    }
    return new TextDecoder().decode(concat(parts));
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
