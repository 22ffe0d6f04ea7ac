import { useEffect, useId, useRef, useState } from 'react';
import { Input, Label, SearchField } from 'react-aria-components';
import { DOCUMENT_TYPE_LABELS, type PacketLogEntry, type PacketPreview } from '../../../shared/contract';
import { useVaultQuery } from '../api/useVaultQuery';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { formatBytes, formatCalendarDate, formatDateTime, plural } from '../ui/format';
import { BuildPanel } from './BuildPanel';
import { go } from './route';
import { usePacketBuild } from './usePacketBuild';
import { FORMAT_WORDS, PROFILE_WORDS, recipientName, studyTitle } from './words';

/**
 * "Send records": the packets made so far — when, for whom, what, in which form — so a person can answer "what did
 * I send to Dr. X?", make the same packet again, or start a new one.
 */
export function PacketLog() {
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useVaultQuery('packets.list', {});
  // The default preview lists every document and study in the vault: it names what each packet held.
  const names = useVaultQuery('packets.preview', {});
  const [filter, setFilter] = useState('');
  const [again, setAgain] = useState<PacketLogEntry | null>(null);
  const builder = usePacketBuild();
  const rebuildHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const rebuild = (entry: PacketLogEntry) => {
    setAgain(entry);
    void builder.build({ fromPacket: entry.id });
  };
  // The pressed button is disabled while the packet is made: the progress takes the focus instead.
  const phase = builder.state.phase;
  useEffect(() => {
    if (phase === 'building') rebuildHeading.current?.focus();
  }, [phase]);

  const items = list.data?.items ?? [];
  const query = filter.trim().toLowerCase();
  const shown = query ? items.filter((entry) => matches(entry, query)) : items;
  return (
    <div className="screen packets-screen">
      <h1 ref={heading} tabIndex={-1}>
        Send your records
      </h1>
      <p className="lead">
        Make one packet of your records for a second-opinion office: a letter and one PDF to read, your scans in the
        form hospitals load, and a list of every file with a fingerprint. The app remembers each packet, so you can
        always see what you sent to whom.
      </p>
      <div className="actions">
        <ActionButton onPress={() => go({ view: 'new', appointmentId: null })}>Make a new packet</ActionButton>
      </div>

      {again && builder.state.phase !== 'idle' ? (
        <section className="packets-rebuild" aria-labelledby="packets-rebuild-heading" data-testid="packet-rebuild">
          <h2 id="packets-rebuild-heading" ref={rebuildHeading} tabIndex={-1}>
            The same packet again{recipientName(again.recipient) ? ` for ${recipientName(again.recipient)}` : ''}
          </h2>
          <BuildPanel state={builder.state} onCancel={builder.cancel} onRetry={() => rebuild(again)}>
            <ActionButton variant="secondary" onPress={builder.dismiss}>
              Close
            </ActionButton>
          </BuildPanel>
        </section>
      ) : null}

      <section className="packets-log-section" aria-labelledby="packets-log-heading">
        <h2 id="packets-log-heading">Packets you made</h2>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <p className="hint">Loading…</p> : null}
        {list.data && items.length === 0 ? (
          <p className="status" data-testid="packets-none">
            No packets yet. When you make one, it is listed here with the date, who it was for and what it held.
          </p>
        ) : null}
        {items.length > 1 ? (
          <SearchField className="field packets-filter" value={filter} onChange={setFilter}>
            <Label className="field-label">Find a packet by doctor, office or date</Label>
            <Input className="input" />
          </SearchField>
        ) : null}
        {query && shown.length === 0 ? <p className="hint">No packet matches “{filter.trim()}”.</p> : null}
        {shown.length > 0 ? (
          <ol className="packets-log">
            {shown.map((entry) => (
              <LogEntry key={entry.id} entry={entry} names={names.data} busy={builder.busy} onAgain={() => rebuild(entry)} />
            ))}
          </ol>
        ) : null}
      </section>
    </div>
  );
}

function matches(entry: PacketLogEntry, query: string): boolean {
  const { organization, doctor, contact, appointmentDate } = entry.recipient;
  return [organization, doctor, contact, appointmentDate, entry.createdAt.slice(0, 10)].some((value) => value?.toLowerCase().includes(query));
}

function LogEntry({ entry, names, busy, onAgain }: { entry: PacketLogEntry; names: PacketPreview | undefined; busy: boolean; onAgain(): void }) {
  const id = useId();
  const who = recipientName(entry.recipient);
  const what = [plural(entry.documentIds.length, 'document', 'documents'), plural(entry.studyUids.length, 'scan', 'scans')].join(' and ');
  return (
    <li className="packets-entry" data-testid="packet-entry">
      <article aria-labelledby={id}>
        <h3 id={id}>{who ? `For ${who}` : 'No recipient named'}</h3>
        <p className="hint packets-entry-when">
          Made {formatDateTime(entry.createdAt)} · {FORMAT_WORDS[entry.format].name}
          {entry.profile ? ` · images for a ${PROFILE_WORDS[entry.profile].name}` : ''}
          {entry.recipient.appointmentDate ? ` · for the appointment on ${formatCalendarDate(entry.recipient.appointmentDate)}` : ''}
        </p>
        <p className="packets-entry-what">{what}:</p>
        <ul className="packets-entry-items">
          {entry.documentIds.map((documentId) => (
            <li key={documentId}>{documentWords(names, documentId)}</li>
          ))}
          {entry.studyUids.map((uid) => (
            <li key={uid}>{studyWords(names, uid)}</li>
          ))}
        </ul>
        <details className="packets-entry-details">
          <summary>Where it was saved, and its fingerprint</summary>
          <dl className="facts packets-facts">
            <div>
              <dt>Saved as</dt>
              <dd className="path">{entry.path}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>
                {plural(entry.files, 'file', 'files')}, {formatBytes(entry.bytes)}
              </dd>
            </div>
            <div>
              <dt>Fingerprint</dt>
              <dd className="path packets-fingerprint">{entry.manifestSha256}</dd>
            </div>
          </dl>
        </details>
        <div className="actions">
          <ActionButton variant="secondary" onPress={onAgain} isDisabled={busy}>
            <span>
              Build again<span className="visually-hidden"> {who ? `for ${who}` : ''}</span>
            </span>
          </ActionButton>
          <p className="hint packets-inline-hint">Makes a new copy with the same records, recipient and format.</p>
        </div>
      </article>
    </li>
  );
}

function documentWords(names: PacketPreview | undefined, id: string): string {
  if (!names) return 'A document';
  const document = names.documents.find((item) => item.id === id);
  if (!document) return 'A document no longer in your records';
  return `${document.title} (${DOCUMENT_TYPE_LABELS[document.type]}${document.serviceDate ? `, ${formatCalendarDate(document.serviceDate)}` : ''})`;
}

function studyWords(names: PacketPreview | undefined, uid: string): string {
  if (!names) return 'A scan';
  const study = names.studies.find((item) => item.uid === uid);
  return study ? `Scan: ${studyTitle(study)}` : 'A scan no longer in your vault';
}
