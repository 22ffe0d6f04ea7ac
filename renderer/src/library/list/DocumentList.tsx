import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { DocumentSummary } from '../../../../shared/contract';
import { plural } from '../../ui/format';
import { groupByMonth, type ListRow } from './rows';

interface Props {
  items: readonly DocumentSummary[];
  label: string;
  /** Renders one document; `tabbable` is true for the one row reached with Tab (the others by arrow keys). */
  renderDoc(doc: DocumentSummary, tabbable: boolean): ReactNode;
  /** Where the list was scrolled to last time, so coming back from a document keeps the place. */
  initialOffset?: number;
  onScrollOffset?(offset: number): void;
}

const MONTH_HEIGHT = 52;
const ROW_HEIGHT = 96;
const PAGE_STEP = 8;

/**
 * The documents, grouped by month, virtualised: only the rows in view (plus a few) are in the page, so ten
 * thousand documents scroll as smoothly as ten. Keyboard: Tab reaches one document; the arrow keys, Page Up/Down,
 * Home and End move between documents (the list scrolls along).
 */
export function DocumentList({ items, label, renderDoc, initialOffset = 0, onScrollOffset }: Props) {
  const rows = useMemo(() => groupByMonth(items), [items]);
  const docIndexes = useMemo(() => rows.flatMap((row, index) => (row.kind === 'doc' ? [index] : [])), [rows]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<number | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (rows[index]?.kind === 'month' ? MONTH_HEIGHT : ROW_HEIGHT),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 6,
    initialOffset,
    useFlushSync: false,
  });

  const onScrollRef = useRef(onScrollOffset);
  onScrollRef.current = onScrollOffset;
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const report = () => onScrollRef.current?.(element.scrollTop);
    element.addEventListener('scroll', report, { passive: true });
    return () => element.removeEventListener('scroll', report);
  }, []);

  const virtualItems = virtualizer.getVirtualItems();
  const renderedDocs = virtualItems.filter((item) => rows[item.index]?.kind === 'doc').map((item) => item.index);
  const tabbable = active !== null && renderedDocs.includes(active) ? active : (renderedDocs[0] ?? null);

  const focusRow = useCallback(
    (index: number) => {
      setActive(index);
      virtualizer.scrollToIndex(index, { align: 'auto' });
      // Focus at once when the row is already in the page (the usual case), so a quick second key press starts
      // from the row the first one reached; a row scrolled in from far away appears a frame or two later.
      let attempts = 0;
      const tryFocus = (): boolean => {
        const target = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] [data-row-focus]`);
        target?.focus();
        return target !== null && target !== undefined;
      };
      const retry = () => {
        attempts += 1;
        if (!tryFocus() && attempts < 20) requestAnimationFrame(retry);
      };
      if (!tryFocus()) requestAnimationFrame(retry);
    },
    [virtualizer],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (!target.hasAttribute('data-row-focus')) return;
    const current = Number(target.closest<HTMLElement>('[data-index]')?.dataset.index);
    const position = docIndexes.indexOf(current);
    if (position < 0) return;
    let next: number | undefined;
    if (event.key === 'ArrowDown') next = docIndexes[Math.min(docIndexes.length - 1, position + 1)];
    else if (event.key === 'ArrowUp') next = docIndexes[Math.max(0, position - 1)];
    else if (event.key === 'PageDown') next = docIndexes[Math.min(docIndexes.length - 1, position + PAGE_STEP)];
    else if (event.key === 'PageUp') next = docIndexes[Math.max(0, position - PAGE_STEP)];
    else if (event.key === 'Home') next = docIndexes[0];
    else if (event.key === 'End') next = docIndexes[docIndexes.length - 1];
    else return;
    event.preventDefault();
    if (next !== undefined) focusRow(next);
  };

  return (
    <div className="doc-list-scroll" ref={scrollRef} data-testid="document-list-scroll">
      <div
        role="list"
        aria-label={label}
        className="doc-list"
        data-testid="document-list"
        data-count={items.length}
        style={{ height: virtualizer.getTotalSize() }}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          const index = Number((event.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset.index);
          if (Number.isInteger(index) && rows[index]?.kind === 'doc') setActive(index);
        }}
      >
        {virtualItems.map((item) => {
          const row = rows[item.index] as ListRow;
          return (
            <div
              key={item.key}
              role="listitem"
              data-index={item.index}
              ref={virtualizer.measureElement}
              className={row.kind === 'month' ? 'doc-list-item doc-list-month' : 'doc-list-item'}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {row.kind === 'month' ? (
                <h2 className="month-heading">
                  {row.label} <span className="month-count">({plural(row.count, 'document', 'documents')})</span>
                </h2>
              ) : (
                renderDoc(row.doc, item.index === tabbable)
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
