import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyWorkspace, type Workspace } from '../model/workspace';
import { arbWorkspace } from '../testing/arbitraries';
import { BACKUP_FORMAT, createBackup, restoreBackup } from './backup';

const NOW = '2026-11-23T12:00:00.000Z';

/** The v1 workspace as the draft schema 0 would have held it: no contributions, no settings. */
function asDraftV0(ws: Workspace): Record<string, unknown> {
  const { contributions: _c, settings: _s, ...rest } = ws;
  return { ...rest, schemaVersion: 0 };
}

describe('backup round trip', () => {
  it('createBackup → JSON → restoreBackup gives back the same workspace (property)', () => {
    fc.assert(
      fc.property(arbWorkspace, (ws) => {
        const text = JSON.stringify(createBackup(ws, NOW));
        const r = restoreBackup(JSON.parse(text));
        if (!r.ok) throw new Error(r.error.message);
        expect(r.workspace).toStrictEqual(ws);
        expect(r).toMatchObject({ exportedAt: NOW, fromVersion: 1, upgrades: [] });
      }),
      { numRuns: 150 },
    );
  });

  it('accepts the backup as text too', () => {
    const ws = emptyWorkspace('Acme');
    const r = restoreBackup(JSON.stringify(createBackup(ws, new Date(NOW))));
    expect(r.ok && r.workspace).toStrictEqual(ws);
  });

  it('writes the envelope fields', () => {
    const b = createBackup(emptyWorkspace(), new Date(NOW));
    expect(b).toMatchObject({ format: BACKUP_FORMAT, schemaVersion: 1, exportedAt: NOW });
  });
});

describe('upgrading older backups', () => {
  it('upgrades a draft schema-0 backup: contributions become empty, settings take their defaults (property)', () => {
    fc.assert(
      fc.property(arbWorkspace, (ws) => {
        const old = { format: BACKUP_FORMAT, schemaVersion: 0, exportedAt: NOW, workspace: asDraftV0(ws) };
        const r = restoreBackup(JSON.parse(JSON.stringify(old)));
        if (!r.ok) throw new Error(r.error.message);
        expect(r.workspace).toStrictEqual({
          ...ws,
          contributions: [],
          settings: { verificationOverdueDays: 14 },
        });
        expect(r.fromVersion).toBe(0);
        expect(r.upgrades).toEqual([
          'Added executive contributions (none yet) and workspace settings (defaults).',
        ]);
      }),
      { numRuns: 50 },
    );
  });

  it('applies the step list it is given (a fixture step), and refuses versions below 0', () => {
    const seen: number[] = [];
    const fixture = {
      from: 0,
      to: 1,
      description: 'fixture 0→1',
      upgrade: (w: Record<string, unknown>) => {
        seen.push(0);
        return { ...w, schemaVersion: 1, organisation: { name: 'Upgraded', businessObjectives: [] } };
      },
    };
    const ws = emptyWorkspace();
    const r = restoreBackup({ format: BACKUP_FORMAT, schemaVersion: 0, exportedAt: NOW, workspace: ws }, [
      fixture,
    ]);
    expect(r.ok && r.upgrades).toEqual(['fixture 0→1']);
    expect(r.ok && r.workspace.organisation.name).toBe('Upgraded');
    expect(seen).toEqual([0]);
    const neg = restoreBackup({ format: BACKUP_FORMAT, schemaVersion: -1, exportedAt: NOW, workspace: ws }, [
      fixture,
    ]);
    expect(!neg.ok && neg.error.code).toBe('not-a-backup');
  });

  it('refuses an older backup it has no upgrade step for', () => {
    const r = restoreBackup(
      { format: BACKUP_FORMAT, schemaVersion: 0, exportedAt: NOW, workspace: asDraftV0(emptyWorkspace()) },
      [],
    );
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'no-upgrade-path',
        version: 0,
        message:
          'This backup uses schema 0, which this version of cxplan cannot upgrade (no step from schema 0)',
      },
    });
  });

  it('refuses a step list that does not move forward instead of looping', () => {
    const r = restoreBackup({ format: BACKUP_FORMAT, schemaVersion: 0, exportedAt: NOW, workspace: {} }, [
      { from: 0, to: 0, description: 'stuck', upgrade: (w) => w },
    ]);
    expect(!r.ok && r.error.code).toBe('no-upgrade-path');
  });
});

describe('refusing bad backups (golden cases)', () => {
  const good = createBackup(emptyWorkspace('Acme'), NOW);

  it('refuses a backup from a newer cxplan', () => {
    const r = restoreBackup({ ...good, schemaVersion: 3 });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'newer-version',
        version: 3,
        message: 'This backup was made by a newer cxplan (schema 3); this version reads up to 1',
      },
    });
  });

  it.each([
    [
      { ...good, format: 'something-else' },
      'format',
      'format must be "cxplan-backup" (this is not a cxplan backup)',
    ],
    [{ ...good, schemaVersion: 1.5 }, 'schemaVersion', 'schemaVersion must be a whole number'],
    [{ ...good, exportedAt: 'today' }, 'exportedAt', 'exportedAt must be an ISO date-time'],
    [{ ...good, workspace: 'x' }, 'workspace', 'workspace must be an object'],
  ])('refuses a broken envelope, naming the field (%#)', (input, path, message) => {
    const r = restoreBackup(input);
    expect(!r.ok && r.error.code).toBe('not-a-backup');
    if (!r.ok && r.error.code === 'not-a-backup') {
      const e = r.error.errors.find((x) => x.path === path);
      expect(e?.message).toContain(message);
    }
  });

  it.each([null, 42, [], 'not json {'])('refuses %j without throwing', (input) => {
    const r = restoreBackup(input);
    expect(r.ok).toBe(false);
  });

  it('says when the text is not JSON', () => {
    const r = restoreBackup('{"format":');
    expect(!r.ok && r.error.code).toBe('not-json');
    expect(!r.ok && r.error.message).toMatch(/^The backup is not valid JSON: /);
  });

  it('refuses an invalid workspace, naming the field', () => {
    const ws = emptyWorkspace();
    const bad = {
      ...good,
      workspace: { ...ws, people: [{ id: 'p1', name: 'Ann', role: 'astronaut' }] },
    };
    const r = restoreBackup(bad);
    expect(!r.ok && r.error.code).toBe('invalid-workspace');
    expect(!r.ok && r.error.message).toBe(
      "The backup's workspace is invalid: people.0.role must be one of staff, manager, executive, partner",
    );
  });

  it('refuses dangling references', () => {
    const ws = emptyWorkspace();
    ws.departments.push({ id: 'd1', name: 'Support', managerId: 'ghost' });
    const r = restoreBackup(createBackup(ws, NOW));
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'dangling-references',
        message:
          'The backup refers to things it does not contain: departments[0].managerId refers to an unknown person "ghost"',
      },
    });
  });
});
