import { describe, expect, it } from 'vitest';
import type { Person } from '../model/organisation';
import { parseIngestBody } from './parse-ingest-batch';
import { type IngestPerson, lookUpAccountId, ownerToAccountId } from './person-accounts';

// In the Jira app a person's id is the Atlassian account id.
const organisation: Person[] = [
  { id: '5b10a2844c20165700ede21g', name: 'Olga', role: 'manager', email: 'Olga@Example.com' },
  { id: 'acc-bea', name: 'Bea', role: 'executive', jiraAccountId: 'acc-bea' },
];

describe('lookUpAccountId', () => {
  it("takes the batch's own jiraAccountId first", () => {
    const people: IngestPerson[] = [{ id: 'p-olga', jiraAccountId: 'acc-from-extension' }];
    expect(lookUpAccountId('p-olga', people, organisation)).toEqual({
      ok: true,
      accountId: 'acc-from-extension',
      via: 'batch',
    });
  });

  it('keeps an id the organisation already knows (the extension used account ids as person ids)', () => {
    expect(lookUpAccountId('acc-bea', [], organisation)).toEqual({
      ok: true,
      accountId: 'acc-bea',
      via: 'organisation',
    });
  });

  it("finds the organisation's person by the batch person's e-mail, ignoring case", () => {
    const people: IngestPerson[] = [{ id: 'p-olga', name: 'Olga', email: 'olga@example.com' }];
    expect(lookUpAccountId('p-olga', people, organisation)).toEqual({
      ok: true,
      accountId: '5b10a2844c20165700ede21g',
      via: 'email',
    });
  });

  it('does not guess: an unknown person is an error saying what to do', () => {
    const people: IngestPerson[] = [{ id: 'p-sam', name: 'Sam', email: 'sam@example.com' }];
    const named = lookUpAccountId('p-sam', people, organisation);
    expect(named).toEqual({
      ok: false,
      message:
        'person Sam (p-sam) has no Jira account: give them their Atlassian account in the extension, or add them (same e-mail) on the cxplan admin page',
    });
    expect(lookUpAccountId('p-nobody', people, organisation)).toMatchObject({
      ok: false,
      message: expect.stringContaining('person p-nobody is not in the batch'),
    });
  });
});

describe('ownerToAccountId', () => {
  const goal = { id: 'g-1', title: 'Resolve more on first contact', ownerId: 'p-olga' };
  const people: IngestPerson[] = [{ id: 'p-olga', jiraAccountId: 'acc-olga' }];

  it('replaces the owner with their account id and leaves the rest alone', () => {
    expect(ownerToAccountId(goal, 'payload.goal.ownerId', people, [])).toEqual({
      ok: true,
      value: { ...goal, ownerId: 'acc-olga' },
    });
  });

  it('leaves an entity without owner unchanged, and names the field when the owner is unknown', () => {
    const unowned: { id: string; title: string; ownerId?: string } = { id: 'g-2', title: 'Unowned' };
    expect(ownerToAccountId(unowned, 'payload.goal.ownerId', [], [])).toEqual({ ok: true, value: unowned });
    const failed = ownerToAccountId(goal, 'payload.goal.ownerId', [], []);
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.errors[0]?.path).toBe('payload.goal.ownerId');
    expect(!failed.ok && failed.errors[0]?.message).toMatch(/^payload\.goal\.ownerId: person p-olga is not/);
  });
});

describe('the batch carries people', () => {
  const body = (people: unknown): string =>
    JSON.stringify({
      version: 1,
      sentAt: '2026-11-23T10:00:01Z',
      items: [{ clientId: 'g-1', kind: 'deptGoal', payload: {} }],
      ...(people !== undefined && { people }),
    });

  it('defaults to none and parses the entries', () => {
    const none = parseIngestBody(body(undefined));
    expect(none.ok && none.batch.people).toEqual([]);
    const some = parseIngestBody(body([{ id: 'p-olga', jiraAccountId: 'acc-olga', email: 'o@example.com' }]));
    expect(some.ok && some.batch.people).toEqual([
      { id: 'p-olga', jiraAccountId: 'acc-olga', email: 'o@example.com' },
    ]);
  });

  it('refuses a bad entry or the same person twice, naming the field', () => {
    const bad = parseIngestBody(body([{ id: 'p-olga', email: 'not an e-mail' }]));
    expect(!bad.ok && bad.refusal.errors?.[0]?.path).toBe('people.0.email');
    const twice = parseIngestBody(body([{ id: 'p-olga' }, { id: 'p-olga' }]));
    expect(!twice.ok && twice.refusal.errors?.[0]).toMatchObject({ path: 'people' });
    expect(!twice.ok && twice.refusal.errors?.[0]?.message).toMatch(/must not name the same person twice/);
  });
});
