import { describe, expect, it } from 'vitest';
import { acknowledgementList } from './acknowledgements';
import { buildCommitmentOverview } from './commitment-overview';
import { action, deptGoal, evidence, metric, orgGoal, reading, workspace } from './fixtures';
import { escapeHtml, escapeMarkdown, overviewToHtml, overviewToMarkdown } from './render-overview';

const NOW = '2026-07-02T12:00:00Z';
const HOSTILE = '<script>alert(1)</script> **bold** [link](javascript:x) & "quotes"\n# heading';

const ws = () =>
  workspace({
    departments: [
      { id: 'd1', name: 'Support' },
      { id: 'd2', name: 'Billing' },
    ],
    people: [
      { id: 'p-ceo', name: 'Chris CEO', role: 'executive' },
      { id: 'p1', name: 'Ann Lee', role: 'manager', departmentId: 'd1' },
      { id: 'p2', name: 'Bo Staff', role: 'staff', departmentId: 'd1' },
      { id: 'p3', name: 'Cy Biller', role: 'staff', departmentId: 'd2' },
      { id: 'p4', name: 'Dee Loose', role: 'staff' },
      { id: 'p5', name: 'Partner Pete', role: 'partner' },
    ],
    events: [{ id: 'e1', stageId: 'stage-use-support', name: 'Get an answer fast' }],
    evidence: [evidence('ev1', { eventId: 'e1', sentiment: -2, text: HOSTILE })],
    orgGoals: [
      orgGoal('og1', {
        title: 'Answer faster',
        metric: metric({ name: 'CSAT', readings: [reading('r', 30, '2026-06-01T00:00:00Z')] }),
      }),
    ],
    deptGoals: [
      deptGoal('dg1', {
        title: 'Reply within a day',
        ownerId: 'p1',
        verification: {
          status: 'verified',
          verifierId: 'p-ceo',
          verifiedBy: 'p-ceo',
          verifiedAt: '2026-02-01T10:00:00Z',
        },
        metric: metric({ name: 'Replies < 24h', readings: [reading('r2', 50, '2026-06-01T00:00:00Z')] }),
      }),
      deptGoal('dg2', { title: 'Orphan', departmentId: 'd2', orgGoalId: undefined }),
    ],
    actions: [
      action('a1', { title: 'Hire two agents', ownerId: 'p2', component: 'people', carriedFrom: 'old' }),
    ],
    contributions: [{ id: 'k1', cycleId: 'c1', personId: 'p-ceo', statement: 'Fund the support team' }],
    sessions: [
      {
        id: 's1',
        cycleId: 'c1',
        kind: 'commitment',
        date: '2026-02-10',
        attendeeIds: ['p1'],
        briefedIds: ['p2', 'p3'],
        acknowledgements: [
          { personId: 'p1', at: '2026-02-11T09:00:00Z' },
          { personId: 'p1', at: '2026-02-10T09:00:00Z' },
        ],
      },
    ],
  });

describe('acknowledgementList', () => {
  it('lists every non-partner person per department with briefing and earliest acknowledgement', () => {
    expect(acknowledgementList(ws(), 'c1')).toEqual([
      {
        departmentId: 'd2',
        departmentName: 'Billing',
        acknowledged: 0,
        total: 1,
        people: [
          { personId: 'p3', name: 'Cy Biller', role: 'staff', briefed: true, acknowledgedAt: undefined },
        ],
      },
      {
        departmentId: 'd1',
        departmentName: 'Support',
        acknowledged: 1,
        total: 2,
        people: [
          {
            personId: 'p1',
            name: 'Ann Lee',
            role: 'manager',
            briefed: true,
            acknowledgedAt: '2026-02-10T09:00:00Z',
          },
          { personId: 'p2', name: 'Bo Staff', role: 'staff', briefed: true, acknowledgedAt: undefined },
        ],
      },
      {
        departmentId: 'none',
        departmentName: 'No department',
        acknowledged: 0,
        total: 2,
        people: [
          {
            personId: 'p-ceo',
            name: 'Chris CEO',
            role: 'executive',
            briefed: false,
            acknowledgedAt: undefined,
          },
          { personId: 'p4', name: 'Dee Loose', role: 'staff', briefed: false, acknowledgedAt: undefined },
        ],
      },
    ]);
  });
});

describe('commitment overview', () => {
  const overview = buildCommitmentOverview(ws(), { now: NOW });

  it('structures organisation goals → department goals → actions with owners, metrics and verification', () => {
    expect(overview).toBeDefined();
    const o = overview as NonNullable<typeof overview>;
    expect(o.cycle.name).toBe('FY2026');
    expect(o.orgGoals).toHaveLength(1);
    const og = o.orgGoals[0];
    expect(og?.title).toBe('Answer faster');
    expect(og?.progress).toBeCloseTo(0.5, 10);
    expect(
      og?.deptGoals.map((d) => [d.title, d.department, d.owner, d.verification, d.verificationStatus]),
    ).toEqual([
      ['Reply within a day', 'Support', 'Ann Lee', 'verified by Chris CEO on 2026-02-01', 'verified'],
    ]);
    expect(og?.deptGoals[0]?.actions).toEqual([
      expect.objectContaining({
        title: 'Hire two agents',
        owner: 'Bo Staff',
        component: 'people',
        carried: true,
        doneCriterion: 'Shipped',
      }),
    ]);
    expect(o.unlinkedDeptGoals.map((d) => d.title)).toEqual(['Orphan']);
    expect(o.topEvents).toEqual([
      expect.objectContaining({
        name: 'Get an answer fast',
        stage: 'Use & Support',
        rank: 1,
        quote: HOSTILE.replace(/\s+/g, ' '),
      }),
    ]);
    expect(o.contributions).toEqual([{ person: 'Chris CEO', statement: 'Fund the support team' }]);
  });

  it('renders Markdown with clipped text escaped', () => {
    const md = overviewToMarkdown(overview as NonNullable<typeof overview>);
    expect(md).toContain('# Acme: customer-experience plan, FY2026');
    expect(md).toContain('## Answer faster');
    expect(md).toContain('| Hire two agents (carried over) | Bo Staff | 2026-09-30 |');
    expect(md).toContain('\\<script\\>alert\\(1\\)\\</script\\>');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('\n# heading');
    expect(md).toContain('- [x] Ann Lee (briefed) on 2026-02-10');
  });

  it('renders self-contained HTML with clipped text escaped and no scripts or external resources', () => {
    const html = overviewToHtml(overview as NonNullable<typeof overview>);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('@media print');
    expect(html).toContain('<h2>Answer faster</h2>');
  });

  it('is undefined for an unknown cycle', () => {
    expect(buildCommitmentOverview(ws(), { now: NOW, cycleId: 'nope' })).toBeUndefined();
  });
});

describe('escaping', () => {
  it('escapes HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('escapes Markdown punctuation and flattens line breaks', () => {
    expect(escapeMarkdown('*a*\n# b [c](d) <e>')).toBe('\\*a\\* \\# b \\[c\\]\\(d\\) \\<e\\>');
  });
});
