import { useId, useRef } from 'react';
import { Checkbox, CheckboxGroup, Label } from 'react-aria-components';
import { DOCUMENT_TYPES, DOCUMENT_TYPE_LABELS, type DocumentType, type PacketPreview } from '../../../shared/contract';
import { ActionButton } from '../ui/ActionButton';
import { CheckMark } from '../ui/CheckMark';
import { PreviewPanel } from './PreviewPanel';
import { documentMeta, fitsWords, studyMeta, studyTitle } from './words';

type DocumentItem = PacketPreview['documents'][number];
type StudyItem = PacketPreview['studies'][number];

interface Props {
  preview: PacketPreview;
  current: boolean;
  /** The person's choice; null = the app's suggestion. */
  documentIds: string[] | null;
  studyUids: string[] | null;
  onDocuments(ids: string[] | null): void;
  onStudies(uids: string[] | null): void;
}

/**
 * Step 2: what goes in. The checkboxes show the person's choice when there is one, else the app's suggestion —
 * never the preview's echo of it, which lags a moment behind each click.
 */
export function SelectionStep({ preview, current, documentIds, studyUids, onDocuments, onStudies }: Props) {
  const chosenDocuments = documentIds ?? preview.documents.filter((d) => d.inDefault).map((d) => d.id);
  const chosenStudies = studyUids ?? preview.studies.filter((s) => s.inDefault).map((s) => s.uid);
  const changed = documentIds !== null || studyUids !== null;
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const groups = DOCUMENT_TYPES.map((type) => ({ type, items: preview.documents.filter((d) => d.type === type) })).filter((g) => g.items.length > 0);

  /** The whole new choice when one group changed, in the preview's (date) order. */
  const replaceGroup = (inGroup: readonly string[], picked: string[]) => {
    const others = chosenDocuments.filter((id) => !inGroup.includes(id));
    const next = new Set([...others, ...picked]);
    onDocuments(preview.documents.filter((d) => next.has(d.id)).map((d) => d.id));
  };
  // "Everything" means the person's own records: items that may be someone else's keep their own tick.
  const chooseAll = () => {
    onDocuments(preview.documents.filter((d) => !d.otherPatient || chosenDocuments.includes(d.id)).map((d) => d.id));
    onStudies(preview.studies.filter((s) => !s.otherPatient || chosenStudies.includes(s.uid)).map((s) => s.uid));
  };
  const chooseNothing = () => {
    onDocuments([]);
    onStudies([]);
  };
  const hasItems = preview.documents.length > 0 || preview.studies.length > 0;

  return (
    <div className="packets-step-body">
      <p className="hint">
        The app has ticked what second-opinion offices usually ask for. Untick anything you would rather not send, or
        tick more. Your records stay in your vault either way.
      </p>
      <PreviewPanel preview={preview} current={current} headingRef={previewHeading} />
      {hasItems ? (
        <div className="actions">
          <ActionButton variant="quiet" onPress={chooseAll}>
            Choose everything
          </ActionButton>
          <ActionButton variant="quiet" onPress={chooseNothing}>
            Choose nothing
          </ActionButton>
          {changed ? (
            <ActionButton
              variant="quiet"
              onPress={() => {
                onDocuments(null);
                onStudies(null);
                // The button goes away with the change: the counts it changed take the focus instead.
                previewHeading.current?.focus();
              }}
            >
              Go back to the app’s suggestion
            </ActionButton>
          ) : null}
        </div>
      ) : null}
      {!hasItems ? (
        <p className="status" data-testid="packets-empty-vault">
          Your vault has no records or scans yet. Add them under Records and Imaging first.
        </p>
      ) : null}
      {groups.map((group) => (
        <DocumentGroup key={group.type} type={group.type} items={group.items} chosen={chosenDocuments} onChange={replaceGroup} />
      ))}
      {preview.studies.length > 0 ? (
        <StudyGroup
          items={preview.studies}
          chosen={chosenStudies}
          onChange={(picked) => onStudies(preview.studies.filter((s) => picked.includes(s.uid)).map((s) => s.uid))}
        />
      ) : null}
    </div>
  );
}

