import {
  type Action,
  ActionStatusSchema,
  ComponentSchema,
  type DeptGoal,
  DeptGoalSchema,
  editDeptGoalMetric,
  metricDefinitionChanged,
  parseWith,
} from '@cxplan/core';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { EvidenceRow } from '../../storage/evidence-row';
import { takeActionDraft } from '../form-drafts';
import { type ErrorsByPath, errorsByPath, unplacedErrors } from '../form-errors';
import {
  BLANK_METRIC,
  isBlankMetric,
  type MetricDraft,
  MetricFields,
  metricDraft,
  metricInput,
} from '../MetricFields';
import { compact, ErrorSummary, FormErrors, Notice, num, RightsNote, SelectInput, TextInput } from '../ui';
import { personName, useWorkspace } from '../workspace-context';
import { VerificationPanel } from './VerificationPanel';

type GoalDraft = {
  id: string;
  title: string;
  departmentId: string;
  orgGoalId: string;
  businessObjectiveId: string;
  ownerId: string;
  progressSource: string;
  weight: string;
};
const BLANK_GOAL: GoalDraft = {
  id: '',
  title: '',
  departmentId: '',
  orgGoalId: '',
  businessObjectiveId: '',
  ownerId: '',
  progressSource: 'metric',
  weight: '1',
};
type ActionDraft = {
  id: string;
  title: string;
  deptGoalId: string;
  ownerId: string;
  due: string;
  component: string;
  doneCriterion: string;
  status: string;
  /** Evidence the action is linked to (a clip promoted from the inbox, or kept from the stored action). */
  evidenceIds: readonly string[];
};
const BLANK_ACTION: ActionDraft = {
  id: '',
  title: '',
  deptGoalId: '',
  ownerId: '',
  due: '',
  component: '',
  doneCriterion: '',
  status: 'todo',
  evidenceIds: [],
};
const GOAL_FIELDS = [
  'title',
  'departmentId',
  'orgGoalId',
  'businessObjectiveId',
  'ownerId',
  'progressSource',
  'weight',
  'metric',
];
const ACTION_FIELDS = ['title', 'deptGoalId', 'ownerId', 'due', 'component', 'doneCriterion', 'status'];

