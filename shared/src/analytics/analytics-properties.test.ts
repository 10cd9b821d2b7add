import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbDateTime, arbWorkspace } from '../testing/arbitraries';
import { buildCommitmentOverview } from './commitment-overview';
import { computeHeatMap } from './heat-map';
import { planChecks } from './plan-checks';
import { overviewToHtml } from './render-overview';
import { rollUp } from './roll-up';
import { touchpointMap } from './touchpoint-map';

/** Whole-workspace properties over arbitrary, referentially consistent workspaces (testing/arbitraries). */
describe('analytics over arbitrary workspaces (property)', () => {
  it('roll-up progress and expected progress always lie in [0, 1]', () => {
    fc.assert(
      fc.property(arbWorkspace, arbDateTime, (ws, now) => {
        for (const cycle of ws.cycles) {
          const r = rollUp(ws, { cycleId: cycle.id, now });
          for (const node of [...r.actions.values(), ...r.deptGoals.values(), ...r.orgGoals.values()]) {
            expect(node.progress).toBeGreaterThanOrEqual(0);
            expect(node.progress).toBeLessThanOrEqual(1);
            expect(node.expected).toBeGreaterThanOrEqual(0);
            expect(node.expected).toBeLessThanOrEqual(1);
          }
          if (r.overall !== undefined) expect(r.overall).toBeGreaterThanOrEqual(0);
          if (r.overall !== undefined) expect(r.overall).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('plan-check findings have unique ids of the form <rule>:<entity id>', () => {
    fc.assert(
      fc.property(arbWorkspace, arbDateTime, (ws, now) => {
        for (const cycle of ws.cycles) {
          const findings = planChecks(ws, { cycleId: cycle.id, now });
          expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
          for (const f of findings) expect(f.id).toBe(`${f.rule}:${f.entity.id}`);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('heat map scores are the sum of what the evidence contributes; every event is ranked once', () => {
    fc.assert(
      fc.property(arbWorkspace, (ws) => {
        const map = computeHeatMap(ws, { explainTop: Number.MAX_SAFE_INTEGER });
        expect(map.ranked.map((c) => c.rank)).toEqual(ws.events.map((_, i) => i + 1));
        for (const c of map.ranked) {
          expect(c.contributions).toHaveLength(c.volume);
          expect(c.contributions.reduce((s, x) => s + x.amount, 0)).toBeCloseTo(c.score, 9);
        }
        touchpointMap(ws);
      }),
      { numRuns: 40 },
    );
  });

  it('the printable overview never contains markup from the workspace text', () => {
    fc.assert(
      fc.property(arbWorkspace, arbDateTime, (ws, now) => {
        for (const cycle of ws.cycles) {
          const o = buildCommitmentOverview(ws, { cycleId: cycle.id, now });
          if (!o) continue;
          const html = overviewToHtml(o);
          expect(html).not.toMatch(/<script/i);
          // Only the renderer's own tags appear: every "<" opens a known element.
          const tags = new Set(
            [...html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => (m[1] ?? '').toLowerCase()),
          );
          for (const t of tags)
            expect([
              'html',
              'head',
              'meta',
              'title',
              'style',
              'body',
              'h1',
              'h2',
              'h3',
              'p',
              'br',
              'ul',
              'ol',
              'li',
              'table',
              'thead',
              'tbody',
              'tr',
              'th',
              'td',
              'section',
              'span',
              'em',
              'strong',
              'blockquote',
            ]).toContain(t);
        }
      }),
      { numRuns: 40 },
    );
  });
});
