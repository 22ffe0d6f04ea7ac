import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useAction } from '../api/useAction';
import { ErrorText } from '../ui/ErrorText';

export interface ItemFormProps<T> {
  /** The item being changed, or null for a new one. */
  initial: T | null;
  busy: boolean;
  onSubmit(item: T): void;
  onCancel(): void;
}

interface Props<T> {
  /** "medicine", "person", "question": used in button names and announcements. */
  noun: string;
  items: readonly T[];
  keyOf(item: T, index: number): string;
  nameOf(item: T): string;
  renderSummary(item: T): ReactNode;
  renderForm(props: ItemFormProps<T>): ReactNode;
  /** Keeps the whole list in this order (saves it, for lists kept in the vault). Throws an AppError to show. */
  onSave(items: T[]): Promise<void>;
  /** Whether two neighbours may change places (the medication list keeps medicines still taken first). */
  canSwap?(a: T, b: T): boolean;
  addLabel: string;
  /** The contract's limit on the list's length. */
  max: number;
  emptyText: string;
  testId: string;
}

type Control = 'change' | 'up' | 'down' | 'remove';
/**
 * Where the focus goes once the list shows the change: an item by its key (it may have moved: the core can keep
 * its own order), the item that was not there before (a new one), a row by position (after a removal), or Add.
 */
type FocusTarget =
  | { kind: 'key'; key: string; control: Control }
  | { kind: 'new'; before: ReadonlySet<string>; control: Control }
  | { kind: 'index'; index: number; control: Control }
  | { kind: 'add' };

/**
 * A short list a person keeps by hand: add, change, remove and move up or down, one item open at a time. Plain
 * buttons (Tab, Enter, Space); after each change the focus stays where the person was and the change is announced.
 */
