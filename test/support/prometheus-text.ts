// A strict reader of the Prometheus text exposition format (0.0.4), so tests check what a Prometheus server
// would parse rather than searching for substrings: every line must be a HELP, a TYPE or a sample of a
// family declared before it, label values unescaped, values numbers.

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
}

export interface Sample {
  /** The sample's own name (a histogram's `_bucket`, `_sum` and `_count` included). */
  name: string;
  /** The family it belongs to. */
  family: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  families: Map<string, MetricFamily>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = new RegExp(`\\s*(${LABEL_NAME})="((?:[^"\\\\]|\\\\.)*)"\\s*(,|$)`, 'y');

/** Thrown for a line a Prometheus server would refuse. */
export class ExpositionError extends Error {
  constructor(line: number, reason: string, text: string) {
    super(`line ${line}: ${reason}: ${text}`);
    this.name = 'ExpositionError';
  }
}

/** A value as Prometheus reads it (Go's ParseFloat: NaN and Inf in any case, so prom-client's `Nan` too). */
function parseValue(text: string): number {
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

function parseLabels(text: string, fail: (reason: string) => never): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text);
    if (!m) fail('malformed labels');
    const [, name = '', raw = ''] = m;
    if (name in labels) fail(`label ${name} repeated`);
    labels[name] = raw.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (m[3] === '') break;
  }
  return labels;
}

/** The family a sample name belongs to, given the families declared so far. */
function familyOf(name: string, families: Map<string, MetricFamily>): string | undefined {
  if (families.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const type = families.get(base)?.type;
    if (type === 'histogram' || (type === 'summary' && suffix !== '_bucket')) return base;
  }
  return undefined;
}

/** Parses `text`; throws ExpositionError naming the first line a Prometheus server would refuse. */
export function parseExposition(text: string): Exposition {
  const families = new Map<string, MetricFamily>();
  const samples: Sample[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const fail = (reason: string): never => {
      throw new ExpositionError(index + 1, reason, line);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = new RegExp(`^# (HELP|TYPE) (${NAME}) ?(.*)$`).exec(line);
      if (!m) return; // a plain comment
      const [, keyword, name = '', rest = ''] = m;
      const family = families.get(name) ?? { name, type: 'untyped' as const, help: '' };
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest)) fail(`unknown type ${rest}`);
        if (samples.some((s) => s.family === name)) fail('TYPE after samples of its family');
        family.type = rest as MetricFamily['type'];
      } else {
        family.help = rest;
      }
      families.set(name, family);
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m) fail('not a sample');
    const [, name = '', labelText = '', valueText = ''] = m!;
    const family = familyOf(name, families);
    if (!family) fail(`sample of undeclared family ${name}`);
    const value = parseValue(valueText);
    if (Number.isNaN(value) && !/^nan$/i.test(valueText)) fail(`value ${valueText} is not a number`);
    samples.push({ name, family: family!, labels: parseLabels(labelText, fail), value });
  });
  return { families, samples };
}

/** The samples named `name` whose labels include `labels`. */
export function samplesOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
}

/** The one sample named `name` with exactly `labels`, or 0 when there is none yet (a counter not yet moved). */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const keys = Object.keys(labels).sort().join(',');
  const matching = samplesOf(exposition, name, labels).filter((s) => Object.keys(s.labels).sort().join(',') === keys);
  if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} with ${JSON.stringify(labels)}`);
  return matching[0]?.value ?? 0;
}
