/**
 * Value parsers for configuration: each turns one raw string (from a flag, the environment or
 * the .env file) into a typed value, or throws a ParseError that says what is wrong.
 */
import { ParseError } from "./errors.ts";

/** Parses one raw setting value into T; `expected` describes the accepted form for errors and help. */
export interface Parser<T> {
  readonly expected: string;
  parse(raw: string): T;
}

/** A 0x-prefixed 20-byte hex address. */
export type Address = `0x${string}`;
/** A 0x-prefixed 32-byte hex private key. */
export type PrivateKey = `0x${string}`;

/** Any non-empty string. */
export const text: Parser<string> = {
  expected: "a non-empty string",
  parse(raw) {
    if (raw.trim() === "") throw new ParseError("is empty");
    return raw;
  },
};

/** An integer within [min, max]. */
export function integer(min = 0, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return {
    expected: `an integer from ${min} to ${max}`,
    parse(raw) {
      const s = raw.trim();
      if (!/^-?\d+$/.test(s)) throw new ParseError(`'${raw}' is not an integer`);
      const n = Number(s);
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new ParseError(`${s} is out of range`);
      }
      return n;
    },
  };
}

/** A TCP port, 1-65535 (0 allowed when `allowZero`, meaning "pick a free one"). */
export function port(allowZero = false): Parser<number> {
  const inner = integer(allowZero ? 0 : 1, 65535);
  return { expected: `a TCP port (${allowZero ? 0 : 1}-65535)`, parse: (raw) => inner.parse(raw) };
}

/** An IPv4/IPv6 literal or a host name to listen on or connect to. */
export const host: Parser<string> = {
  expected: "an IP address or host name, e.g. 127.0.0.1",
  parse(raw) {
    const s = raw.trim();
    if (!/^[A-Za-z0-9.\-:\[\]]+$/.test(s)) throw new ParseError(`'${raw}' is not a host`);
    return s.replace(/^\[(.*)\]$/, "$1");
  },
};

/** A `host:port` endpoint. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** `host:port` (IPv6 as `[::1]:3000`). */
export const endpoint: Parser<Endpoint> = {
  expected: "host:port, e.g. 127.0.0.1:3000",
  parse(raw) {
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(raw.trim());
    if (!m) throw new ParseError(`'${raw}' is not host:port`);
    return { host: host.parse(m[1]), port: port().parse(m[2]) };
  },
};

/**
 * An http(s) JSON-RPC URL. WebSocket URLs are refused here, once, at the edge: the RPC client
 * speaks JSON-RPC over HTTP only (batches and retries).
 */
export const url: Parser<string> = {
  expected: "an http(s):// URL, e.g. http://127.0.0.1:8545",
  parse(raw) {
    let u: URL;
    try {
      u = new URL(raw.trim());
    } catch {
      throw new ParseError(`'${raw}' is not a URL`);
    }
    if (u.protocol === "ws:" || u.protocol === "wss:") {
      throw new ParseError(
        `'${raw}' is a WebSocket URL; give the node's http(s) JSON-RPC endpoint instead`,
      );
    }
    if (!["http:", "https:"].includes(u.protocol)) {
      throw new ParseError(`'${raw}' has unsupported scheme ${u.protocol}`);
    }
    return raw.trim();
  },
};

/** A 20-byte hex address. */
export const address: Parser<Address> = {
  expected: "a 0x-prefixed 20-byte hex address",
  parse(raw) {
    const s = raw.trim();
    if (!/^0x[0-9a-fA-F]{40}$/.test(s)) throw new ParseError(`'${raw}' is not an address`);
    return s as Address;
  },
};

/** A 0x-prefixed 32-byte hex value (image id, digest), lowercased. */
export const bytes32: Parser<`0x${string}`> = {
  expected: "a 0x-prefixed 32-byte hex value",
  parse(raw) {
    const s = raw.trim().toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(s)) throw new ParseError(`'${raw}' is not 32 bytes of hex`);
    return s as `0x${string}`;
  },
};

