/** Helpers for showing and saving the recovery key. The key itself comes from the core and is never stored here. */

/** Splits a key into the groups people copy one at a time. */
export function recoveryKeyGroups(key: string): string[] {
  const trimmed = key.trim();
  if (/[\s-]/.test(trimmed)) return trimmed.split(/[\s-]+/).filter(Boolean);
  return trimmed.match(/.{1,4}/g) ?? [];
}

export function recoveryKeyText(key: string, patientName: string, createdAt: Date): string {
  return [
    'Second Opinion — recovery key',
    '',
    `Vault of: ${patientName}`,
    `Created: ${createdAt.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' })}`,
    '',
    'Recovery key:',
    recoveryKeyGroups(key).join('-'),
    '',
    'This key opens your vault if you forget your passphrase.',
    'Keep it somewhere safe and private, away from this computer (for example printed, with your important papers).',
    'Anyone who has this key and this computer can read your records.',
    '',
  ].join('\r\n');
}

/** Offers the key as a text file download, made on this computer (nothing is uploaded). */
export function saveRecoveryKeyFile(text: string): void {
  const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'second-opinion-recovery-key.txt';
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
