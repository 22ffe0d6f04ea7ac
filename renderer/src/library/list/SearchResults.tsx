import type { OutputOf } from '../../../../shared/contract';
import { formatCalendarDate, plural } from '../../ui/format';
import { typeLabel } from '../format';
import { documentHref } from '../useDocumentRoute';
import { Highlighted } from '../highlight';

type Results = OutputOf<'documents.search'>['results'];

interface Props {
  query: string;
  results: Results | undefined;
  searching: boolean;
  limit: number;
}

/** Documents whose text, title, notes or tags contain the words typed, best first, with the words marked. */
export function SearchResults({ query, results, searching, limit }: Props) {
  if (!results) return <p className="hint" role="status">Searching…</p>;
  return (
    <section className="search-results" aria-labelledby="search-results-heading" aria-busy={searching}>
      <div role="status">
        <h2 id="search-results-heading" className="search-results-heading">
          {results.length === 0
            ? `Nothing in your records matches “${query}”.`
            : results.length >= limit
              ? `The ${limit} best matches for “${query}”`
              : `${plural(results.length, 'document matches', 'documents match')} “${query}”`}
        </h2>
      </div>
      {results.length === 0 ? (
        <p className="hint">Check the spelling, or try fewer or shorter words. Documents in the trash are not searched.</p>
      ) : (
        <ul className="search-list" data-testid="search-results">
          {results.map((result) => (
            <li key={result.id} className="search-item">
              <span className="doc-type">{typeLabel(result.type)}</span>
              <a className="doc-title" href={documentHref(result.id)}>
                {result.title}
              </a>
              {result.serviceDate ? <span className="doc-meta">{formatCalendarDate(result.serviceDate)}</span> : null}
              <p className="snippet" data-testid="search-snippet">
                <Highlighted segments={result.snippet} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
