/** A small Prometheus metrics registry: counters, gauges and summaries, rendered as text format 0.0.4. */

type Labels = Readonly<Record<string, string>>;

interface Metric {
  readonly name: string;
  readonly help: string;
  render(): string[];
}

function labelKey(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(
    ",",
  );
}

function sample(name: string, key: string, value: number): string {
  return `${name}${key ? `{${key}}` : ""} ${Number.isFinite(value) ? value : "NaN"}`;
}

/** A monotonically increasing count, optionally split by labels. */
export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}

  /** Adds `by` (default 1) to the series with `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  /** Current value of one series (0 when never incremented). */
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  /** Series keyed by the value of one label (for counters with a single label), e.g. by reason. */
  byLabel(label: string): Record<string, number> {
    const out: Record<string, number> = {};
    const re = new RegExp(`(?:^|,)${label}="((?:[^"\\\\]|\\\\.)*)"`);
    for (const [k, v] of this.values) out[re.exec(k)?.[1] ?? ""] = v;
    return out;
  }

  /** Text-format lines. */
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(sample(this.name, "", 0));
    for (const [k, v] of this.values) lines.push(sample(this.name, k, v));
    return lines;
  }
}

/** A value that goes up and down. */
export class Gauge implements Metric {
  private value = NaN;
  constructor(readonly name: string, readonly help: string) {}

  /** Sets the value. */
  set(v: number): void {
    this.value = v;
  }

  /** Current value (NaN until set). */
  get(): number {
    return this.value;
  }

  /** Text-format lines. */
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      sample(this.name, "", this.value),
    ];
  }
}

/** Sum and count of observations (e.g. durations), so rates and means can be derived. */
export class Summary implements Metric {
  private sum = 0;
  private count = 0;
  private last = NaN;
  constructor(readonly name: string, readonly help: string) {}

  /** Records one observation. */
  observe(v: number): void {
    this.sum += v;
    this.count++;
    this.last = v;
  }

  /** Sum, count, mean and last observation. */
  snapshot(): { sum: number; count: number; mean: number | null; last: number | null } {
    return {
      sum: this.sum,
      count: this.count,
      mean: this.count ? this.sum / this.count : null,
      last: Number.isNaN(this.last) ? null : this.last,
    };
  }

  /** Text-format lines. */
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} summary`,
      sample(`${this.name}_sum`, "", this.sum),
      sample(`${this.name}_count`, "", this.count),
    ];
  }
}

/** A set of metrics rendered together. */
export class Registry {
  private readonly metrics: Metric[] = [];

  /** Registers and returns a counter. */
  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }
  /** Registers and returns a gauge. */
  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }
  /** Registers and returns a summary. */
  summary(name: string, help: string): Summary {
    return this.add(new Summary(name, help));
  }

  /** The Prometheus text exposition of every metric. */
  render(): string {
    return this.metrics.flatMap((m) => m.render()).join("\n") + "\n";
  }

  private add<M extends Metric>(m: M): M {
    if (this.metrics.some((x) => x.name === m.name)) throw new Error(`metric ${m.name} twice`);
    this.metrics.push(m);
    return m;
  }
}
