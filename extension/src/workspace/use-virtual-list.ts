import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
  Virtualizer,
} from '@tanstack/virtual-core';
import type { RefObject } from 'preact';
import { useLayoutEffect, useReducer, useState } from 'preact/hooks';

/**
 * Preact glue for @tanstack/virtual-core: only the rows in (and just around) the viewport are rendered, so a
 * list of thousands of rows stays smooth. Returns the rows to render and the total height.
 */
export function useVirtualList(
  count: number,
  rowHeight: number,
  scrollRef: RefObject<HTMLElement>,
): { items: VirtualItem[]; totalSize: number } {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLElement, HTMLElement>({
        count,
        getScrollElement: () => scrollRef.current,
        estimateSize: () => rowHeight,
        overscan: 10,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        onChange: () => rerender(undefined),
      }),
  );
  virtualizer.setOptions({ ...virtualizer.options, count });
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  return { items: virtualizer.getVirtualItems(), totalSize: virtualizer.getTotalSize() };
}
