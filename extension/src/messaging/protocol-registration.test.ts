import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

/** The message names declared in the contract's protocol map. */
function declaredMessages(): string[] {
  const source = read('./protocol.ts');
  const body = source.slice(source.indexOf('export interface CxplanProtocol {'));
  const block = body.slice(0, body.indexOf('\n}'));
  return [...block.matchAll(/^\s+(\w+)\(/gm)].map((m) => m[1] ?? '');
}

describe('message contract registration', () => {
  const names = declaredMessages();

  it('finds the declared messages', () => {
    expect(names).toContain('captureSelection');
    expect(names.length).toBeGreaterThanOrEqual(7);
  });

  it('has a background handler for every message', () => {
    const handlers = read('../background/message-handlers.ts');
    const missing = names.filter((n) => !handlers.includes(`onMessage('${n}'`));
    expect(missing).toEqual([]);
  });

  it('documents every message in the README', () => {
    const readme = read('../../README.md');
    const missing = names.filter((n) => !readme.includes(`\`${n}`) && !readme.includes(`**\`${n}\`**`));
    expect(missing).toEqual([]);
  });
});
