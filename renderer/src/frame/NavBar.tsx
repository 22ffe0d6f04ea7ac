import { Link } from 'react-aria-components';
import type { Section } from './sections';

/** The left navigation: one link per section that exists. */
export function NavBar({ sections, currentId }: { sections: readonly Section[]; currentId: string }) {
  return (
    <nav className="frame-nav" aria-label="Sections">
      <ul>
        {sections.map((section) => (
          <li key={section.id}>
            <Link
              href={`#/${section.id}`}
              className="nav-link"
              aria-current={section.id === currentId ? 'page' : undefined}
            >
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
