import type { JSX } from 'preact';
import type { WorkspaceSnapshot } from './workspace-data';

/** True for a workspace nobody has used yet: no evidence, events, people, departments or cycles. */
export function isEmptyWorkspace(s: WorkspaceSnapshot): boolean {
  return (
    s.evidenceCount === 0 &&
    s.events.length === 0 &&
    s.people.length === 0 &&
    s.departments.length === 0 &&
    s.cycles.length === 0
  );
}

/** The first-run explanation: what to do first, and the optional sample workspace. */
export function FirstRun({ busy, onLoadSample }: { busy: boolean; onLoadSample: () => void }): JSX.Element {
  return (
    <section class="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">Your workspace is empty — start by listening to customers</h2>
      <ol>
        <li>
          On any web page with customer feedback (a review, a partner's report, a survey result), select a
          sentence, right-click and choose <strong>Clip as customer feedback</strong>, or press <kbd>Alt</kbd>
          +<kbd>Shift</kbd>+<kbd>K</kbd>. The clip appears in the <a href="#inbox">Evidence inbox</a>.
        </li>
        <li>
          Add your organisation, departments and people under <a href="#people">People and departments</a>,
          then the customer events of each lifecycle stage under <a href="#framework">Customer framework</a>.
        </li>
        <li>
          Or import a survey export (CSV) or a backup under <a href="#data">Data</a>.
        </li>
      </ol>
      <p>
        Want to look around first? Load a <strong>sample workspace</strong> (a made-up retailer, clearly
        labelled; you can remove it with one click).
      </p>
      <button type="button" class="primary" disabled={busy} onClick={onLoadSample}>
        Load the sample workspace
      </button>
    </section>
  );
}
