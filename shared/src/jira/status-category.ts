import type { ActionStatus } from '../model/goals';
import type { StatusCategory } from './jira-issue';

/** The Jira status category an action status belongs to (dropped work is "done" in Jira's terms). */
export function statusCategoryOf(status: ActionStatus): StatusCategory {
  switch (status) {
    case 'todo':
      return 'new';
    case 'in-progress':
      return 'indeterminate';
    case 'done':
    case 'dropped':
      return 'done';
  }
}

/** The action status a Jira status category means, keeping `dropped` when Jira says done and cxplan had dropped it. */
export function actionStatusFromCategory(category: StatusCategory, current: ActionStatus): ActionStatus {
  if (statusCategoryOf(current) === category) return current;
  switch (category) {
    case 'new':
      return 'todo';
    case 'indeterminate':
      return 'in-progress';
    case 'done':
      return 'done';
  }
}