/** A 32-byte hex private key; the raw value is never echoed back in errors. */
export const privateKey: Parser<PrivateKey> = {
  expected: "a 0x-prefixed 32-byte hex private key",
  parse(raw) {
    const s = raw.trim();
    const hex = s.startsWith("0x") ? s : `0x${s}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
      throw new ParseError(`value is not a private key (${s.length} characters, not shown)`);
    }
    return hex as PrivateKey;
  },
};

/** A boolean: 1/0, true/false, yes/no, on/off. */
export const boolean: Parser<boolean> = {
  expected: "1 or 0 (true/false)",
  parse(raw) {
    const s = raw.trim().toLowerCase();
    if (["1", "true", "yes", "on"].includes(s)) return true;
    if (["0", "false", "no", "off", ""].includes(s)) return false;
    throw new ParseError(`'${raw}' is not a boolean`);
  },
};

/** One of a fixed set of words. */
export function oneOf<const T extends string>(choices: readonly T[]): Parser<T> {
  return {
    expected: `one of ${choices.join(", ")}`,
    parse(raw) {
      const s = raw.trim() as T;
      if (!choices.includes(s)) throw new ParseError(`'${raw}' is not allowed`);
      return s;
    },
  };
}

/**
 * A quirks choice (lib/witness/quirks.ts): "auto" (the node-identity rule), "none", or a comma
 * separated list of quirk names.
 */
export const quirksChoice: Parser<"auto" | string[]> = {
  expected: "auto, none, or quirk names separated by commas (anvil, sidecarsInBody, …)",
  parse(raw) {
    const s = raw.trim();
    if (s === "auto") return "auto";
    if (s === "none") return [];
    const names = s.split(",").map((q) => q.trim());
    const bad = names.find((q) => !/^[A-Za-z][A-Za-z0-9_-]*$/.test(q));
    if (bad !== undefined) throw new ParseError(`'${bad}' is not a quirk name`);
    return names;
  },
};

/** A duration: plain milliseconds, or a number with ms, s, m or h. */
export const durationMs: Parser<number> = {
  expected: "a duration such as 500ms, 30s, 10m, or plain milliseconds",
  parse(raw) {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(raw.trim());
    if (!m) throw new ParseError(`'${raw}' is not a duration`);
    const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] ?? "ms"]!;
    return Math.round(Number(m[1]) * unit);
  },
};

/** A byte size: plain bytes, or a number with KiB/MiB/GiB (K/M/G accepted too). */
export const byteSize: Parser<number> = {
  expected: "a size such as 64MiB, 512KiB, or plain bytes",
  parse(raw) {
    const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(raw.trim());
    if (!m) throw new ParseError(`'${raw}' is not a size`);
    const unit = (m[2] ?? "b").toLowerCase()[0];
    const mult = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit]!;
    return Math.round(Number(m[1]) * mult);
  },
};

/** A block number or tag. */
export type BlockRef = bigint | "latest";

/** A block number (decimal or 0x-hex) or `latest`. */
export const blockRef: Parser<BlockRef> = {
  expected: "a block number or 'latest'",
  parse(raw) {
    const s = raw.trim();
    if (s === "latest") return "latest";
    if (/^\d+$/.test(s)) return BigInt(s);
    if (/^0x[0-9a-fA-F]+$/.test(s)) return BigInt(s);
    throw new ParseError(`'${raw}' is not a block number`);
  },
};

/** A comma-separated list of `item`s (blanks dropped); at least one. */
export function list<T>(item: Parser<T>): Parser<T[]> {
  return {
    expected: `a comma-separated list of ${item.expected}`,
    parse(raw) {
      const parts = raw.split(",").map((p) => p.trim()).filter((p) => p !== "");
      if (parts.length === 0) throw new ParseError(`'${raw}' is an empty list`);
      return parts.map((p) => item.parse(p));
    },
  };
}
