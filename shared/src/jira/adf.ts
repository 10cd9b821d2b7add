import type { Action, DeptGoal, OrgGoal } from '../model/goals';
import type { SuccessMetric } from '../model/metric';
import { latestReading } from '../model/metric';
import type { Department } from '../model/organisation';

/** An inline ADF node: text, optionally strong or linked. */
export type AdfInline = {
  type: 'text';
  text: string;
  marks?: Array<{ type: 'strong' } | { type: 'link'; attrs: { href: string } }>;
};

/** A block ADF node, the subset cxplan writes. */
export type AdfBlock =
  | { type: 'paragraph'; content: AdfInline[] }
  | { type: 'heading'; attrs: { level: 3 }; content: AdfInline[] }
  | { type: 'bulletList'; content: Array<{ type: 'listItem'; content: AdfBlock[] }> };

/** An Atlassian Document Format document (Jira Cloud's rich-text description format). */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfBlock[];
}

const text = (value: string): AdfInline => ({ type: 'text', text: value });
const strong = (value: string): AdfInline => ({ type: 'text', text: value, marks: [{ type: 'strong' }] });
const paragraph = (...content: AdfInline[]): AdfBlock => ({ type: 'paragraph', content });
const heading = (value: string): AdfBlock => ({
  type: 'heading',
  attrs: { level: 3 },
  content: [text(value)],
});
const bullets = (items: AdfInline[][]): AdfBlock => ({
  type: 'bulletList',
  content: items.map((content) => ({ type: 'listItem', content: [paragraph(...content)] })),
});

/** The metric as bullet lines: baseline → target (unit, direction) by due, and the latest reading. */
function metricBlocks(metric: SuccessMetric): AdfBlock[] {
  const unit = metric.unit ? ` ${metric.unit}` : '';
  const latest = latestReading(metric);
  const lines: AdfInline[][] = [
    [strong('Metric: '), text(metric.name)],
    [
      strong('Baseline → target: '),
      text(`${metric.baseline}${unit} → ${metric.target}${unit} (${metric.direction})`),
    ],
    [strong('Due: '), text(metric.due)],
    [
      strong('Latest reading: '),
      text(latest ? `${latest.value}${unit} on ${latest.at.slice(0, 10)}` : 'none yet'),
    ],
  ];
  return [heading('Success metric'), bullets(lines)];
}

/** The epic description of a department goal: its text, the organisation goal it serves and its metric. */
export function goalDescription(
  goal: DeptGoal,
  context: { orgGoal?: OrgGoal | undefined; department?: Department | undefined; businessObjective?: string },
): AdfDoc {
  const content: AdfBlock[] = [];
  if (goal.description?.trim()) content.push(paragraph(text(goal.description.trim())));
  const serves: AdfInline[][] = [];
  if (context.department) serves.push([strong('Department: '), text(context.department.name)]);
  serves.push([strong('Organisation goal: '), text(context.orgGoal?.title ?? 'not linked yet')]);
  if (context.businessObjective)
    serves.push([strong('Business objective: '), text(context.businessObjective)]);
  content.push(heading('Serves'), bullets(serves));
  if (goal.metric) content.push(...metricBlocks(goal.metric));
  else content.push(paragraph(strong('Success metric: '), text('not set yet')));
  content.push(
    paragraph(text('Managed by cxplan: the summary and status sync both ways; edit the rest in cxplan.')),
  );
  return { type: 'doc', version: 1, content };
}

/** The issue description of an action: its text, what "done" means, due date and component. */
export function actionDescription(action: Action): AdfDoc {
  const content: AdfBlock[] = [];
  if (action.description?.trim()) content.push(paragraph(text(action.description.trim())));
  const lines: AdfInline[][] = [];
  if (action.doneCriterion?.trim()) lines.push([strong('Done when: '), text(action.doneCriterion.trim())]);
  if (action.due) lines.push([strong('Due: '), text(action.due)]);
  if (action.component) lines.push([strong('Changes: '), text(action.component)]);
  if (lines.length > 0) content.push(bullets(lines));
  if (action.metric) content.push(...metricBlocks(action.metric));
  if (content.length === 0) content.push(paragraph(text('Action from the cxplan plan.')));
  return { type: 'doc', version: 1, content };
}
