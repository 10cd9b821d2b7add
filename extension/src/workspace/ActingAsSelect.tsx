import type { JSX } from 'preact';
import { useWorkspace } from './workspace-context';

/** The "acting as" picker in the header: which person of the workspace this browser acts for. */
export function ActingAsSelect(): JSX.Element {
  const { snap, actingAs, setActingAs } = useWorkspace();
  const known = snap.people.some((p) => p.id === actingAs);
  return (
    <label class="acting-as">
      Acting as{' '}
      <select
        value={known ? actingAs : ''}
        onChange={(e) => setActingAs(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
      >
        <option value="">— choose who you are —</option>
        {snap.people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.role})
          </option>
        ))}
      </select>
    </label>
  );
}
