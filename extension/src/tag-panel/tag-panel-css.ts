/** The panel's styles, scoped by its shadow root (so the page's CSS neither leaks in nor out). */
export const TAG_PANEL_CSS = `
:host { all: initial; }
.panel { position: fixed; top: 16px; right: 16px; z-index: 2147483647; width: 360px; max-height: 80vh; overflow: auto;
  box-sizing: border-box; padding: 12px; background: #fff; color: #111; border: 1px solid #888; border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.25); font: 13px/1.4 system-ui, sans-serif; }
.panel:focus { outline: 2px solid #1d4ed8; outline-offset: 2px; }
.saved { margin: 0 0 6px; font-weight: 600; }
.quote { margin: 0 0 8px; padding: 6px 8px; border-left: 3px solid #1d4ed8; background: #f3f4f6; max-height: 6em;
  overflow: auto; white-space: pre-wrap; }
.row { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; padding: 2px 4px 4px; border: 0; border-radius: 4px; }
legend { padding: 0; font-size: 11px; color: #444; width: 100%; }
.row.armed { background: #fef3c7; }
button { font: inherit; padding: 2px 6px; border: 1px solid #999; border-radius: 4px; background: #fff; color: #111;
  cursor: pointer; }
button[aria-pressed="true"] { background: #1d4ed8; color: #fff; border-color: #1d4ed8; }
button.primary { background: #1d4ed8; color: #fff; }
kbd { font: 11px ui-monospace, monospace; opacity: .8; }
.actions { display: flex; gap: 8px; margin-top: 8px; }
.error { color: #b00020; margin: 6px 0; }
`;
