import { useEffect, useId, type ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { forgetAnnouncementsAbout } from '../app/forgetAnnouncements';
import { Spinner } from './Spinner';

interface Props {
  children: ReactNode;
  onPress?: () => void;
  type?: 'button' | 'submit';
  variant?: 'primary' | 'secondary' | 'quiet' | 'danger';
  /** While true the button shows `busyLabel` with a spinner and cannot be pressed again. */
  busy?: boolean;
  busyLabel?: string;
  isDisabled?: boolean;
  autoFocus?: boolean;
  className?: string;
  'aria-describedby'?: string;
  /** A fuller name for assistive technology; must start with the visible text (WCAG 2.5.3, label in name). */
  'aria-label'?: string;
}

/** A react-aria Button with the app's look and a built-in busy state. */
export function ActionButton({ variant = 'primary', busy = false, ...props }: Props) {
  const id = useId();
  useEffect(() => () => forgetAnnouncementsAbout(id), [id]);
  return (
    <Button
      id={id}
      type={props.type ?? 'button'}
      onPress={props.onPress}
      isPending={busy}
      isDisabled={props.isDisabled}
      autoFocus={props.autoFocus}
      aria-describedby={props['aria-describedby']}
      aria-label={props['aria-label']}
      className={['button', `button-${variant}`, props.className].filter(Boolean).join(' ')}
    >
      {busy ? (
        <>
          <Spinner />
          <span>{props.busyLabel ?? 'Working…'}</span>
        </>
      ) : (
        props.children
      )}
    </Button>
  );
}
