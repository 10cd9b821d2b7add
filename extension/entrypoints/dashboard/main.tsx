import { render } from 'preact';
import { CxplanDb } from '../../src/storage/db';
import { StorageService } from '../../src/storage/storage-service';
import { WorkspaceApp } from '../../src/workspace/WorkspaceApp';
import { WorkspaceData } from '../../src/workspace/workspace-data';
import '../../src/workspace/workspace.css';

// Extension pages share the extension's origin, so the dashboard opens the same IndexedDB as the background.
// Exposed for the dashboard benchmark (bench/dashboard.ts): when the page's script started running.
document.body.dataset.scriptStartMs = String(performance.now());
const data = new WorkspaceData(new StorageService(new CxplanDb()));
const app = document.getElementById('app');
if (app) render(<WorkspaceApp data={data} />, app);
