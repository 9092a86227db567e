import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** The docs import from the package name (as a user would); the example files, run in the suite before any build, from the barrels in src/. */
const asInDocs = (code: string): string =>
  code.replace(
    /'\.\.\/\.\.\/\.\.\/src(\/\w+)?\/index\.js'/g,
    (_, sub: string | undefined) => `'kube-lifecycle${sub ?? ''}'`,
  );

describe('docs/idempotency.md', () => {
  it('shows the property-test recipe (imports from the package name) exactly as the file that runs in the suite', () => {
    const recipe = asInDocs(read('docs/examples/idempotent-prestop/handler.property.test.ts'));

    expect(read('docs/idempotency.md')).toContain(`\`\`\`ts\n${recipe}\`\`\``);
  });

  it('shows the worked drain service of "Across replicas" (imports from the package name) exactly as the file its test runs', () => {
    const example = asInDocs(read('docs/examples/idempotent-prestop/drain-service.ts'));

    expect(read('docs/idempotency.md')).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
