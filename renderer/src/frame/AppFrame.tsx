import { useEffect } from 'react';
import { useVaultQuery } from '../api/useVaultQuery';
import { LockButton } from './LockButton';
import { NavBar } from './NavBar';
import { sections } from './sections';
import { useHashRoute } from './useHashRoute';

/** The main window once the vault is open: header with the patient's name and Lock, navigation, content. */
export function AppFrame() {
  const overview = useVaultQuery('vault.overview', {});
  const currentId = useHashRoute(
    sections.map((section) => section.id),
    sections[0]?.id ?? 'overview',
  );
  const current = sections.find((section) => section.id === currentId) ?? sections[0];
  const name = overview.data?.profile.fullName;

  useEffect(() => {
    document.title = current ? `${current.label} — Second Opinion` : 'Second Opinion';
    return () => {
      document.title = 'Second Opinion';
    };
  }, [current]);

  return (
    <div className="frame">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="frame-header">
        <div className="frame-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Second Opinion</span>
        </div>
        <p className="frame-patient">
          {name ? (
            <>
              <span className="frame-patient-label">Records of</span>{' '}
              <span className="frame-patient-name" data-testid="patient-name">
                {name}
              </span>
            </>
          ) : null}
        </p>
        <LockButton />
      </header>
      <div className="frame-body">
        <NavBar sections={sections} currentId={currentId} />
        <main className="frame-main" id="main" tabIndex={-1}>
          {current?.render()}
        </main>
      </div>
    </div>
  );
}
