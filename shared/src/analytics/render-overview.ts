import type { CommitmentOverview, MetricLine, OverviewAction, OverviewDeptGoal } from './commitment-overview';
import { PROGRESS_STATUS_WORDS } from './progress';

/**
 * Escapes text for Markdown: every ASCII punctuation character that Markdown or inline HTML could read as markup
 * is backslash-escaped (CommonMark allows that for all of them), and line breaks become spaces so a clip cannot
 * start a heading, list or table row.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|~<>&"'=:]/g, (c) => `\\${c}`);
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

const pct = (p: number | undefined): string => (p === undefined ? '–' : `${Math.round(p * 100)} %`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const STATUS: Record<string, string> = Object.fromEntries(
  Object.entries(PROGRESS_STATUS_WORDS).map(([k, w]) => [k, w.toLowerCase()]),
);
/** "2026-12-04T20:27:03.686Z" as "2026-12-04 20:27 UTC": people read a time, not a machine stamp. */
const stamp = (iso: string): string =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;

function metricText(m: MetricLine | undefined): string {
  if (!m) return 'no metric';
  const unit = m.unit === '' ? '' : ` ${m.unit}`;
  const arrow = m.direction === 'increase' ? '↑' : m.direction === 'decrease' ? '↓' : '=';
  const latest = m.latest === undefined ? 'no reading yet' : `now ${m.latest}${unit}`;
  return `${m.name} ${arrow} ${m.baseline}${unit} → ${m.target}${unit} by ${m.due} (${latest})`;
}

function actionMeasure(a: OverviewAction): string {
  if (a.metric) return metricText(a.metric);
  if (a.doneCriterion) return `done when: ${a.doneCriterion}`;
  return 'not measurable yet';
}

