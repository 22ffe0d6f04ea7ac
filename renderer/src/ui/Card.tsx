import { useId, type ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
  className?: string;
}

/** A titled block of the page; the title is a level-2 heading so screen-reader users can jump between cards. */
export function Card({ title, children, className }: Props) {
  const id = useId();
  return (
    <section className={['card', className].filter(Boolean).join(' ')} aria-labelledby={id}>
      <h2 id={id} className="card-title">
        {title}
      </h2>
      {children}
    </section>
  );
}
