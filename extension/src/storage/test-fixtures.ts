import type { EvidenceRow } from './evidence-row';

/** A valid clip row for tests and benchmarks; `n` makes the id, text and offsets distinct. */
export function sampleClip(n: number, overrides: Partial<EvidenceRow> = {}): EvidenceRow {
  const url = overrides.target?.source ?? 'https://reviews.example.com/product/42';
  return {
    id: `clip-${n}`,
    text: `The checkout kept timing out (${n})`,
    sourceKind: 'customer',
    intent: 'feedback',
    drivers: [],
    origin: {
      url,
      title: 'Reviews',
      capturedBy: 'Sam',
      capturedAt: new Date(Date.UTC(2026, 10, 23, 9, 0, n % 60)).toISOString(),
      via: 'clip',
    },
    target: {
      source: url,
      quote: {
        type: 'TextQuoteSelector',
        exact: `The checkout kept timing out (${n})`,
        prefix: 'Review: ',
        suffix: ' — 1/5',
      },
      position: { type: 'TextPositionSelector', start: 100 + n, end: 134 + n },
    },
    ...overrides,
  };
}

/** Narrows away null/undefined in tests, failing loudly instead of with a later TypeError. */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}

/** Marks a test database as connected to a team (as the connect flow leaves it), so writes are recorded. */
export async function connectForTest(
  db: import('./db').CxplanDb,
  phase: 'connected' | 'confirm-upload' = 'connected',
): Promise<void> {
  const { saveConnection } = await import('./team-link');
  await saveConnection(db, {
    triggerUrl: 'https://team.example.net/x1/trigger',
    originPattern: 'https://team.example.net/*',
    deviceId: 'device-test-0001',
    member: { personId: 'sam', name: 'Sam Staff', role: 'staff', admin: false },
    workspaceName: 'Acme',
    connectedAt: '2026-11-23T09:00:00.000Z',
    phase,
    clockOffsetMs: 0,
  });
}
