import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INGEST_TRIGGER_KEY } from './ingest-trigger-url';

describe('the ingest web trigger in the manifest', () => {
  it('is declared under the key the admin page asks Forge for, with a dynamic response and this handler', () => {
    const manifest = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
    const block = manifest.slice(manifest.indexOf('webtrigger:'));
    expect(block).toMatch(
      new RegExp(`- key: ${INGEST_TRIGGER_KEY}\\n\\s+function: ingest\\n\\s+response:\\n\\s+type: dynamic`),
    );
    expect(manifest).toMatch(/- key: ingest\n\s+handler: ingest\/ingest-webtrigger\.handler/);
  });
});
