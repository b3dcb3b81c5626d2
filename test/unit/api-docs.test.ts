import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { METHODS } from '@shared/api/methods';
import { paramSchemas } from '@shared/api/schemas';
import { describe, expect, it } from 'vitest';
import { renderApiDocs, renderSettingsDocs } from '../../scripts/api-docs';

describe('the API contract', () => {
  it('has a params schema for every method name and no other', () => {
    expect(Object.keys(paramSchemas).sort()).toEqual([...METHODS].sort());
  });

  it('is documented in docs/api.md exactly as the contract says (run `npm run docs:api` after a change)', () => {
    const committed = readFileSync(resolve(__dirname, '../../docs/api.md'), 'utf8');
    expect(committed).toBe(renderApiDocs());
  });

  it('has every setting documented in docs/settings.md as the schema says', () => {
    const committed = readFileSync(resolve(__dirname, '../../docs/settings.md'), 'utf8');
    expect(committed).toBe(renderSettingsDocs());
  });
});
