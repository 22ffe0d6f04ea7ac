import type { DocumentSummary } from '../../../../shared/contract';
import { monthLabel, sortDate } from '../format';

export type ListRow =
  | { kind: 'month'; key: string; label: string; count: number }
  | { kind: 'doc'; key: string; doc: DocumentSummary };

/** Documents (already newest first) with a heading before each month. */
export function groupByMonth(items: readonly DocumentSummary[]): ListRow[] {
  const rows: ListRow[] = [];
  let currentMonth: string | null = null;
  let heading: Extract<ListRow, { kind: 'month' }> | null = null;
  for (const doc of items) {
    const month = sortDate(doc).slice(0, 7);
    if (month !== currentMonth || !heading) {
      currentMonth = month;
      heading = { kind: 'month', key: `month-${month}-${rows.length}`, label: monthLabel(month), count: 0 };
      rows.push(heading);
    }
    heading.count += 1;
    rows.push({ kind: 'doc', key: doc.id, doc });
  }
  return rows;
}
