import { createBackup, type RestoreResult, restoreBackup, toAnnotationCollection } from '@cxplan/core';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import {
  hasSampleWorkspace,
  loadSampleWorkspace,
  removeSampleWorkspace,
} from '../../sample/sample-workspace';
import { downloadText } from '../download';
import { Notice } from '../ui';
import { useWorkspace } from '../workspace-context';
import { CsvImportPanel } from './CsvImportPanel';

type Pending = Extract<RestoreResult, { ok: true }> & { fileName: string };

/**
 * Data: JSON backup and restore (the core checks, upgrades or refuses the file; the swap asks first and is one
 * transaction, so a refused file changes nothing), W3C Web Annotation export of clips, CSV import.
 */
export function DataScreen(): JSX.Element {
  const { data, snap, reload } = useWorkspace();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);

  const withBusy = async (f: () => Promise<void>, done: string): Promise<void> => {
    setBusy(true);
    try {
      await f();
      setNotice({ kind: 'ok', text: done });
      await reload();
    } finally {
      setBusy(false);
    }
  };

  const backup = async (): Promise<void> => {
    const ws = await data.storage.readWorkspace();
    const now = new Date();
    downloadText(
      `cxplan-backup-${now.toISOString().slice(0, 10)}.json`,
      JSON.stringify(createBackup(ws, now), null, 1),
      'application/json',
    );
    setNotice({
      kind: 'ok',
      text: `Backup written (${ws.evidence.length} pieces of evidence, ${ws.deptGoals.length} department goals).`,
    });
  };

  const pickRestore = async (file: File | undefined): Promise<void> => {
    if (file === undefined) return;
    setPending(undefined);
    const r = restoreBackup(await file.text());
    if (!r.ok) {
      setNotice({ kind: 'error', text: `${r.error.message}. Nothing was changed.` });
      return;
    }
    setNotice(undefined);
    setPending({ ...r, fileName: file.name });
  };

  const confirmRestore = async (): Promise<void> => {
    if (pending === undefined) return;
    setBusy(true);
    try {
      await data.storage.replaceWorkspace(pending.workspace);
      setNotice({ kind: 'ok', text: `Restored the backup of ${pending.exportedAt.slice(0, 10)}.` });
      setPending(undefined);
      await reload();
    } catch (e) {
      setNotice({
        kind: 'error',
        text: `The restore failed and nothing was changed: ${(e as Error).message}`,
      });
    } finally {
      setBusy(false);
    }
  };

  const exportAnnotations = async (): Promise<void> => {
    const evidence = await data.storage.list('evidence');
    const out = toAnnotationCollection(evidence, {
      stages: snap.stages,
      events: snap.events,
      touchpoints: snap.touchpoints,
    });
    downloadText('cxplan-annotations.jsonld', JSON.stringify(out.collection, null, 1), 'application/ld+json');
    setNotice({
      kind: 'ok',
      text: `Exported ${out.collection.total} clips as W3C Web Annotations${out.skipped.length > 0 ? `; ${out.skipped.length} without a web page were left out` : ''}.`,
    });
  };

  return (
    <div>
      <Notice notice={notice} />
      {/* Importing survey answers is what people come here for most; backups and exports follow. */}
      <section aria-labelledby="csv-title">
        <h2 id="csv-title">Import a survey export (CSV)</h2>
        <CsvImportPanel />
      </section>
      <section aria-labelledby="backup-title">
        <h2 id="backup-title">Backup and restore</h2>
        <button type="button" class="primary" onClick={() => void backup()}>
          Download a backup (JSON)
        </button>
        <p>
          <label>
            Restore from a backup file{' '}
            <input
              type="file"
              accept=".json,application/json"
              onChange={(e) => void pickRestore(e.currentTarget.files?.[0])}
            />
          </label>
        </p>
        {pending && (
          <div
            class="confirm"
            role="alertdialog"
            aria-labelledby="confirm-title"
            aria-describedby="confirm-text"
          >
            <h3 id="confirm-title">Replace the whole workspace?</h3>
            <p id="confirm-text">
              “{pending.fileName}” (saved {pending.exportedAt.slice(0, 10)}) holds{' '}
              {pending.workspace.evidence.length} pieces of evidence, {pending.workspace.orgGoals.length}{' '}
              organisation goals and {pending.workspace.deptGoals.length} department goals. It replaces
              everything here now ({snap.evidenceCount} pieces of evidence, {snap.orgGoals.length}{' '}
              organisation goals, {snap.deptGoals.length} department goals). Download a backup first if you
              may want it back.
              {pending.upgrades.length > 0 &&
                ` Upgraded from schema ${pending.fromVersion}: ${pending.upgrades.join(' ')}`}
            </p>
            <button type="button" class="danger" disabled={busy} onClick={() => void confirmRestore()}>
              Replace the workspace
            </button>{' '}
            <button type="button" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </div>
        )}
      </section>
      <section aria-labelledby="w3c-title">
        <h2 id="w3c-title">Export clips as W3C Web Annotations</h2>
        <button type="button" onClick={() => void exportAnnotations()}>
          Download annotations (JSON-LD)
        </button>
      </section>
      <section aria-labelledby="sample-title">
        <h2 id="sample-title">Sample workspace</h2>
        <p>
          A made-up retailer's plan, labelled “sample” everywhere; removing it leaves your own data untouched.
        </p>
        {hasSampleWorkspace(snap) ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => void withBusy(() => removeSampleWorkspace(data), 'Sample workspace removed.')}
          >
            Remove the sample workspace
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void withBusy(() => loadSampleWorkspace(data, new Date()), 'Sample workspace loaded.')
            }
          >
            Load the sample workspace
          </button>
        )}
      </section>
    </div>
  );
}
