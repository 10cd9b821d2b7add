// The clips of the team-sync benchmark, made the same way in Node (to seed the team store) and in the browser (the
// local bulk-insert baseline), so both sides of the comparison handle exactly the same rows.

const WORDS = [
  'courier',
  'depot',
  'refund',
  'checkout',
  'app',
  'invoice',
  'agent',
  'delivery',
  'parcel',
  'waited',
];

/** Clip `i` of the benchmark (deterministic: no randomness). */
export function benchClip(i: number, events: number): Record<string, unknown> {
  const text = `Customer ${i} wrote about the ${WORDS[i % WORDS.length]}: ${Array.from({ length: 8 + (i % 9) }, (_, w) => WORDS[(i * 7 + w * 3) % WORDS.length]).join(' ')}.`;
  const url = `https://reviews.example.com/p/${i % 1000}`;
  const capturedAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    id: `e-${i}`,
    text,
    sourceKind: 'customer',
    intent: 'feedback',
    drivers: i % 5 === 0 ? ['pain'] : [],
    sentiment: (i % 5) - 2,
    ...(i % 100 === 0
      ? {}
      : { stageId: 'stage-use-support', eventId: `ev-${i % events}`, taggedAt: capturedAt }),
    origin: {
      url,
      title: `Reviews ${i % 1000}`,
      capturedBy: 'Sam Staff',
      capturedById: 'sam',
      capturedAt,
      via: 'clip',
    },
    target: { source: url, quote: { type: 'TextQuoteSelector', exact: text } },
  };
}
