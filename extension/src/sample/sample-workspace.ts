import type {
  Action,
  CustomerEvent,
  Cycle,
  Department,
  DeptGoal,
  Driver,
  OrgGoal,
  Person,
  Session,
  SourceKind,
  Touchpoint,
} from '@cxplan/core';
import { EVIDENCE_WRITE_SCOPE } from '../storage/evidence-derived';
import type { EvidenceRow } from '../storage/evidence-row';
import type { CollectionName } from '../storage/workspace-collections';
import type { WorkspaceData, WorkspaceSnapshot } from '../workspace/workspace-data';

/**
 * The optional sample workspace shown on first run: a made-up home-goods retailer, "Northwind Home (sample)".
 * Every row's id starts with {@link SAMPLE_PREFIX}, so it is recognisable, labelled in the UI, and removable
 * without touching anything the user added. The data is deterministic (no randomness) so screenshots and tests
 * are stable.
 */
export { SAMPLE_PREFIX } from '../storage/local-only';

import { SAMPLE_PREFIX } from '../storage/local-only';

const SAMPLE_ORG = 'Northwind Home (sample)';

const id = (s: string): string => `${SAMPLE_PREFIX}${s}`;

/** The sample rows, collection by collection, dated relative to `now` so the plan is always current. */
export function buildSampleWorkspace(now: Date): {
  organisation: { name: string; businessObjectives: { id: string; name: string }[] };
  departments: Department[];
  people: Person[];
  cycles: Cycle[];
  events: CustomerEvent[];
  touchpoints: Touchpoint[];
  evidence: EvidenceRow[];
  orgGoals: OrgGoal[];
  deptGoals: DeptGoal[];
  actions: Action[];
  sessions: Session[];
} {
  const year = now.getUTCFullYear();
  const day = (offset: number): string => new Date(now.getTime() + offset * 86_400_000).toISOString();
  const date = (offset: number): string => day(offset).slice(0, 10);
  const departments: Department[] = [
    { id: id('dep-board'), name: 'Executive board', managerId: id('p-ceo') },
    { id: id('dep-service'), name: 'Customer service', managerId: id('p-sara'), parentId: id('dep-board') },
    { id: id('dep-logistics'), name: 'Logistics', managerId: id('p-omar'), parentId: id('dep-board') },
    {
      id: id('dep-web'),
      name: 'E-commerce',
      managerId: id('p-lena'),
      upLineManagerId: id('p-ceo'),
      parentId: id('dep-board'),
    },
    { id: id('dep-finance'), name: 'Finance', managerId: id('p-kai'), parentId: id('dep-board') },
  ];
  const people: Person[] = [
    { id: id('p-ceo'), name: 'Maria Ortega (sample)', role: 'executive', departmentId: id('dep-board') },
    { id: id('p-sara'), name: 'Sara Lind (sample)', role: 'manager', departmentId: id('dep-service') },
    { id: id('p-omar'), name: 'Omar Haddad (sample)', role: 'manager', departmentId: id('dep-logistics') },
    { id: id('p-lena'), name: 'Lena Fischer (sample)', role: 'manager', departmentId: id('dep-web') },
    { id: id('p-kai'), name: 'Kai Tanaka (sample)', role: 'manager', departmentId: id('dep-finance') },
    { id: id('p-tom'), name: 'Tom Becker (sample)', role: 'staff', departmentId: id('dep-service') },
  ];
  const cycles: Cycle[] = [
    { id: id('cycle'), name: `FY${year} (sample)`, start: date(-120), end: date(245), status: 'active' },
  ];
  const ev = (key: string, stage: string, name: string, drivers: Driver[] = []): CustomerEvent => ({
    id: id(`ev-${key}`),
    stageId: `stage-${stage}`,
    name,
    drivers,
  });
  const events: CustomerEvent[] = [
    ev('ad', 'aware', 'Sees an advert or recommendation'),
    ev('compare', 'shop-buy', 'Compares prices and delivery options', ['loyalty']),
    ev('checkout', 'shop-buy', 'Checks out online', ['pain']),
    ev('delivery', 'set-up', 'Receives the delivery', ['pain', 'retention']),
    ev('assembly', 'set-up', 'Assembles the furniture'),
    ev('support', 'use-support', 'Contacts customer service', ['pain', 'loyalty']),
    ev('return', 'use-support', 'Returns a damaged item', ['retention']),
    ev('invoice', 'pay', 'Receives the invoice'),
    ev('refund', 'pay', 'Waits for a refund', ['pain']),
    ev('loyalty', 'add-renew-upgrade', 'Joins the loyalty programme', ['loyalty']),
    ev('cancel', 'leave', 'Closes the account', ['retention']),
  ];
  const quotes: [string, string, SourceKind, number][] = [
    ['delivery', 'The sofa arrived nine days late and nobody told us.', 'customer', -2],
    ['delivery', 'Delivery window of 8–18 h is useless when you work.', 'customer', -1],
    ['delivery', 'Our drivers lose 40 minutes a day looking for the right address.', 'partner', -1],
    ['delivery', 'Driver was friendly and carried it upstairs.', 'customer', 1],
    ['support', 'I waited 35 minutes on the phone to change my delivery date.', 'customer', -2],
    ['support', 'Chat agent solved my problem in two minutes!', 'customer', 2],
    ['support', 'Agents cannot see the delivery status, so they guess.', 'manager', -1],
    ['checkout', 'The payment page timed out twice before it worked.', 'customer', -2],
    ['checkout', 'Could not use my gift card together with a discount code.', 'customer', -1],
    ['refund', 'Refund took five weeks and three e-mails.', 'customer', -2],
    ['refund', 'Refunds wait for a manual approval every Friday.', 'internal', -1],
    ['return', 'Return label was in the box — easy.', 'customer', 1],
    ['return', 'Had to drive to the store to return a broken lamp.', 'customer', -1],
    ['compare', 'Delivery costs only appear at the very last step.', 'customer', -1],
    ['assembly', 'Instructions were missing two steps.', 'customer', -1],
    ['invoice', 'Invoice shows the wrong VAT number for our company.', 'partner', -1],
    ['loyalty', 'Points expired without any warning.', 'customer', -1],
    ['cancel', 'Closing my account required a phone call.', 'customer', -2],
    ['ad', 'Saw you recommended by a friend on social media.', 'customer', 1],
  ];
  const evidence: EvidenceRow[] = [];
  // Repeat the quotes with small variations so the heat map has realistic volumes (delivery and support lead).
  const repeats: Record<string, number> = { delivery: 9, support: 7, checkout: 5, refund: 4 };
  // Where customers met the problem, so the touchpoint map shows the pain at each touchpoint.
  const touchpointOf: Record<string, string> = {
    delivery: id('tp-van'),
    support: id('tp-phone'),
    checkout: id('tp-web'),
    compare: id('tp-web'),
  };
  let n = 0;
  for (const [key, text, sourceKind, sentiment] of quotes) {
    const times = repeats[key] ?? 2;
    for (let i = 0; i < times; i++) {
      n++;
      const url = `https://reviews.example.com/northwind/${key}/${i + 1}`;
      const event = events.find((e) => e.id === id(`ev-${key}`));
      evidence.push({
        id: id(`clip-${n}`),
        text: i === 0 ? text : `${text} (review ${i + 1})`,
        sourceKind,
        intent: 'feedback',
        ...(event ? { stageId: event.stageId, eventId: event.id } : {}),
        ...(touchpointOf[key] ? { touchpointId: touchpointOf[key] } : {}),
        sentiment: i % 4 === 3 ? Math.min(2, sentiment + 1) : sentiment,
        drivers: [],
        origin: {
          url,
          title: `Northwind Home reviews — ${key} (sample)`,
          capturedBy: i % 2 === 0 ? 'Tom Becker (sample)' : 'Sara Lind (sample)',
          capturedAt: day(-(n % 60) - 1),
          via: 'clip',
        },
        target: {
          source: url,
          quote: { type: 'TextQuoteSelector', exact: text, prefix: 'Review: ', suffix: '' },
        },
        taggedAt: day(-(n % 60) - 1),
      });
    }
  }
  // A few clips nobody has tagged yet, for the inbox's "untagged" filter.
  for (let i = 1; i <= 3; i++) {
    evidence.push({
      id: id(`clip-untagged-${i}`),
      text: [
        'Why do I need an account to track my order?',
        'Love the new catalogue.',
        'Your app logs me out daily.',
      ][i - 1] as string,
      sourceKind: 'customer',
      intent: 'feedback',
      drivers: [],
      origin: { capturedBy: 'Tom Becker (sample)', capturedAt: day(-i), via: 'manual' },
    });
  }
  const cycleId = id('cycle');
  const metric = (
    name: string,
    unit: string,
    baseline: number,
    target: number,
    readings: [number, number][],
  ) => ({
    name,
    unit,
    direction: target >= baseline ? ('increase' as const) : ('decrease' as const),
    baseline,
    target,
    due: date(240),
    readings: readings.map(([offset, value], i) => ({
      id: id(`r-${name.replace(/\W+/g, '-')}-${i}`),
      value,
      at: day(offset),
      recordedAt: day(offset),
      by: id('p-sara'),
    })),
  });
  const orgGoals: OrgGoal[] = [
    {
      id: id('og-delivery'),
      cycleId,
      title: 'Deliveries customers can count on',
      metric: metric('On-time deliveries', '%', 78, 95, [
        [-90, 79],
        [-60, 82],
        [-30, 84],
      ]),
      evidenceIds: evidence
        .filter((e) => e.eventId === id('ev-delivery'))
        .slice(0, 3)
        .map((e) => e.id),
      eventIds: [id('ev-delivery')],
      weight: 2,
    },
    {
      id: id('og-service'),
      cycleId,
      title: 'One call solves it',
      metric: metric('First-contact resolution', '%', 61, 80, [[-45, 64]]),
      evidenceIds: evidence
        .filter((e) => e.eventId === id('ev-support'))
        .slice(0, 2)
        .map((e) => e.id),
      eventIds: [id('ev-support')],
      weight: 1,
    },
  ];
  const deptGoals: DeptGoal[] = [
    {
      id: id('dg-slots'),
      cycleId,
      departmentId: id('dep-logistics'),
      title: 'Two-hour delivery slots for every order',
      orgGoalId: id('og-delivery'),
      businessObjectiveId: id('bo-repeat'),
      metric: metric('Orders with a 2-hour slot', '%', 10, 90, [
        [-70, 22],
        [-20, 41],
      ]),
      weight: 1,
      progressSource: 'metric',
      ownerId: id('p-omar'),
      verification: {
        status: 'verified',
        verifierId: id('p-ceo'),
        verifiedBy: id('p-ceo'),
        verifiedAt: day(-100),
      },
      verificationHistory: [
        { type: 'submitted', by: id('p-omar'), at: day(-105), verifierId: id('p-ceo') },
        { type: 'verified', by: id('p-ceo'), at: day(-100) },
      ],
    },
    {
      id: id('dg-status'),
      cycleId,
      departmentId: id('dep-service'),
      title: 'Agents see live delivery status',
      orgGoalId: id('og-service'),
      businessObjectiveId: id('bo-cost'),
      metric: metric('Calls about "where is my order"', 'calls/week', 420, 150, [[-30, 380]]),
      weight: 1,
      progressSource: 'actions',
      ownerId: id('p-sara'),
      verification: {
        status: 'submitted',
        submittedBy: id('p-sara'),
        submittedAt: day(-20),
        verifierId: id('p-ceo'),
      },
      verificationHistory: [{ type: 'submitted', by: id('p-sara'), at: day(-20), verifierId: id('p-ceo') }],
    },
    {
      id: id('dg-refunds'),
      cycleId,
      departmentId: id('dep-finance'),
      title: 'Refunds within 5 working days',
      orgGoalId: id('og-service'),
      weight: 1,
      progressSource: 'metric',
      verification: { status: 'draft' },
      verificationHistory: [],
    },
  ];
  const actions: Action[] = [
    {
      id: id('a-slots'),
      cycleId,
      deptGoalId: id('dg-slots'),
      title: 'Route planning with customer-chosen slots',
      ownerId: id('p-omar'),
      due: date(60),
      component: 'technology',
      doneCriterion: 'Slots offered at checkout for all postcodes',
      status: 'in-progress',
      weight: 1,
      evidenceIds: [id('clip-2')],
      eventIds: [id('ev-delivery')],
      touchpointIds: [],
    },
    {
      id: id('a-drivers'),
      cycleId,
      deptGoalId: id('dg-slots'),
      title: 'Train drivers to call 30 minutes ahead',
      ownerId: id('p-omar'),
      due: date(30),
      component: 'people',
      doneCriterion: 'All drivers trained',
      status: 'done',
      weight: 1,
      evidenceIds: [],
      eventIds: [id('ev-delivery')],
      touchpointIds: [],
    },
    {
      id: id('a-status'),
      cycleId,
      deptGoalId: id('dg-status'),
      title: 'Show carrier tracking in the service desk',
      ownerId: id('p-sara'),
      due: date(90),
      component: 'technology',
      doneCriterion: 'Tracking panel live for all agents',
      status: 'todo',
      weight: 1,
      evidenceIds: [],
      eventIds: [id('ev-support')],
      touchpointIds: [id('tp-phone')],
    },
  ];
  const touchpoints: Touchpoint[] = [
    {
      id: id('tp-web'),
      name: 'Online shop',
      stageId: 'stage-shop-buy',
      channel: 'web',
      ownerDepartmentId: id('dep-web'),
      timing: 'any time',
      state: 'current',
      eventIds: [id('ev-checkout'), id('ev-compare')],
    },
    {
      id: id('tp-phone'),
      name: 'Service hotline',
      stageId: 'stage-use-support',
      channel: 'phone',
      ownerDepartmentId: id('dep-service'),
      timing: 'Mon–Sat 8–20',
      state: 'current',
      eventIds: [id('ev-support')],
    },
    {
      id: id('tp-van'),
      name: 'Home delivery',
      stageId: 'stage-set-up',
      channel: 'face-to-face',
      ownerDepartmentId: id('dep-logistics'),
      timing: 'on the delivery day',
      state: 'current',
      eventIds: [id('ev-delivery')],
    },
    {
      id: id('tp-sms'),
      name: 'Delivery ETA text message',
      stageId: 'stage-set-up',
      channel: 'app',
      ownerDepartmentId: id('dep-logistics'),
      timing: '30 minutes before arrival',
      state: 'desired',
      eventIds: [id('ev-delivery')],
    },
    {
      id: id('tp-refund-mail'),
      name: 'Refund confirmation e-mail',
      stageId: 'stage-pay',
      channel: 'email',
      ownerDepartmentId: id('dep-finance'),
      timing: 'when the refund is paid',
      state: 'desired',
      eventIds: [id('ev-refund')],
    },
  ];
  const sessions: Session[] = [
    {
      id: id('s-strategy'),
      cycleId,
      kind: 'strategy',
      date: date(-115),
      attendeeIds: [id('p-ceo'), id('p-sara'), id('p-omar')],
      briefedIds: [],
      acknowledgements: [],
    },
  ];
  return {
    organisation: {
      name: SAMPLE_ORG,
      businessObjectives: [
        { id: id('bo-repeat'), name: 'Grow repeat purchases by 15 %' },
        { id: id('bo-cost'), name: 'Lower the cost to serve' },
      ],
    },
    departments,
    people,
    cycles,
    events,
    touchpoints,
    evidence,
    orgGoals,
    deptGoals,
    actions,
    sessions,
  };
}

