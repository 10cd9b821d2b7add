import { render } from 'preact';
import { CxplanDb } from '../../src/storage/db';
import { StorageService } from '../../src/storage/storage-service';
import { WorkspaceApp } from '../../src/workspace/WorkspaceApp';
import { WorkspaceData } from '../../src/workspace/workspace-data';
import '../../src/workspace/workspace.css';

// The side panel (Chrome) / sidebar (Firefox): the inbox and heat map beside any page, in one column.
const data = new WorkspaceData(new StorageService(new CxplanDb()));
const app = document.getElementById('app');
if (app) render(<WorkspaceApp data={data} compact />, app);
