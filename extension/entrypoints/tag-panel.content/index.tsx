import { render } from 'preact';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { sendMessage } from '../../src/messaging/protocol';
import { TagPanel } from '../../src/tag-panel/TagPanel';
import { TAG_PANEL_CSS } from '../../src/tag-panel/tag-panel-css';

const HOST_NAME = 'cxplan-tag-panel';

/**
 * The in-page tag panel. Registered at runtime only: it is never listed in the manifest's content_scripts, and
 * the background injects it (scripting.executeScript + activeTab) right after a capture.
 */
export default defineContentScript({
  registration: 'runtime',
  cssInjectionMode: 'manual',
  async main(ctx) {
    // A second capture in the same page replaces the panel of the first.
    for (const old of document.querySelectorAll(HOST_NAME)) old.remove();
    const state = await sendMessage('getPanelState', undefined);
    if (state === null) return;
    const ui = await createShadowRootUi(ctx, {
      name: HOST_NAME,
      position: 'inline',
      anchor: 'body',
      css: TAG_PANEL_CSS,
      isolateEvents: ['keydown', 'keyup', 'keypress'],
      onMount(container) {
        const close = (): void => ui.remove();
        render(
          <TagPanel
            state={state}
            close={close}
            save={(draft) =>
              sendMessage('tagClip', {
                id: state.evidence.id,
                tags: {
                  sourceKind: draft.sourceKind,
                  stageId: draft.stageId ?? null,
                  eventId: draft.eventId ?? null,
                  sentiment: draft.sentiment ?? null,
                  drivers: draft.drivers,
                },
              })
            }
          />,
          container,
        );
        return container;
      },
      onRemove(container) {
        if (container) render(null, container);
      },
    });
    ui.mount();
  },
});
