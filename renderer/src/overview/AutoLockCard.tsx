import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue, Text } from 'react-aria-components';
import { call } from '../api/client';
import { cacheKey, useVaultQuery } from '../api/useVaultQuery';
import { setData } from '../api/cache';
import { useAction } from '../api/useAction';
import { Card } from '../ui/Card';
import { ErrorText } from '../ui/ErrorText';
import { StatusText } from '../ui/StatusText';

const CHOICES = [5, 10, 15, 30, 60, 120, 240];

function minutesWords(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** How long the app may sit unused before the vault locks itself. */
export function AutoLockCard() {
  const settings = useVaultQuery('settings.get', {});
  const update = useAction(async (autoLockMinutes: number) => {
    const saved = await call('settings.update', { autoLockMinutes });
    setData(cacheKey('settings.get', {}), saved);
    return saved;
  });
  const current = settings.data?.autoLockMinutes;
  const choices = current && !CHOICES.includes(current) ? [...CHOICES, current].sort((a, b) => a - b) : CHOICES;

  return (
    <Card title="Automatic lock">
      <ErrorText error={settings.error} />
      {current ? (
        <Select
          className="field select"
          selectedKey={current}
          onSelectionChange={(key) => {
            if (typeof key === 'number' && key !== current) void update.run(key);
          }}
          isDisabled={update.busy}
        >
          <Label className="field-label">Lock the vault when the app is not used for</Label>
          <Text slot="description" className="hint">
            Locking closes your records so nobody else can read them on this computer. You unlock again with your
            passphrase.
          </Text>
          <Button className="button button-secondary select-button">
            <SelectValue />
            <span aria-hidden="true" className="select-chevron">
              ▾
            </span>
          </Button>
          <Popover className="popover">
            <ListBox className="listbox" items={choices.map((minutes) => ({ id: minutes, label: minutesWords(minutes) }))}>
              {(item) => (
                <ListBoxItem id={item.id} className="listbox-item">
                  {item.label}
                </ListBoxItem>
              )}
            </ListBox>
          </Popover>
        </Select>
      ) : settings.loading ? (
        <p className="hint">Loading…</p>
      ) : null}
      <ErrorText error={update.error} />
      {update.busy ? <p className="hint">Saving…</p> : null}
      {update.result && !update.busy ? (
        <StatusText tone="good">Saved. The vault will lock after {minutesWords(update.result.autoLockMinutes)} without use.</StatusText>
      ) : null}
    </Card>
  );
}
