import { useId } from 'react';
import type { ImagingPatient as Patient, SeriesSummary as Series, StudySummary } from '../../../shared/contract';
import { blobUrl } from '../api/client';
import { useVaultQuery } from '../api/useVaultQuery';
import { documentHref } from '../library/useDocumentRoute';
import { seriesHref } from './route';
import { displayDate, displayName, modalityExplained, modalityName, plainCount } from './words';

/** Everyone named on imported discs, each with their studies newest first, like a timeline. */
export function StudiesView({ patients }: { patients: Patient[] }) {
  return (
    <div className="imaging-patients">
      {patients.map((patient) => (
        <PatientStudies key={patient.key} patient={patient} showName={patients.length > 1} />
      ))}
    </div>
  );
}

function PatientStudies({ patient, showName }: { patient: Patient; showName: boolean }) {
  const id = useId();
  const studies = patient.studies;
  return (
    <section className="imaging-patient" aria-labelledby={id} data-testid="imaging-patient">
      <h2 id={id} className={showName ? undefined : 'visually-hidden'}>
        {showName ? displayName(patient.name) : `Scans of ${displayName(patient.name)}`}
      </h2>
      {showName ? (
        <p className="hint imaging-patient-facts">
          {patient.birthDate ? `Born ${displayDate(patient.birthDate)}` : 'Date of birth not given'}
          {patient.patientId ? ` · Hospital number ${patient.patientId}` : ''} · {plainCount(studies.length, 'study', 'studies')}
        </p>
      ) : null}
      {patient.otherPatient ? (
        <p className="status status-warning imaging-other-patient">
          The name or date of birth on these scans is not the one in your profile. You chose to import them.
        </p>
      ) : null}
      <ol className="imaging-timeline">
        {studies.map((study) => (
          <li key={study.uid} className="imaging-timeline-item">
            <StudyCard study={study} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function StudyCard({ study }: { study: StudySummary }) {
  const id = useId();
  const title = study.description ?? (study.modalities.length > 0 ? study.modalities.map(modalityName).join(', ') : 'Imaging study');
  const pictures = study.series.filter((series) => series.frameCount > 0 || series.thumbnailStatus !== 'none');
  const others = study.series.filter((series) => !pictures.includes(series));
  return (
    <article className="imaging-study" aria-labelledby={id} data-testid="imaging-study">
      <p className="imaging-study-date">
        {study.date ? <time dateTime={study.date}>{displayDate(study.date)}</time> : 'Date not given'}
      </p>
      <h3 id={id} className="imaging-study-title">
        {title}
      </h3>
      {study.modalities.length > 0 ? (
        <ul className="imaging-modalities" aria-label="Kind of scan">
          {study.modalities.map((code) => {
            const words = modalityExplained(code);
            return (
              <li key={code}>
                <span className="imaging-modality">{words.name}</span>
                {words.plain ? <span className="hint"> — {words.plain}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      <dl className="imaging-facts">
        {study.institution ? (
          <div>
            <dt>Where</dt>
            <dd>{study.institution}</dd>
          </div>
        ) : null}
        {study.referringPhysician ? (
          <div>
            <dt>Asked for by</dt>
            <dd>{displayName(study.referringPhysician)}</dd>
          </div>
        ) : null}
        {study.accessionNumber ? (
          <div>
            <dt>Reference number</dt>
            <dd>
              {study.accessionNumber} <span className="hint">(the hospital’s “accession number” for this study)</span>
            </dd>
          </div>
        ) : null}
      </dl>
      {study.documentIds.length > 0 ? (
        <div className="imaging-reports">
          <h4>Reports with this study</h4>
          <ul>
            {study.documentIds.map((documentId, index) => (
              <li key={documentId}>
                <ReportLink id={documentId} index={index} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {pictures.length > 0 ? (
        <ul className="imaging-series-grid" aria-label={`Series in ${title}`}>
          {pictures.map((series) => (
            <li key={series.uid}>
              <SeriesTile series={series} />
            </li>
          ))}
        </ul>
      ) : null}
      {others.length > 0 ? (
        <p className="hint">
          Also on the disc: {others.map((series) => series.description ?? modalityName(series.modality)).join(', ')} (no pictures to show).
        </p>
      ) : null}
    </article>
  );
}

function ReportLink({ id, index }: { id: string; index: number }) {
  const doc = useVaultQuery('documents.get', { id });
  return <a href={documentHref(id)}>{doc.data?.title ?? `Report ${index + 1}`}</a>;
}

function placeholderWords(series: Series): string {
  if (series.thumbnailStatus === 'unsupported') return 'These pictures are stored in a way the app cannot draw yet. They are kept unchanged.';
  if (series.thumbnailStatus === 'pending') return 'No preview yet.';
  return series.frameCount > 0 ? 'No preview could be made.' : 'No pictures in this series.';
}

function SeriesTile({ series }: { series: Series }) {
  const label = [series.number !== null ? `Series ${series.number}` : null, series.description].filter(Boolean).join(': ') || 'Series';
  const count =
    series.frameCount > series.instanceCount ? plainCount(series.frameCount, 'picture', 'pictures') : plainCount(series.instanceCount, 'image', 'images');
  const body = (
    <>
      <span className="imaging-thumb-frame">
        {series.thumbnailId ? (
          <img className="imaging-thumb" src={blobUrl(series.thumbnailId)} alt="" loading="lazy" decoding="async" />
        ) : (
          <span className="imaging-thumb-placeholder">{placeholderWords(series)}</span>
        )}
      </span>
      <span className="imaging-series-label">{label}</span>
      <span className="hint imaging-series-meta">
        {modalityName(series.modality)} · {count}
      </span>
    </>
  );
  if (series.frameCount === 0) {
    return (
      <div className="imaging-series" data-testid="imaging-series">
        {body}
      </div>
    );
  }
  return (
    <a className="imaging-series imaging-series-link" href={seriesHref(series.uid)} data-testid="imaging-series">
      {body}
    </a>
  );
}