/** Department goals and actions: the tree organisation goal → department goal → action, the forms, verification. */
export function GoalsScreen(): JSX.Element {
  const { data, snap, cycleId, reload, focusId, actingAs, may } = useWorkspace();
  const [goal, setGoal] = useState<GoalDraft>(BLANK_GOAL);
  const [metric, setMetric] = useState<MetricDraft>(BLANK_METRIC);
  const [goalErrors, setGoalErrors] = useState<ErrorsByPath>({});
  // A clip promoted in the inbox ("Make action") arrives as a pending draft, taken once on mount.
  const [promoted] = useState(takeActionDraft);
  const [action, setAction] = useState<ActionDraft>(
    promoted === undefined ? BLANK_ACTION : { ...BLANK_ACTION, ...promoted },
  );
  const [linked, setLinked] = useState<EvidenceRow[]>([]);
  const [actionErrors, setActionErrors] = useState<ErrorsByPath>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const editGoal = (g: DeptGoal): void => {
    setGoal({
      id: g.id,
      title: g.title,
      departmentId: g.departmentId,
      orgGoalId: g.orgGoalId ?? '',
      businessObjectiveId: g.businessObjectiveId ?? '',
      ownerId: g.ownerId ?? '',
      progressSource: g.progressSource,
      weight: String(g.weight),
    });
    setMetric(metricDraft(g.metric));
    setSelected(g.id);
  };

  const editAction = (a: Action): void => {
    setAction({ ...BLANK_ACTION, ...compact({ ...a }), id: a.id, deptGoalId: a.deptGoalId } as ActionDraft);
    setSelected(a.id);
  };
  const [selected, setSelected] = useState<string | undefined>(focusId);
  // A plan-check link ("Fix this") names a goal or an action: open it in its form, ready to fix.
  useEffect(() => {
    if (focusId === undefined) return;
    const g = snap.deptGoals.find((x) => x.id === focusId);
    const a = snap.actions.find((x) => x.id === focusId);
    if (g !== undefined) editGoal(g);
    else if (a !== undefined) editAction(a);
    else setSelected(focusId);
    document.getElementById(a !== undefined ? 'action-form' : 'goal-form-title')?.scrollIntoView();
    // Only a new focus (a new link followed) loads a form; later reloads must not undo the user's edits.
  }, [focusId]);
  useEffect(() => {
    // Keyboard users land in the pre-filled action form (below the goal form), not at the top of the page.
    if (promoted !== undefined) document.querySelector<HTMLInputElement>('#action-form input')?.focus();
  }, [promoted]);
  const linkKey = action.evidenceIds.join(' ');
  useEffect(() => {
    let stale = false;
    void data.evidenceByIds(action.evidenceIds).then((rows) => {
      if (!stale) setLinked(rows);
    });
    return () => {
      stale = true;
    };
    // Only a changed set of links needs a new read.
  }, [data, linkKey]);

  if (cycleId === undefined) {
    return (
      <p>
        There is no planning cycle yet. Create one under <a href="#cycles">Cycles</a> first.
      </p>
    );
  }
  const orgGoals = snap.orgGoals.filter((g) => g.cycleId === cycleId);
  const deptGoals = snap.deptGoals.filter((g) => g.cycleId === cycleId);
  const actions = snap.actions.filter((a) => a.cycleId === cycleId);
  const people = snap.people.map((p) => [p.id, p.name] as const);
  const stored = snap.deptGoals.find((g) => g.id === goal.id);
  // The team's rights rule on what the forms would save (a browser used alone may do everything).
  const goalAllowed = may({
    kind: 'deptGoals',
    type: stored ? 'update' : 'create',
    ...(stored && { before: stored }),
    after: { departmentId: goal.departmentId || stored?.departmentId },
    fields: ['title'],
  });
  const storedAction = snap.actions.find((a) => a.id === action.id);
  const actionAllowed = may({
    kind: 'actions',
    type: storedAction ? 'update' : 'create',
    ...(storedAction && { before: storedAction }),
    after: { deptGoalId: action.deptGoalId || storedAction?.deptGoalId, ownerId: action.ownerId },
    fields: storedAction && storedAction.ownerId === actingAs ? ['status'] : ['title'],
  });

  const saveGoal = async (e: Event): Promise<void> => {
    e.preventDefault();
    const base = stored ?? {};
    const input = {
      ...base,
      ...compact({ ...goal, weight: num(goal.weight) }),
      id: goal.id || crypto.randomUUID(),
      cycleId,
      ...(isBlankMetric(metric) ? {} : { metric: metricInput(metric, stored?.metric) }),
    };
    if (isBlankMetric(metric)) delete (input as { metric?: unknown }).metric;
    // Optional links cleared in the form must be cleared in the row too.
    for (const k of ['orgGoalId', 'businessObjectiveId', 'ownerId'] as const)
      if (goal[k] === '') delete (input as Record<string, unknown>)[k];
    const parsed = parseWith(DeptGoalSchema, input, 'department goal');
    if (!parsed.ok) {
      setGoalErrors(errorsByPath(parsed.errors));
      setNotice({
        kind: 'error',
        text: 'The department goal was not saved: see what to fix at the top of the form.',
      });
      return;
    }
    let next = parsed.value;
    let note = '';
    // A changed metric definition is the core's business: a submitted or verified goal goes back to draft.
    if (stored !== undefined && metricDefinitionChanged(stored.metric, next.metric)) {
      const by = actingAs;
      if (
        by === undefined &&
        stored.verification.status !== 'draft' &&
        stored.verification.status !== 'rejected'
      ) {
        setNotice({
          kind: 'error',
          text: 'Choose who you are (“Acting as”, at the top): changing the metric of this goal is recorded in its verification history.',
        });
        return;
      }
      const edited = editDeptGoalMetric(
        { ...next, metric: stored.metric },
        next.metric,
        by ?? 'unknown',
        new Date().toISOString(),
        {
          departments: snap.departments,
          nameOf: (id) => personName(snap, id),
        },
      );
      if (!edited.ok) {
        setNotice({ kind: 'error', text: edited.error.message });
        return;
      }
      next = edited.goal;
      if (edited.events.length > 0)
        note = ' Its metric changed, so it is back to draft and must be verified again.';
    }
    const r = await data.save('deptGoals', next);
    if (!r.ok) {
      setGoalErrors(errorsByPath(r.errors));
      setNotice({
        kind: 'error',
        text: 'The department goal was not saved: see what to fix at the top of the form.',
      });
      return;
    }
    setGoalErrors({});
    setNotice({ kind: 'ok', text: `Saved “${r.value.title}”.${note}` });
    setGoal(BLANK_GOAL);
    setMetric(BLANK_METRIC);
    await reload();
  };

  const saveAction = async (e: Event): Promise<void> => {
    e.preventDefault();
    const storedAction = snap.actions.find((a) => a.id === action.id);
    const input = {
      ...(storedAction ?? {}),
      ...compact({ ...action }),
      id: action.id || crypto.randomUUID(),
      cycleId,
    };
    const r = await data.save('actions', input);
    if (!r.ok) {
      setActionErrors(errorsByPath(r.errors));
      setNotice({ kind: 'error', text: 'The action was not saved: see what to fix at the top of the form.' });
      return;
    }
    setActionErrors({});
    setNotice({ kind: 'ok', text: `Saved action “${r.value.title}”.` });
    setAction({ ...BLANK_ACTION, deptGoalId: action.deptGoalId });
    await reload();
  };

  const tree = [
    ...orgGoals.map((o) => ({ id: o.id, title: o.title })),
    { id: '', title: 'Not linked to an organisation goal' },
  ];
  const selectedGoal = deptGoals.find((g) => g.id === selected);

  return (
    <div class="two-col">
      <section aria-labelledby="tree-title">
        <h2 id="tree-title">Plan tree</h2>
        <ul class="tree">
          {tree.map((o) => {
            const children = deptGoals.filter((g) => (g.orgGoalId ?? '') === o.id);
            if (o.id === '' && children.length === 0) return null;
            return (
              <li key={o.id || 'none'}>
                <strong>{o.title}</strong>
                <ul>
                  {children.map((g) => (
                    <li key={g.id} id={`goal-${g.id}`} class={g.id === selected ? 'focused' : undefined}>
                      <button type="button" class="link" onClick={() => editGoal(g)}>
                        {g.title}
                      </button>{' '}
                      <span class={`tag status-${g.verification.status}`}>{g.verification.status}</span>{' '}
                      <span class="muted">{snap.departments.find((d) => d.id === g.departmentId)?.name}</span>
                      <ul>
                        {actions
                          .filter((a) => a.deptGoalId === g.id)
                          .map((a) => (
                            <li
                              key={a.id}
                              id={`action-${a.id}`}
                              class={a.id === selected ? 'focused' : undefined}
                            >
                              <button type="button" class="link" onClick={() => editAction(a)}>
                                {a.title}
                              </button>{' '}
                              <span class="muted">
                                {a.status}
                                {a.component ? ` · ${a.component}` : ''}
                                {a.due ? ` · due ${a.due}` : ''}
                              </span>
                            </li>
                          ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
        {selectedGoal && <VerificationPanel goal={selectedGoal} />}
      </section>
      <section aria-labelledby="goal-form-title">
        <Notice notice={notice} />
        <h2 id="goal-form-title">{goal.id ? 'Edit department goal' : 'New department goal'}</h2>
        {(goal.departmentId || stored) && <RightsNote permission={goalAllowed} />}
        <form onSubmit={(e) => void saveGoal(e)} aria-label="Department goal" noValidate>
          <ErrorSummary errors={goalErrors} />
          <FormErrors messages={unplacedErrors(goalErrors, GOAL_FIELDS)} />
          <TextInput
            label="Department goal"
            path="title"
            errors={goalErrors}
            value={goal.title}
            onValue={(title) => setGoal({ ...goal, title })}
          />
          <SelectInput
            label="Department"
            path="departmentId"
            errors={goalErrors}
            value={goal.departmentId}
            onValue={(departmentId) => setGoal({ ...goal, departmentId })}
            options={snap.departments.map((d) => [d.id, d.name])}
            empty="— choose —"
          />
          <SelectInput
            label="Organisation goal"
            path="orgGoalId"
            errors={goalErrors}
            value={goal.orgGoalId}
            onValue={(orgGoalId) => setGoal({ ...goal, orgGoalId })}
            options={orgGoals.map((o) => [o.id, o.title])}
            empty="— none yet —"
          />
          <SelectInput
            label="Business objective"
            path="businessObjectiveId"
            errors={goalErrors}
            value={goal.businessObjectiveId}
            onValue={(businessObjectiveId) => setGoal({ ...goal, businessObjectiveId })}
            options={snap.organisation.businessObjectives.map((b) => [b.id, b.name])}
            empty="— none yet —"
          />
          <SelectInput
            label="Owner"
            path="ownerId"
            errors={goalErrors}
            value={goal.ownerId}
            onValue={(ownerId) => setGoal({ ...goal, ownerId })}
            options={people}
            empty="— none —"
          />
          <SelectInput
            label="Progress from"
            path="progressSource"
            errors={goalErrors}
            value={goal.progressSource}
            onValue={(progressSource) => setGoal({ ...goal, progressSource })}
            options={[
              ['metric', 'its metric'],
              ['actions', "its actions' completion"],
            ]}
          />
          <TextInput
            label="Weight"
            path="weight"
            errors={goalErrors}
            type="number"
            step="any"
            value={goal.weight}
            onValue={(weight) => setGoal({ ...goal, weight })}
          />
          <MetricFields
            legend="Success metric (optional for a draft; needed to submit)"
            draft={metric}
            onDraft={setMetric}
            errors={goalErrors}
          />
          <button
            type="submit"
            class="primary"
            disabled={!goalAllowed.ok && (goal.departmentId !== '' || !!stored)}
          >
            Save department goal
          </button>{' '}
          {goal.id && (
            <button
              type="button"
              onClick={() => {
                setGoal(BLANK_GOAL);
                setMetric(BLANK_METRIC);
              }}
            >
              New goal instead
            </button>
          )}
        </form>
        <h2>{action.id ? 'Edit action' : 'New action'}</h2>
        {(action.deptGoalId || storedAction) && <RightsNote permission={actionAllowed} />}
        <form id="action-form" onSubmit={(e) => void saveAction(e)} aria-label="Action" noValidate>
          <ErrorSummary errors={actionErrors} />
          <FormErrors messages={unplacedErrors(actionErrors, ACTION_FIELDS)} />
          <TextInput
            label="Action"
            path="title"
            errors={actionErrors}
            value={action.title}
            onValue={(title) => setAction({ ...action, title })}
          />
          <SelectInput
            label="For department goal"
            path="deptGoalId"
            errors={actionErrors}
            value={action.deptGoalId}
            onValue={(deptGoalId) => setAction({ ...action, deptGoalId })}
            options={deptGoals.map((g) => [g.id, g.title])}
            empty="— choose —"
          />
          <SelectInput
            label="Owner"
            path="ownerId"
            errors={actionErrors}
            value={action.ownerId}
            onValue={(ownerId) => setAction({ ...action, ownerId })}
            options={people}
            empty="— none —"
          />
          <TextInput
            label="Due"
            path="due"
            errors={actionErrors}
            type="date"
            value={action.due}
            onValue={(due) => setAction({ ...action, due })}
          />
          <SelectInput
            label="Changes"
            path="component"
            errors={actionErrors}
            value={action.component}
            onValue={(component) => setAction({ ...action, component })}
            options={ComponentSchema.options.map((c) => [c, c])}
            empty="— choose —"
          />
          <TextInput
            label="Done when"
            path="doneCriterion"
            errors={actionErrors}
            value={action.doneCriterion}
            onValue={(doneCriterion) => setAction({ ...action, doneCriterion })}
          />
          <SelectInput
            label="Status"
            path="status"
            errors={actionErrors}
            value={action.status}
            onValue={(status) => setAction({ ...action, status })}
            options={ActionStatusSchema.options.map((s) => [s, s])}
          />
          {linked.length > 0 && (
            <fieldset class="citations">
              <legend>Linked evidence</legend>
              <ul>
                {linked.map((c) => (
                  <li key={c.id}>
                    <q>{c.text}</q>{' '}
                    <button
                      type="button"
                      aria-label={`Unlink evidence: ${c.text.slice(0, 40)}`}
                      onClick={() =>
                        setAction({ ...action, evidenceIds: action.evidenceIds.filter((x) => x !== c.id) })
                      }
                    >
                      Unlink
                    </button>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          <button
            type="submit"
            class="primary"
            disabled={!actionAllowed.ok && (action.deptGoalId !== '' || !!storedAction)}
          >
            Save action
          </button>
        </form>
      </section>
    </div>
  );
}
