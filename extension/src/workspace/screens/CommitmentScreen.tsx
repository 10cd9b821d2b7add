import { acknowledgementList, buildCommitmentOverview, overviewToHtml, type Session } from '@cxplan/core';
import type { JSX } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { downloadText } from '../download';
import { Notice } from '../ui';
import { useWorkspace, useWorkspaceWithEvidence } from '../workspace-context';

/**
 * The commitment session: the cycle's overview (rendered by the core to Markdown and printable HTML) and the
 * record of who was briefed and who acknowledged the plan (a Session of kind `commitment`).
 */
export function CommitmentScreen(): JSX.Element {
  const { data, snap, ws, cycleId, reload, now, team, actingAs } = useWorkspace();
  // The overview quotes the top events' strongest evidence: it needs the rows.
  const withEvidence = useWorkspaceWithEvidence();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const frame = useRef<HTMLIFrameElement>(null);
  const html = useMemo(() => {
    if (withEvidence === undefined) return 'loading' as const;
    const overview =
      cycleId === undefined ? undefined : buildCommitmentOverview(withEvidence, { cycleId, now });
    return overview === undefined ? undefined : overviewToHtml(overview);
  }, [withEvidence, cycleId, now]);
  const acks = useMemo(() => (cycleId === undefined ? [] : acknowledgementList(ws, cycleId)), [ws, cycleId]);
  if (cycleId === undefined)
    return (
      <p>
        There is no planning cycle yet. Create one under <a href="#cycles">Cycles</a>.
      </p>
    );
  const session: Session = snap.sessions.find((s) => s.cycleId === cycleId && s.kind === 'commitment') ?? {
    id: crypto.randomUUID(),
    cycleId,
    kind: 'commitment',
    date: new Date().toISOString().slice(0, 10),
    attendeeIds: [],
    briefedIds: [],
    acknowledgements: [],
  };
  const save = async (next: Session, text: string): Promise<void> => {
    const r = await data.save('sessions', next);
    setNotice(
      r.ok ? { kind: 'ok', text } : { kind: 'error', text: r.errors.map((e) => e.message).join('; ') },
    );
    if (r.ok) await reload();
  };
  return (
    <div>
      <section aria-labelledby="overview-title">
        <h2 id="overview-title">Overview</h2>
        {html === 'loading' ? (
          <p aria-busy="true">Reading the evidence for the overview…</p>
        ) : html === undefined ? (
          <p>The current cycle could not be found.</p>
        ) : (
          <>
            <button type="button" class="primary" onClick={() => frame.current?.contentWindow?.print()}>
              Print the overview
            </button>{' '}
            <button
              type="button"
              onClick={() => downloadText(`cxplan-commitment-${cycleId}.html`, html, 'text/html')}
            >
              Download as HTML
            </button>
            {/* No scripts in the frame: the overview is self-contained HTML with every clipped text escaped by the core. */}
            <iframe
              ref={frame}
              class="overview"
              title="Commitment overview"
              sandbox="allow-same-origin allow-modals"
              srcDoc={html}
              // The frame grows to its document (same origin, no scripts inside), so the page scrolls once and
              // nothing is cut inside a box of its own.
              onLoad={(e) => {
                const f = e.currentTarget as HTMLIFrameElement;
                const doc = f.contentDocument;
                if (doc) f.style.height = `${doc.documentElement.scrollHeight + 2}px`;
              }}
            />
          </>
        )}
      </section>
      <section aria-labelledby="ack-title">
        <h2 id="ack-title">Briefed and acknowledged</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Briefed</th>
              <th scope="col">Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {acks
              .flatMap((d) => d.people)
              .map((entry) => {
                const p = { id: entry.personId, name: `${entry.name}` };
                const briefed = session.briefedIds.includes(p.id);
                const ack = entry.acknowledgedAt === undefined ? undefined : { at: entry.acknowledgedAt };
                return (
                  <tr key={p.id}>
                    <th scope="row">{p.name}</th>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${p.name} was briefed`}
                        checked={briefed}
                        onChange={() =>
                          void save(
                            {
                              ...session,
                              briefedIds: briefed
                                ? session.briefedIds.filter((x) => x !== p.id)
                                : [...session.briefedIds, p.id],
                            },
                            `${p.name} ${briefed ? 'no longer marked' : 'marked'} as briefed.`,
                          )
                        }
                      />
                    </td>
                    <td>
                      {ack ? (
                        `on ${ack.at.slice(0, 10)}`
                      ) : team.connected && p.id !== actingAs ? (
                        // In a team each person acknowledges the overview in their own browser (or in Jira).
                        <span class="muted">not yet</span>
                      ) : (
                        <button
                          type="button"
                          onClick={() =>
                            void save(
                              {
                                ...session,
                                acknowledgements: [
                                  ...session.acknowledgements,
                                  { personId: p.id, at: new Date().toISOString() },
                                ],
                              },
                              `Recorded ${p.name}'s acknowledgement.`,
                            )
                          }
                        >
                          {team.connected ? 'I acknowledge the plan' : 'Record acknowledgement'}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
        <Notice notice={notice} />
      </section>
    </div>
  );
}
