import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('docs/idempotency.md', () => {
  it('shows the property-test recipe exactly as the file that runs in the suite', () => {
    const recipe = read('docs/examples/idempotent-prestop/handler.property.test.ts');

    expect(read('docs/idempotency.md')).toContain(`\`\`\`ts\n${recipe}\`\`\``);
  });
});