export function EditableList<T>(props: Props<T>) {
  const { items, noun } = props;
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(null);
  const controls = useRef(new Map<string, HTMLButtonElement | null>());
  // Resolves true once saved; useAction gives undefined when it failed (and shows why).
  const save = useAction(async (next: T[]) => {
    await props.onSave(next);
    return true as const;
  });
  const keys = items.map((item, index) => props.keyOf(item, index));
  const keysJoined = keys.join('\n');
  const canMove = (from: number, to: number) => {
    const a = items[from];
    const b = items[to];
    return a !== undefined && b !== undefined && (props.canSwap?.(a, b) ?? true);
  };

  useEffect(() => {
    if (!focusTarget || save.busy) return;
    const current = keysJoined ? keysJoined.split('\n') : [];
    const find = (index: number, control: Control) => controls.current.get(`${index}:${control}`) ?? null;
    let index = -1;
    if (focusTarget.kind === 'key') index = current.indexOf(focusTarget.key);
    else if (focusTarget.kind === 'new') index = current.findIndex((key) => !focusTarget.before.has(key));
    else if (focusTarget.kind === 'index') index = Math.min(focusTarget.index, current.length - 1);
    let element = focusTarget.kind === 'add' ? (controls.current.get('add') ?? null) : index >= 0 ? find(index, focusTarget.control) : null;
    // The list may show the saved items a render later: wait for the row to exist.
    if (!element) return;
    // A move to the top or bottom disables the button just pressed: the other direction, else Change, takes focus.
    if (element.disabled && focusTarget.kind !== 'add') {
      element = find(index, focusTarget.control === 'up' ? 'down' : 'up');
      if (!element || element.disabled) element = find(index, 'change');
    }
    element?.focus();
    setFocusTarget(null);
  }, [focusTarget, save.busy, keysJoined]);

  const register = (key: string) => (element: HTMLButtonElement | null) => {
    controls.current.set(key, element);
  };

  const commit = async (next: T[], message: string, focus: FocusTarget) => {
    if (!(await save.run(next))) return;
    setEditing(null);
    setAnnouncement(message);
    setFocusTarget(focus);
  };

  const move = (from: number, to: number, control: Control) => {
    const item = items[from];
    if (item === undefined || to < 0 || to >= items.length || !canMove(from, to)) return;
    const next = [...items];
    next.splice(from, 1);
    next.splice(to, 0, item);
    void commit(next, `${props.nameOf(item)} is now number ${to + 1} of ${items.length}.`, { kind: 'key', key: props.keyOf(item, from), control });
  };

  const remove = (index: number) => {
    const item = items[index];
    if (item === undefined) return;
    const next = items.filter((_, i) => i !== index);
    void commit(next, `${props.nameOf(item)} was removed.`, next.length > 0 ? { kind: 'index', index, control: 'remove' } : { kind: 'add' });
  };

  return (
    <div className="packets-editable" data-testid={props.testId}>
      {items.length === 0 && editing !== 'new' ? <p className="hint">{props.emptyText}</p> : null}
      {items.length > 0 ? (
        <ol className="packets-rows">
          {items.map((item, index) => (
            <li key={props.keyOf(item, index)} className="packets-row" data-testid={`${props.testId}-row`}>
              {editing === index ? (
                props.renderForm({
                  initial: item,
                  busy: save.busy,
                  onSubmit: (changed) =>
                    void commit(items.map((old, i) => (i === index ? changed : old)), `${props.nameOf(changed)} was saved.`, {
                      kind: 'key',
                      key: props.keyOf(item, index),
                      control: 'change',
                    }),
                  onCancel: () => {
                    setEditing(null);
                    setFocusTarget({ kind: 'index', index, control: 'change' });
                  },
                })
              ) : (
                <Row
                  index={index}
                  name={props.nameOf(item)}
                  noun={noun}
                  busy={save.busy || editing !== null}
                  register={register}
                  onChange={() => {
                    save.reset();
                    setEditing(index);
                  }}
                  canUp={canMove(index, index - 1)}
                  canDown={canMove(index, index + 1)}
                  onMove={move}
                  onRemove={remove}
                >
                  {props.renderSummary(item)}
                </Row>
              )}
            </li>
          ))}
        </ol>
      ) : null}
      {editing === 'new' ? (
        <div className="packets-row packets-row-new">
          {props.renderForm({
            initial: null,
            busy: save.busy,
            onSubmit: (added) => void commit([...items, added], `${props.nameOf(added)} was added.`, { kind: 'new', before: new Set(keys), control: 'change' }),
            onCancel: () => {
              setEditing(null);
              setFocusTarget({ kind: 'add' });
            },
          })}
        </div>
      ) : null}
      <ErrorText error={save.error} />
      {editing === null && items.length >= props.max ? <p className="hint">That is the most this list can hold.</p> : null}
      {editing === null && items.length < props.max ? (
        <div className="actions">
          <button
            type="button"
            className="button button-secondary"
            ref={register('add')}
            onClick={() => {
              save.reset();
              setEditing('new');
            }}
          >
            {props.addLabel}
          </button>
        </div>
      ) : null}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

interface RowProps {
  index: number;
  name: string;
  noun: string;
  busy: boolean;
  canUp: boolean;
  canDown: boolean;
  register(key: string): (element: HTMLButtonElement | null) => void;
  onChange(): void;
  onMove(from: number, to: number, control: Control): void;
  onRemove(index: number): void;
  children: ReactNode;
}

function Row({ index, name, noun, busy, canUp, canDown, register, onChange, onMove, onRemove, children }: RowProps) {
  const label = (verb: string) => `${verb} ${noun} ${index + 1}: ${name}`;
  return (
    <div className="packets-row-view">
      <div className="packets-row-summary">{children}</div>
      <div className="packets-row-actions">
        <button type="button" className="button button-secondary packets-small" ref={register(`${index}:change`)} disabled={busy} aria-label={label('Change')} onClick={onChange}>
          Change
        </button>
        <button
          type="button"
          className="button button-secondary packets-small"
          ref={register(`${index}:up`)}
          disabled={busy || !canUp}
          aria-label={label('Move up')}
          onClick={() => onMove(index, index - 1, 'up')}
        >
          <span aria-hidden="true">↑</span> Up
        </button>
        <button
          type="button"
          className="button button-secondary packets-small"
          ref={register(`${index}:down`)}
          disabled={busy || !canDown}
          aria-label={label('Move down')}
          onClick={() => onMove(index, index + 1, 'down')}
        >
          <span aria-hidden="true">↓</span> Down
        </button>
        <button type="button" className="button button-quiet packets-small" ref={register(`${index}:remove`)} disabled={busy} aria-label={label('Remove')} onClick={() => onRemove(index)}>
          Remove
        </button>
      </div>
    </div>
  );
}
