import { describe, expect, it } from 'vitest';
import { errorInWords } from './form-errors';

describe('errorInWords (golden cases: the core’s message at a field, said with its label)', () => {
  it.each([
    ['metric.due must be a date such as 2026-11-23', 'metric.due', 'Due', 'Due needs a date'],
    ['metric.due must be a date string', 'metric.due', 'Due', 'Due is required'],
    ['metric.name is required', 'metric.name', 'Metric name', 'Metric name is required'],
    ['title must be text', 'title', 'Goal', 'Goal is required'],
    ['deptGoalId must be a string id', 'deptGoalId', 'Department goal', 'Department goal is required'],
    ['metric.target must be a number', 'metric.target', 'Target', 'Target needs a number'],
    ['value must be a finite number', 'value', 'Value', 'Value needs a number'],
    [
      'at must be an ISO date-time such as 2026-11-23T09:30:00Z',
      'at',
      'True on',
      'True on needs a date and time',
    ],
    [
      'evidenceIds must cite at least one piece of evidence',
      'evidenceIds',
      'Evidence cited',
      'Cite at least one piece of evidence',
    ],
    ['at must be a date such as 2026-11-23', 'at', 'True on (backdate if needed)', 'True on needs a date'],
    [
      'deptGoalId is invalid: Invalid length: Expected >=1 but received 0',
      'deptGoalId',
      'Department goal',
      'Department goal is required',
    ],
    [
      'departmentId is invalid: Invalid type: Expected string but received undefined',
      'departmentId',
      'Department',
      'Department is required',
    ],
    [
      'departmentId is invalid: Invalid key: Expected "departmentId" but received undefined',
      'departmentId',
      'Department',
      'Department is required',
    ],
    ['deptGoalId must not be empty', 'deptGoalId', 'Department goal', 'Department goal is required'],
    ['weight must be 0 or more', 'weight', 'Weight', 'Weight must be 0 or more'],
  ])('%s → %s', (message, path, label, expected) => {
    expect(errorInWords(message, path, label)).toBe(expected);
  });

  it('keeps a message that does not start with the path whole (nothing is lost)', () => {
    expect(errorInWords('The start must be before the end', 'end', 'End')).toBe(
      'The start must be before the end',
    );
    expect(errorInWords('value is required', '', 'Value')).toBe('value is required');
  });
});
