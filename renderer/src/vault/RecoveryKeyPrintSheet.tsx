import { createPortal } from 'react-dom';
import { RecoveryKeyView } from './RecoveryKeyView';

/**
 * What "Print" puts on paper: only the recovery key and how to use it. Hidden on screen; the print style sheet
 * hides the rest of the app while it is on the page.
 */
export function RecoveryKeyPrintSheet({ recoveryKey, patientName }: { recoveryKey: string; patientName: string }) {
  return createPortal(
    <div className="print-sheet" aria-hidden="true">
      <h1>Second Opinion — recovery key</h1>
      <p>Vault of: {patientName}</p>
      <p>Printed: {new Date().toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' })}</p>
      <RecoveryKeyView recoveryKey={recoveryKey} />
      <p>This key opens your vault if you forget your passphrase. Keep this paper somewhere safe and private.</p>
      <p>Anyone who has this key and your computer can read your records.</p>
    </div>,
    document.body,
  );
}