/** True when the sample workspace is loaded. */
export function hasSampleWorkspace(snap: WorkspaceSnapshot): boolean {
  return snap.cycles.some((c) => c.id.startsWith(SAMPLE_PREFIX));
}

const SAMPLE_COLLECTIONS = [
  'departments',
  'people',
  'cycles',
  'events',
  'touchpoints',
  'orgGoals',
  'deptGoals',
  'actions',
  'sessions',
] as const satisfies readonly CollectionName[];

/** Writes the sample workspace (every row through the storage service's schemas) and makes its cycle current. */
export async function loadSampleWorkspace(data: WorkspaceData, now: Date): Promise<void> {
  if ((await data.team()).connected)
    throw new Error(
      'The sample workspace is for a browser used alone: this one is connected to a team workspace.',
    );
  const sample = buildSampleWorkspace(now);
  const current = await data.organisation();
  await data.saveOrganisation({
    name: current.name === 'My organisation' ? SAMPLE_ORG : current.name,
    businessObjectives: [...current.businessObjectives, ...sample.organisation.businessObjectives],
  });
  for (const c of SAMPLE_COLLECTIONS) await data.storage.putMany(c, sample[c]);
  await data.storage.bulkAddEvidence(sample.evidence);
  await data.saveSettings({ currentCycleId: id('cycle') });
}

/** Deletes every sample row (ids starting with `sample-`); the user's own rows stay untouched. */
export async function removeSampleWorkspace(data: WorkspaceData): Promise<void> {
  const db = data.storage.db;
  const tables = [...SAMPLE_COLLECTIONS, 'evidence' as const];
  // The evidence's derived tables (heat-map counts, untagged clips) follow the deleted rows in this transaction.
  await db.transaction('rw', [...new Set([...tables, ...EVIDENCE_WRITE_SCOPE])], async () => {
    for (const t of tables) {
      await db.table(t).where('id').startsWith(SAMPLE_PREFIX).delete();
    }
  });
  const org = await data.organisation();
  await data.saveOrganisation({
    name: org.name === SAMPLE_ORG ? 'My organisation' : org.name,
    businessObjectives: org.businessObjectives.filter((b) => !b.id.startsWith(SAMPLE_PREFIX)),
  });
  const settings = await data.settings();
  if (settings.currentCycleId?.startsWith(SAMPLE_PREFIX)) {
    const { currentCycleId: _gone, ...rest } = settings;
    await db.meta.put({ key: 'settings', value: rest });
  }
}
