import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const functionsDir = new URL('../../src/functions/', import.meta.url);
const main = readFileSync(new URL('../../src/main.ts', import.meta.url), 'utf8');

describe('deployed entry point', () => {
  it('when a file under src/functions registers a trigger, then src/main.ts imports it (else Azure never sees the function)', () => {
    const registering = readdirSync(functionsDir)
      .filter((file) => file.endsWith('.ts'))
      .filter((file) =>
        /\bapp\.(http|timer|serviceBusQueue|get|post|put|patch|deleteRequest)\(/.test(
          readFileSync(new URL(file, functionsDir), 'utf8'),
        ),
      );
    expect(registering.length).toBeGreaterThan(0);
    for (const file of registering) expect(main).toContain(`'./functions/${file.replace(/\.ts$/, '.js')}'`);
  });
});
