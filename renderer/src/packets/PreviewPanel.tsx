import type { Ref } from 'react';
import type { PacketPreview } from '../../../shared/contract';
import { formatBytes, plural } from '../ui/format';
import { previewLine } from './words';

/** The problems the core found with the current choice, in its own plain words. */
export function ProblemList({ problems }: { problems: PacketPreview['problems'] }) {
  if (problems.length === 0) return null;
  return (
    <div className="status status-warning packets-problems-box" data-testid="packet-problems">
      <p className="packets-problems-title">{problems.length === 1 ? 'Before the packet can be made:' : 'Before the packet can be made, sort out these:'}</p>
      <ul className="packets-problems">
        {problems.map((problem, index) => (
          <li key={`${problem.kind}-${index}`} data-kind={problem.kind}>
            {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the packet would hold for the current choice: counts, size, problems, and the files it would contain. */
export function PreviewPanel({ preview, current, headingRef }: { preview: PacketPreview; current: boolean; headingRef?: Ref<HTMLHeadingElement> }) {
  const pages = preview.recordsPages;
  return (
    <section className="packets-preview" aria-labelledby="packets-preview-heading" data-testid="packet-preview" aria-busy={!current}>
      <h3 id="packets-preview-heading" ref={headingRef} tabIndex={-1}>
        What goes in
      </h3>
      <p className="packets-preview-line" data-testid="preview-line">
        {previewLine(preview)}
      </p>
      <p className="hint packets-preview-extras">
        {pages > 0 ? `The records make about ${plural(pages, 'page', 'pages')}. ` : ''}
        {plural(preview.medications, 'current medicine', 'current medicines')}, {plural(preview.careTeam, 'care team member', 'care team members')} and{' '}
        {plural(preview.questions, 'question', 'questions')} go on the cover letter.
      </p>
      <ProblemList problems={preview.problems} />
      <details className="packets-contents">
        <summary>The files in the packet</summary>
        <table className="packets-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">What it is</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {preview.contents.map((item) => (
              <tr key={item.path}>
                <td className="path">{item.path}</td>
                <td>{item.what}</td>
                <td className="packets-number">about {formatBytes(item.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