/** Renders the commitment overview as Markdown; all user and clipped text is escaped. */
export function overviewToMarkdown(o: CommitmentOverview): string {
  const md = escapeMarkdown;
  const lines: string[] = [];
  lines.push(`# ${md(o.organisation)}: customer-experience plan, ${md(o.cycle.name)}`);
  lines.push('');
  lines.push(
    `${o.cycle.start} to ${o.cycle.end} · ${o.cycle.status} · plan progress of all organisation goals ${pct(o.overall)} · generated ${stamp(o.generatedAt)}`,
  );
  const deptGoal = (g: OverviewDeptGoal): void => {
    lines.push('');
    lines.push(`### ${md(g.title)} (${md(g.department)})`);
    lines.push('');
    lines.push(`- Owner: ${g.owner === undefined ? 'none' : md(g.owner)}`);
    lines.push(
      `- Business objective: ${g.businessObjective === undefined ? 'none' : md(g.businessObjective)}`,
    );
    lines.push(`- Outcome metric: ${md(metricText(g.metric))}`);
    lines.push(`- Verification: ${md(g.verification)}`);
    lines.push(`- Plan progress: ${pct(g.progress)} (${STATUS[g.status]})`);
    if (g.actions.length > 0) {
      lines.push('');
      lines.push('| Action | Owner | Due | Component | Status | Measure | Plan progress |');
      lines.push('|---|---|---|---|---|---|---|');
      for (const a of g.actions)
        lines.push(
          `| ${md(a.title)}${a.carried ? ' (carried over)' : ''} | ${a.owner === undefined ? '–' : md(a.owner)} | ${
            a.due ?? '–'
          } | ${a.component ?? '–'} | ${a.status} | ${md(actionMeasure(a))} | ${pct(a.progress)} |`,
        );
    }
  };
  for (const g of o.orgGoals) {
    lines.push('');
    lines.push(`## ${md(g.title)}`);
    lines.push('');
    lines.push(`- Outcome metric: ${md(metricText(g.metric))}`);
    lines.push(
      `- Plan progress: ${pct(g.progress)} (${STATUS[g.status]}) · based on ${plural(g.evidenceCount, 'evidence item')}`,
    );
    for (const d of g.deptGoals) deptGoal(d);
  }
  if (o.unlinkedDeptGoals.length > 0) {
    lines.push('');
    lines.push('## Department goals not linked to an organisation goal');
    for (const d of o.unlinkedDeptGoals) deptGoal(d);
  }
  lines.push('');
  lines.push('## What customers told us: top events');
  lines.push('');
  if (o.topEvents.length === 0) lines.push('No evidence tagged with events yet.');
  for (const e of o.topEvents) {
    lines.push(
      `${e.rank}. **${md(e.name)}** (${md(e.stage)}): score ${e.score.toFixed(1)}, ${plural(e.volume, 'item')}, ${pct(e.negativeShare)} negative`,
    );
    if (e.quote !== undefined) lines.push(`   > ${md(e.quote)}`);
  }
  lines.push('');
  lines.push('## Executive contributions');
  lines.push('');
  if (o.contributions.length === 0) lines.push('None stated yet.');
  for (const c of o.contributions) lines.push(`- ${md(c.person)}: ${md(c.statement)}`);
  lines.push('');
  lines.push('## Acknowledgements');
  for (const d of o.acknowledgements) {
    lines.push('');
    lines.push(`### ${md(d.departmentName)}: ${d.acknowledged} of ${d.total} acknowledged`);
    lines.push('');
    for (const p of d.people)
      lines.push(
        `- [${p.acknowledgedAt === undefined ? ' ' : 'x'}] ${md(p.name)}${p.briefed ? ' (briefed)' : ''}${
          p.acknowledgedAt === undefined ? '' : ` on ${p.acknowledgedAt.slice(0, 10)}`
        }`,
      );
  }
  return `${lines.join('\n')}\n`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#172b4d;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #dfe1e6;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin-bottom:.3rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #dfe1e6;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f4f5f7}
.meta{color:#5e6c84}.on-track{color:#216e4e}.behind{color:#a54800}.at-risk{color:#ae2e24;font-weight:600}
blockquote{margin:.3rem 0 .6rem 1rem;padding-left:.6rem;border-left:3px solid #dfe1e6;color:#44546f}
section.goal{break-inside:avoid}
td.nowrap{white-space:nowrap}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}
`;

/**
 * Renders the commitment overview as one self-contained, printable HTML document: inline CSS (with print
 * rules), no scripts, no external resources (a CSP meta forbids them), and every user or clipped text escaped.
 */
export function overviewToHtml(o: CommitmentOverview): string {
  const h = escapeHtml;
  const parts: string[] = [];
  const status = (s: string): string => `<span class="${s}">${STATUS[s] ?? h(s)}</span>`;
  const deptGoal = (g: OverviewDeptGoal): string => {
    const rows = g.actions
      .map(
        (a) =>
          `<tr><td>${h(a.title)}${a.carried ? ' <em>(carried over)</em>' : ''}</td><td>${h(a.owner ?? '–')}</td><td class="nowrap">${h(
            a.due ?? '–',
          )}</td><td>${h(a.component ?? '–')}</td><td class="nowrap">${h(a.status)}</td><td>${h(actionMeasure(a))}</td><td>${pct(
            a.progress,
          )}</td></tr>`,
      )
      .join('');
    return `<section class="goal"><h3>${h(g.title)} <span class="meta">(${h(g.department)})</span></h3><ul>
<li>Owner: ${h(g.owner ?? 'none')}</li><li>Business objective: ${h(g.businessObjective ?? 'none')}</li>
<li>Outcome metric: ${h(metricText(g.metric))}</li><li>Verification: ${h(g.verification)}</li>
<li>Plan progress: ${pct(g.progress)} (${status(g.status)})</li></ul>${
      rows === ''
        ? ''
        : `<table><thead><tr><th>Action</th><th>Owner</th><th>Due</th><th>Component</th><th>Status</th><th>Measure</th><th>Plan progress</th></tr></thead><tbody>${rows}</tbody></table>`
    }</section>`;
  };
  parts.push(
    `<h1>${h(o.organisation)}: customer-experience plan, ${h(o.cycle.name)}</h1>`,
    `<p class="meta">${h(o.cycle.start)} to ${h(o.cycle.end)} · ${h(o.cycle.status)} · plan progress of all organisation goals ${pct(
      o.overall,
    )} · generated ${h(stamp(o.generatedAt))}</p>`,
  );
  for (const g of o.orgGoals) {
    parts.push(
      `<h2>${h(g.title)}</h2><p>Outcome metric: ${h(metricText(g.metric))}<br>Plan progress: ${pct(g.progress)} (${status(
        g.status,
      )}) · based on ${plural(g.evidenceCount, 'evidence item')}</p>`,
      ...g.deptGoals.map(deptGoal),
    );
  }
  if (o.unlinkedDeptGoals.length > 0)
    parts.push(
      '<h2>Department goals not linked to an organisation goal</h2>',
      ...o.unlinkedDeptGoals.map(deptGoal),
    );
  parts.push('<h2>What customers told us: top events</h2>');
  parts.push(
    o.topEvents.length === 0
      ? '<p>No evidence tagged with events yet.</p>'
      : `<ol>${o.topEvents
          .map(
            (e) =>
              `<li value="${e.rank}"><strong>${h(e.name)}</strong> (${h(e.stage)}): score ${e.score.toFixed(1)}, ${plural(
                e.volume,
                'item',
              )}, ${pct(e.negativeShare)} negative${e.quote === undefined ? '' : `<blockquote>${h(e.quote)}</blockquote>`}</li>`,
          )
          .join('')}</ol>`,
  );
  parts.push('<h2>Executive contributions</h2>');
  parts.push(
    o.contributions.length === 0
      ? '<p>None stated yet.</p>'
      : `<ul>${o.contributions.map((c) => `<li>${h(c.person)}: ${h(c.statement)}</li>`).join('')}</ul>`,
  );
  parts.push('<h2>Acknowledgements</h2>');
  for (const d of o.acknowledgements) {
    parts.push(
      `<h3>${h(d.departmentName)}: ${d.acknowledged} of ${d.total} acknowledged</h3><table><thead><tr><th>Name</th><th>Briefed</th><th>Acknowledged</th></tr></thead><tbody>${d.people
        .map(
          (p) =>
            `<tr><td>${h(p.name)}</td><td>${p.briefed ? 'yes' : 'no'}</td><td>${
              p.acknowledgedAt === undefined ? '☐' : `☑ ${h(p.acknowledgedAt.slice(0, 10))}`
            }</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(o.organisation)}: ${h(o.cycle.name)} plan</title><style>${STYLE}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}