function DocumentGroup({ type, items, chosen, onChange }: { type: DocumentType; items: DocumentItem[]; chosen: string[]; onChange(inGroup: readonly string[], picked: string[]): void }) {
  const ids = items.map((item) => item.id);
  const value = chosen.filter((id) => ids.includes(id));
  const label = DOCUMENT_TYPE_LABELS[type];
  return (
    <CheckboxGroup className="packets-group" value={value} onChange={(picked) => onChange(ids, picked)} data-testid={`group-${type}`}>
      <div className="packets-group-head">
        <Label className="packets-group-label">
          {label} <span className="hint">({value.length} of {items.length} chosen)</span>
        </Label>
        {items.length > 1 ? (
          <GroupToggle
            label={label}
            allChosen={value.length === items.length}
            onChooseAll={() => onChange(ids, items.filter((item) => !item.otherPatient || value.includes(item.id)).map((item) => item.id))}
            onChooseNone={() => onChange(ids, [])}
          />
        ) : null}
      </div>
      <ul className="packets-items">
        {items.map((item) => (
          <Item key={item.id} value={item.id} title={item.title} meta={documentMeta(item)} why={item.inDefault ? null : item.why} warn={item.otherPatient} />
        ))}
      </ul>
    </CheckboxGroup>
  );
}

function StudyGroup({ items, chosen, onChange }: { items: StudyItem[]; chosen: string[]; onChange(picked: string[]): void }) {
  const value = chosen.filter((uid) => items.some((item) => item.uid === uid));
  return (
    <CheckboxGroup className="packets-group" value={value} onChange={onChange} data-testid="group-studies">
      <div className="packets-group-head">
        <Label className="packets-group-label">
          Scans: the images themselves <span className="hint">({value.length} of {items.length} chosen)</span>
        </Label>
        {items.length > 1 ? (
          <GroupToggle
            label="Scans"
            allChosen={value.length === items.length}
            onChooseAll={() => onChange(items.filter((item) => !item.otherPatient || value.includes(item.uid)).map((item) => item.uid))}
            onChooseNone={() => onChange([])}
          />
        ) : null}
      </div>
      <ul className="packets-items">
        {items.map((item) => (
          <Item
            key={item.uid}
            value={item.uid}
            title={studyTitle(item)}
            meta={`${studyMeta(item)}. ${fitsWords(item.fits)}`}
            why={item.otherPatient ? item.why : null}
            warn={item.otherPatient}
          />
        ))}
      </ul>
    </CheckboxGroup>
  );
}

/** Ticks or unticks a whole group; its name says which group (the visible text alone would be ambiguous). */
function GroupToggle({ label, allChosen, onChooseAll, onChooseNone }: { label: string; allChosen: boolean; onChooseAll(): void; onChooseNone(): void }) {
  return allChosen ? (
    <ActionButton variant="quiet" className="packets-group-toggle" onPress={onChooseNone} aria-label={`Leave out all in ${label}`}>
      Leave out all
    </ActionButton>
  ) : (
    <ActionButton variant="quiet" className="packets-group-toggle" onPress={onChooseAll} aria-label={`Choose all in ${label}`}>
      Choose all
    </ActionButton>
  );
}

/** One checkbox: a short name to hear, and its details linked as a description (read after the name). */
function Item({ value, title, meta, why, warn }: { value: string; title: string; meta: string; why: string | null; warn: boolean }) {
  const id = useId();
  return (
    <li className="packets-item">
      <Checkbox value={value} className="checkbox" aria-describedby={`${id}-meta`}>
        <CheckMark />
        <span className="packets-item-title">{title}</span>
      </Checkbox>
      <p className="hint packets-item-meta" id={`${id}-meta`}>
        {meta}
        {why ? <span className={warn ? 'packets-item-warn' : 'packets-item-why'}> {why}</span> : null}
      </p>
    </li>
  );
}
