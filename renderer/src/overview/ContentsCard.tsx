import type { VaultOverview } from '../../../shared/contract';
import { Card } from '../ui/Card';
import { formatBytes, plural } from '../ui/format';

interface Props {
  counts: VaultOverview['counts'];
  storedBytes: number;
}

/** How much the vault holds, in plain counts. */
export function ContentsCard({ counts, storedBytes }: Props) {
  return (
    <Card title="In your vault">
      <ul className="counts">
        <li>
          <span className="count-number">{counts.documents.toLocaleString()}</span>
          <span className="count-label">{counts.documents === 1 ? 'document' : 'documents'}</span>
        </li>
        <li>
          <span className="count-number">{counts.studies.toLocaleString()}</span>
          <span className="count-label">{counts.studies === 1 ? 'imaging study' : 'imaging studies'}</span>
        </li>
        <li>
          <span className="count-number">{counts.opinions.toLocaleString()}</span>
          <span className="count-label">{counts.opinions === 1 ? 'opinion' : 'opinions'}</span>
        </li>
      </ul>
      <p className="hint">
        {plural(counts.storedFiles, 'stored file', 'stored files')}, {formatBytes(storedBytes)} in total, all encrypted.
      </p>
    </Card>
  );
}
