import type { ReactNode } from 'react';

interface Props {
  title: string;
  step?: { current: number; total: number };
  children: ReactNode;
  wide?: boolean;
}

/** The calm, centred page used before the vault is open: create, unlock, recovery key. */
export function OnboardingLayout({ title, step, children, wide }: Props) {
  return (
    <div className="onboarding">
      <header className="onboarding-brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Second Opinion</span>
      </header>
      <main className={wide ? 'onboarding-panel onboarding-panel-wide' : 'onboarding-panel'}>
        {step ? (
          <p className="step">
            Step {step.current} of {step.total}
          </p>
        ) : null}
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
