// Validates requests with TypeBox's compiler: bodies exactly as sent, query strings and params converted first.
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';

/** One schema violation as Fastify carries it on `error.validation`. */
export interface SchemaViolation {
  instancePath: string;
  message: string;
  keyword: string;
  params: Record<string, unknown>;
}

const REASONS: Partial<Record<ValueErrorType, string>> = {
  [ValueErrorType.ObjectRequiredProperty]: 'is required',
  [ValueErrorType.ObjectAdditionalProperties]: 'is not a known field',
};

/** Text that reads as a number exactly: no `1.5` for an integer, no `true`, `0x10` or blank for either. */
const NUMBER_TEXT = { integer: /^[+-]?\d+$/, number: /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/ } as const;

/**
 * Converts query or path text to the schema's types. TypeBox's own conversion truncates `1.5` to 1 and reads
 * `true` as 1, so a numeric field whose text is not a number of its type is left as text and then fails the check.
 */
function convertText(schema: TSchema, input: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties;
  // Value.Convert converts in place, so the texts are read before it runs.
  const texts = input && typeof input === 'object' ? { ...(input as Record<string, unknown>) } : {};
  const converted = Value.Convert(schema, input);
  if (!properties || !converted || typeof converted !== 'object') return converted;
  const out = converted as Record<string, unknown>;
  for (const [name, property] of Object.entries(properties)) {
    const pattern = property.type === 'integer' || property.type === 'number' ? NUMBER_TEXT[property.type] : undefined;
    const text = texts[name];
    if (pattern && typeof text === 'string' && !pattern.test(text)) out[name] = text;
  }
  return converted;
}

/**
 * A Fastify validator compiler. Bodies are not coerced: `"recurringCount": "3"` is a wrong type, not 3.
 * Query strings and path params arrive as text, so they are converted to the schema's types first.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const convert = httpPart !== 'body';
  return (input: unknown) => {
    const value = convert ? convertText(schema, input) : input;
    if (check.Check(value)) return { value };
    const seen = new Set<string>();
    const violations: SchemaViolation[] = [];
    for (const error of check.Errors(value)) {
      // One reason per field: TypeBox may report "required" and then "expected object" for the same path.
      if (seen.has(error.path)) continue;
      seen.add(error.path);
      const described = (error.schema as { description?: string }).description;
      const reason =
        REASONS[error.type] ??
        (error.type === ValueErrorType.Union && described
          ? `must be ${described}`
          : error.message.replace(/^Expected/, 'expected'));
      violations.push({
        instancePath: error.path,
        message: reason,
        keyword: ValueErrorType[error.type] ?? 'schema',
        params: {},
      });
    }
    return { error: violations as unknown as Error };
  };
};

/** `/plan/amount` → `plan.amount`; `/customerTokens/0` → `customerTokens[0]`; the root → `part`. */
export function fieldName(instancePath: string, part: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments.length === 0) return part;
  return segments.reduce((name, s) => (/^\d+$/.test(s) ? `${name}[${s}]` : name ? `${name}.${s}` : s), '');
}
