import { BODY_LIMITS, bodyLimitOf, DEFAULT_BODY_LIMIT, LARGEST_BODY_LIMIT } from '@shared/api/body-limits';
import { METHODS } from '@shared/api/methods';
import { paramSchemas } from '@shared/api/schemas';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

type Schema = {
  type?: string | string[];
  maxLength?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
};

/** Characters of bounded strings a params object can hold at most (unbounded ones cannot be counted). */
function boundedChars(schema: Schema): number {
  if (schema.anyOf) return Math.max(0, ...schema.anyOf.map(boundedChars));
  if (schema.type === 'string') return schema.maxLength ?? 0;
  if (schema.type === 'array' && schema.items) return (schema.maxItems ?? 0) * boundedChars(schema.items);
  if (schema.properties) return Object.values(schema.properties).reduce((n, p) => n + boundedChars(p), 0);
  return 0;
}

describe('request body limits', () => {
  it('fit the largest strings every method accepts, even with each character escaped as \\uXXXX', () => {
    const bounce = z.toJSONSchema(paramSchemas['bounces.analyze'], { io: 'input' }) as Schema;
    expect(boundedChars(bounce)).toBe(12 * 1024 * 1024);
    for (const method of METHODS) {
      const schema = z.toJSONSchema(paramSchemas[method], { io: 'input', unrepresentable: 'any' }) as Schema;
      const worstCase = boundedChars(schema) * 6;
      expect(bodyLimitOf(method), method).toBeGreaterThan(worstCase);
    }
  });

  it('give bounces.analyze and suppressions.import their own limits and everything else 1 MiB', () => {
    expect(Object.keys(BODY_LIMITS).sort()).toEqual(['bounces.analyze', 'suppressions.import']);
    expect(bodyLimitOf('bounces.analyze')).toBe(12 * 1024 * 1024 * 6 + 64 * 1024);
    expect(bodyLimitOf('suppressions.import')).toBe(LARGEST_BODY_LIMIT);
    expect(bodyLimitOf('connections.list')).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitOf('no.such.method')).toBe(DEFAULT_BODY_LIMIT);
  });
});
