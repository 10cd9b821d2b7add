import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFileKeyHasher, importedEvidenceId } from './import-ids';

describe('createFileKeyHasher', () => {
  it('given any split of the bytes, when hashed chunk by chunk, then the key is the same (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (all, cut) => {
        const at = cut % (all.length + 1);
        const whole = createFileKeyHasher();
        whole.update(all);
        const parts = createFileKeyHasher();
        parts.update(all.slice(0, at));
        parts.update(all.slice(at));
        expect(parts.key()).toBe(whole.key());
      }),
    );
  });

  it('given different contents or sizes, then the keys differ', () => {
    const key = (...chunks: number[][]) => {
      const h = createFileKeyHasher();
      for (const c of chunks) h.update(Uint8Array.from(c));
      return h.key();
    };
    expect(key([1, 2, 3])).not.toBe(key([1, 2, 4]));
    expect(key([0])).not.toBe(key([0, 0]));
    expect(key([])).toBe('811c9dc5-0');
  });
});

describe('importedEvidenceId', () => {
  it('given a response id, then the id keeps it (no hash collision can merge two responses)', () => {
    expect(importedEvidenceId('k-1', { line: 9, responseId: 'R_1Fz8QvK2mXa0bcD', fields: [] })).toBe(
      'imp-k-1-r-R_1Fz8QvK2mXa0bcD',
    );
  });

  it('given a response id with odd characters or a long one, then it is hashed into a safe id', () => {
    const id = importedEvidenceId('k-1', { line: 9, responseId: 'a b/c', fields: [] });
    expect(id).toMatch(/^imp-k-1-r-h[0-9a-f]{16}$/);
    expect(
      importedEvidenceId('k-1', { line: 9, responseId: 'x'.repeat(300), fields: [] }).length,
    ).toBeLessThan(60);
  });

  it('given no response id, then the line and the fields make it; another line or content another id', () => {
    const a = importedEvidenceId('k', { line: 2, fields: ['fine', '9'] });
    expect(a).toMatch(/^imp-k-l2-[0-9a-f]{8}$/);
    expect(importedEvidenceId('k', { line: 2, fields: ['fine', '9'] })).toBe(a);
    expect(importedEvidenceId('k', { line: 3, fields: ['fine', '9'] })).not.toBe(a);
    expect(importedEvidenceId('k', { line: 2, fields: ['fine', '8'] })).not.toBe(a);
    expect(importedEvidenceId('k', { line: 2, fields: ['fine,9'] })).not.toBe(a);
  });
});
