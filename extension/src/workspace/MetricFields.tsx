import type { SuccessMetric } from '@cxplan/core';
import type { JSX } from 'preact';
import type { ErrorsByPath } from './form-errors';
import { num, SelectInput, TextInput } from './ui';

/** A metric as the form edits it (text fields); readings are kept aside, they are edited on the Progress screen. */
export interface MetricDraft {
  name: string;
  unit: string;
  direction: string;
  baseline: string;
  target: string;
  due: string;
}

/** An empty metric draft. */
export const BLANK_METRIC: MetricDraft = {
  name: '',
  unit: '',
  direction: 'increase',
  baseline: '',
  target: '',
  due: '',
};

/** A stored metric as a draft. */
export function metricDraft(m: SuccessMetric | undefined): MetricDraft {
  if (m === undefined) return BLANK_METRIC;
  return { ...m, baseline: String(m.baseline), target: String(m.target) };
}

/** True when nothing of the metric was filled in (an optional metric left out). */
export function isBlankMetric(d: MetricDraft): boolean {
  return d.name === '' && d.unit === '' && d.baseline === '' && d.target === '' && d.due === '';
}

/** The draft as input for the core's SuccessMetricSchema (readings carried over from the stored metric). */
export function metricInput(d: MetricDraft, stored?: SuccessMetric): Record<string, unknown> {
  return {
    name: d.name,
    unit: d.unit,
    direction: d.direction,
    baseline: num(d.baseline),
    target: num(d.target),
    due: d.due,
    readings: stored?.readings ?? [],
  };
}

/** The fields of a success metric; errors come from the core schema under `metric.*`. */
export function MetricFields(props: {
  draft: MetricDraft;
  onDraft: (d: MetricDraft) => void;
  errors: ErrorsByPath;
  legend: string;
}): JSX.Element {
  const { draft: d, onDraft, errors } = props;
  const set = (patch: Partial<MetricDraft>): void => onDraft({ ...d, ...patch });
  return (
    <fieldset class="metric">
      <legend>{props.legend}</legend>
      <TextInput
        label="Metric name"
        path="metric.name"
        errors={errors}
        value={d.name}
        onValue={(name) => set({ name })}
      />
      <TextInput
        label="Unit"
        path="metric.unit"
        errors={errors}
        value={d.unit}
        onValue={(unit) => set({ unit })}
      />
      <SelectInput
        label="Direction"
        path="metric.direction"
        errors={errors}
        value={d.direction}
        onValue={(direction) => set({ direction })}
        options={[
          ['increase', 'increase'],
          ['decrease', 'decrease'],
          ['maintain', 'maintain'],
        ]}
      />
      <TextInput
        label="Baseline"
        path="metric.baseline"
        errors={errors}
        type="number"
        step="any"
        value={d.baseline}
        onValue={(baseline) => set({ baseline })}
      />
      <TextInput
        label="Target"
        path="metric.target"
        errors={errors}
        type="number"
        step="any"
        value={d.target}
        onValue={(target) => set({ target })}
      />
      <TextInput
        label="Due"
        path="metric.due"
        errors={errors}
        type="date"
        value={d.due}
        onValue={(due) => set({ due })}
      />
    </fieldset>
  );
}
