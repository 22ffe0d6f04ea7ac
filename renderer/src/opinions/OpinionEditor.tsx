import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DocumentSummary } from '../../../shared/contract/documents';
import { opinionLabel, STEP_KINDS, type Opinion, type OpinionKind, type StepKind } from '../../../shared/opinions';
import { useAction } from '../api/useAction';
import { useVaultQuery } from '../api/useVaultQuery';
import { ActionButton } from '../ui/ActionButton';
import { ErrorText } from '../ui/ErrorText';
import { callOpinions, refreshOpinionQueries, useOpinionQuery, type ProposalOut } from './api';
import { acceptProposal, checkDraft, draftFromOpinion, fieldId, getIn, pathsFromCoreMessage, setIn, type Draft, type FieldProblem } from './draft';
import { EditorContext, useEditor, type EditorContextValue } from './EditorContext';
import { ChoiceRow, FieldNotes, LinesRow, NotStatedBadge, NumberRow, RadioRow, TestResultsRow, TextRow } from './fields';
import { setFlash, useFocusHeading } from './flash';
import { fieldLabel, focusField } from './labels';
import { documentLabel, ProposalsPanel } from './ProposalsPanel';
import { go } from './route';
import { StepsEditor } from './StepsEditor';
import { TERMS } from './terms';
import {
  CLINICAL_PREFIX_CHOICES,
  GRADE_CHOICES,
  HER2_IHC_CHOICES,
  HER2_ISH_CHOICES,
  HER2_STATUS_CHOICES,
  INTENSITY_CHOICES,
  INTENT_CHOICES,
  KIND_CHOICES,
  LATERALITY_CHOICES,
  LVI_CHOICES,
  MARGIN_CHOICES,
  METASTASIS_CHOICES,
  NODE_CHOICES,
  PATHOLOGIC_PREFIX_CHOICES,
  RECEPTOR_CHOICES,
  SCORE_CHOICES,
  STAGE_CHOICES,
  stepKindLabel,
} from './vocab';

/** Loads what the editor needs (the opinion when editing, the library's documents), then shows the form. */
export function OpinionEditor({ id }: { id: string | null }) {
  const existing = useOpinionQuery('opinions.get', id ? { id } : null);
  const list = useOpinionQuery('opinions.list', id ? null : { trash: 'exclude' });
  const documents = useVaultQuery('documents.list', {});
  const reloadDocuments = documents.reload;
  // Documents may have been added since the list was last read (in Records, or from the command line).
  useEffect(() => reloadDocuments(), [reloadDocuments]);
  const error = existing.error ?? null;

  if (error) {
    return (
      <div className="screen">
        <h1>Opinion</h1>
        <ErrorText error={error} />
        <div className="actions">
          <ActionButton variant="secondary" onPress={() => go({ view: 'list' })}>
            Back to opinions
          </ActionButton>
        </div>
      </div>
    );
  }
  const ready = id ? existing.data : list.data || list.error;
  if (!ready) return <p className="hint">Loading…</p>;
  const initial: Draft = existing.data
    ? draftFromOpinion(existing.data)
    : { kind: (list.data?.items.length ?? 0) > 0 ? 'second' : 'first' };
  return <EditorForm opinion={existing.data ?? null} initial={initial} documents={documents.data?.items ?? []} />;
}

function Section({ id, title, children, intro }: { id: string; title: string; children: ReactNode; intro?: ReactNode }) {
  return (
    <section className="form-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro}
      {children}
    </section>
  );
}

function Group({ path, title, children, className }: { path: string; title: string; children: ReactNode; className?: string }) {
  const headingId = useId();
  const anyStated = useGroupStated(path);
  return (
    <div className={['field-group', className].filter(Boolean).join(' ')} role="group" aria-labelledby={headingId} id={fieldId(path)}>
      <div className="ofield-head">
        <h4 className="group-title" id={headingId}>
          {title}
        </h4>
        <NotStatedBadge stated={anyStated} />
      </div>
      {TERMS[path] ? <p className="hint field-hint">{TERMS[path]}</p> : null}
      <div className="group-fields">{children}</div>
      <FieldNotes path={path} id={`${fieldId(path)}-notes`} />
    </div>
  );
}

function useGroupStated(path: string): boolean {
  return getIn(useEditor().draft, path) !== undefined;
}

function NotRecommendedField() {
  const { draft, set } = useEditor();
  const list: StepKind[] = draft.recommendation?.notRecommended ?? [];
  const hintId = useId();
  return (
    <fieldset className="ofield ofield-checks" id={fieldId('recommendation.notRecommended')} aria-describedby={hintId}>
      <legend className="field-label">
        Treatments the doctor said are not needed <NotStatedBadge stated={list.length > 0} />
      </legend>
      <p className="hint field-hint" id={hintId}>
        {TERMS['recommendation.notRecommended']}
      </p>
      <div className="check-grid">
        {STEP_KINDS.map((kind) => (
          <label key={kind} className="check-native">
            <input
              type="checkbox"
              checked={list.includes(kind)}
              onChange={(event) => {
                const next = event.target.checked ? [...list, kind] : list.filter((k) => k !== kind);
                set('recommendation.notRecommended', next.length ? next : undefined);
              }}
            />
            <span>{stepKindLabel(kind)}: not needed</span>
          </label>
        ))}
      </div>
      <FieldNotes path="recommendation.notRecommended" id={`${hintId}-notes`} />
    </fieldset>
  );
}

function DateRow({ path, label }: { path: string; label: string }) {
  const { draft, set, problemsAt } = useEditor();
  const value = getIn(draft, path);
  const hintId = useId();
  const text = typeof value === 'string' ? value : '';
  return (
    <div className="ofield">
      <div className="ofield-head">
        <label className="field-label" htmlFor={fieldId(path)}>
          {label}
        </label>
        <NotStatedBadge stated={text !== ''} id={`${hintId}-badge`} />
      </div>
      <p className="hint field-hint" id={hintId}>
        {TERMS[path]}
      </p>
      <input
        id={fieldId(path)}
        type="date"
        className="input input-date"
        value={text}
        aria-invalid={problemsAt(path).length > 0 || undefined}
        aria-describedby={`${text === '' ? `${hintId}-badge ` : ''}${hintId} ${hintId}-notes`}
        onChange={(event) => set(path, event.target.value === '' ? undefined : event.target.value)}
      />
      <FieldNotes path={path} id={`${hintId}-notes`} />
    </div>
  );
}

function DocumentsField({ documents }: { documents: DocumentSummary[] }) {
  const { draft, set } = useEditor();
  const chosen = draft.documentIds ?? [];
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const hintId = useId();
  const needle = filter.trim().toLowerCase();
  const shown = documents.filter((doc) => chosen.includes(doc.id) || !needle || documentLabel(doc).toLowerCase().includes(needle)).slice(0, 60);
  const missing = chosen.filter((id) => !documents.some((doc) => doc.id === id));
  return (
    <fieldset className="ofield ofield-docs" id={fieldId('documentIds')} aria-describedby={hintId}>
      <legend className="field-label">
        Documents this opinion rests on <NotStatedBadge stated={chosen.length > 0} />
      </legend>
      <p className="hint field-hint" id={hintId}>
        {TERMS.documentIds}
      </p>
      {documents.length === 0 ? (
        <p className="hint">There are no documents in your library yet.</p>
      ) : (
        <>
          {documents.length > 8 ? (
            <div className="ofield">
              <label className="field-label-small" htmlFor={filterId}>
                Find a document
              </label>
              <input id={filterId} className="input" type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
            </div>
          ) : null}
          <ul className="doc-choices">
            {shown.map((doc) => (
              <li key={doc.id}>
                <label className="check-native">
                  <input
                    type="checkbox"
                    checked={chosen.includes(doc.id)}
                    onChange={(event) => {
                      const next = event.target.checked ? [...chosen, doc.id] : chosen.filter((x) => x !== doc.id);
                      set('documentIds', next.length ? next : undefined);
                    }}
                  />
                  <span>{documentLabel(doc)}</span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      {missing.length > 0 ? (
        <p className="hint">
          {missing.length} linked document{missing.length === 1 ? ' is' : 's are'} in the trash or no longer in the library.
        </p>
      ) : null}
    </fieldset>
  );
}

function KindField() {
  const { draft, set } = useEditor();
  const hintId = useId();
  return (
    <div className="ofield">
      <label className="field-label" htmlFor={fieldId('kind')}>
        Which opinion is this?
      </label>
      <p className="hint field-hint" id={hintId}>
        {TERMS.kind}
      </p>
      <select
        id={fieldId('kind')}
        className="input select-native"
        value={draft.kind}
        aria-describedby={hintId}
        onChange={(event) => set('kind', event.target.value as OpinionKind)}
      >
        {KIND_CHOICES.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function TnmGroup({ which }: { which: 'clinicalTnm' | 'pathologicTnm' }) {
  const path = `diagnosis.${which}`;
  const clinical = which === 'clinicalTnm';
  return (
    <Group path={path} title={clinical ? 'Clinical stage (TNM)' : 'Pathologic stage (TNM)'} className="tnm-group">
      <ChoiceRow
        path={`${path}.prefix`}
        label="When it was staged"
        noTerm
        choices={clinical ? CLINICAL_PREFIX_CHOICES : PATHOLOGIC_PREFIX_CHOICES}
      />
      <TextRow path={`${path}.t`} label="T (tumor)" noTerm hint="For example T2 or T1c." className="tnm-part" />
      <TextRow path={`${path}.n`} label="N (lymph nodes)" noTerm hint="For example N0, N1 or N1mi." className="tnm-part" />
      <TextRow path={`${path}.m`} label="M (distant spread)" noTerm hint="M0 = none found, M1 = spread." className="tnm-part" />
    </Group>
  );
}

function ReceptorGroup({ which }: { which: 'er' | 'pr' }) {
  const path = `diagnosis.${which}`;
  const name = which.toUpperCase();
  return (
    <Group path={path} title={which === 'er' ? 'ER (estrogen receptor)' : 'PR (progesterone receptor)'}>
      <RadioRow path={`${path}.status`} label={`${name} result`} noTerm choices={RECEPTOR_CHOICES} className="wide" />
      <NumberRow path={`${path}.percent`} label={`${name}: share of cells stained`} noTerm unit="%" hint="0 to 100." />
      <ChoiceRow path={`${path}.intensity`} label={`${name}: staining strength`} noTerm choices={INTENSITY_CHOICES} />
    </Group>
  );
}

/** The form itself: four sections, proposals from a report, a check before saving with problems next to the fields. */
function EditorForm({ opinion, initial, documents }: { opinion: Opinion | null; initial: Draft; documents: DocumentSummary[] }) {
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [draft, setDraft] = useState<Draft>(initial);
  const [problems, setProblems] = useState<FieldProblem[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const titles = useMemo(() => new Map(documents.map((doc) => [doc.id, doc.title])), [documents]);
  const [extraTitles, setExtraTitles] = useState<Record<string, string>>({});

  const byPath = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const problem of problems ?? []) map.set(problem.path, [...(map.get(problem.path) ?? []), problem.message]);
    return map;
  }, [problems]);

  const set = useCallback((path: string, value: unknown) => setDraft((d) => setIn(d, path, value)), []);
  const update = useCallback((change: (d: Draft) => Draft) => setDraft(change), []);
  const context: EditorContextValue = useMemo(
    () => ({
      draft,
      set,
      update,
      problemsAt: (path) => byPath.get(path) ?? [],
      sourceOf: (path) => {
        const entry = draft.provenance?.[path];
        if (!entry) return null;
        return { entry, title: titles.get(entry.documentId) ?? extraTitles[entry.documentId] ?? 'a report' };
      },
    }),
    [draft, set, update, byPath, titles, extraTitles],
  );

  // Re-check as the person corrects things, once the first save attempt showed problems.
  const live = useMemo(() => (problems ? checkDraft(draft).problems : null), [draft, problems]);
  const shownProblems = live ?? [];

  const save = useAction(async () => {
    const { input, problems: found } = checkDraft(draft);
    if (found.length > 0) {
      setProblems(found);
      requestAnimationFrame(() => summaryRef.current?.focus());
      return null;
    }
    try {
      const saved = opinion
        ? await callOpinions('opinions.update', { id: opinion.id, opinion: input })
        : await callOpinions('opinions.create', { opinion: input });
      refreshOpinionQueries('opinions.list', 'opinions.get', 'opinions.compare');
      setFlash(`${opinion ? 'Changes saved' : 'Opinion saved'}: ${opinionLabel(saved)}.`);
      go({ view: 'list' });
      return saved;
    } catch (error) {
      const paths = error instanceof Error ? pathsFromCoreMessage(error.message) : [];
      if (paths.length) setProblems(paths.map((path) => ({ path, message: 'The app could not accept this value. Please check it.' })));
      requestAnimationFrame(() => summaryRef.current?.focus());
      throw error;
    }
  });

  const onAcceptProposal = (proposal: ProposalOut, documentId: string, title: string, edit: boolean) => {
    setExtraTitles((t) => ({ ...t, [documentId]: title }));
    const { draft: next, path } = acceptProposal(draft, proposal, documentId);
    setDraft(next);
    if (edit) requestAnimationFrame(() => focusField(path));
  };

  const visibleProblems = problems ? shownProblems : [];

  return (
    <EditorContext.Provider value={context}>
      <div className="screen opinion-editor">
        <h1 ref={heading} tabIndex={-1}>
          {opinion ? `Opinion: ${opinionLabel(opinion)}` : 'Record an opinion'}
        </h1>
        <div className="explain stated-explain">
          <p className="explain-term">“Not stated” and “No” are different</p>
          <div className="explain-body">
            <p>
              Every box starts as <strong>Not stated</strong>: the doctor did not say, or you do not know yet. That is
              fine — leave it. Choose <strong>No</strong>, <strong>Negative</strong> or <strong>None</strong> only when
              the doctor said so: that is an answer, and it is saved and compared like any other.
            </p>
          </div>
        </div>

        <ProposalsPanel documents={documents} draft={draft} onAccept={onAcceptProposal} />

        <form
          className="opinion-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save.run();
          }}
          aria-label="Opinion"
        >
          <Section id="sec-who" title="Who and when">
            <div className="form-grid">
              <KindField />
              <TextRow path="clinician" label="Doctor" />
              <TextRow path="role" label="Doctor’s role" />
              <TextRow path="institution" label="Hospital or clinic" hint="Where the opinion was given." />
              <DateRow path="date" label="Date of the opinion" />
            </div>
            <DocumentsField documents={documents} />
          </Section>

          <Section id="sec-diagnosis" title="Diagnosis">
            <h3>The tumor</h3>
            <div className="form-grid">
              <TextRow path="diagnosis.cancerType" label="Type of cancer" />
              <TextRow path="diagnosis.histology" label="Tumor type (histology)" />
              <TextRow path="diagnosis.site" label="Where the tumor is" />
              <ChoiceRow path="diagnosis.laterality" label="Side" choices={LATERALITY_CHOICES} />
              <NumberRow path="diagnosis.tumorSizeMm" label="Tumor size" unit="mm" />
            </div>

            <h3>Spread</h3>
            <Group path="diagnosis.lymphNodes" title="Lymph nodes">
              <RadioRow path="diagnosis.lymphNodes.status" label="Lymph node result" noTerm choices={NODE_CHOICES} className="wide" />
              <NumberRow path="diagnosis.lymphNodes.positive" label="Nodes with cancer" noTerm hint="0 is an answer: none had cancer." />
              <NumberRow path="diagnosis.lymphNodes.examined" label="Nodes checked" noTerm />
            </Group>
            <Group path="diagnosis.metastasis" title="Spread to distant organs (metastasis)">
              <RadioRow path="diagnosis.metastasis.status" label="Distant spread" noTerm choices={METASTASIS_CHOICES} className="wide" />
              <LinesRow path="diagnosis.metastasis.sites" label="Where (one place per line)" noTerm />
            </Group>

            <h3>Stage</h3>
            <TnmGroup which="clinicalTnm" />
            <TnmGroup which="pathologicTnm" />
            <div className="form-grid">
              <ChoiceRow path="diagnosis.stageGroup" label="Overall stage" choices={STAGE_CHOICES} />
            </div>
            <Group path="diagnosis.grade" title="Grade">
              <ChoiceRow path="diagnosis.grade.value" label="Grade" noTerm numeric choices={GRADE_CHOICES} />
              <ChoiceRow path="diagnosis.grade.score" label="Score (3 to 9)" noTerm numeric choices={SCORE_CHOICES} />
            </Group>

            <h3>Receptors and markers</h3>
            <ReceptorGroup which="er" />
            <ReceptorGroup which="pr" />
            <Group path="diagnosis.her2" title="HER2">
              <ChoiceRow path="diagnosis.her2.ihc" label="HER2 staining score (IHC)" noTerm choices={HER2_IHC_CHOICES} />
              <ChoiceRow path="diagnosis.her2.ish" label="HER2 gene test (ISH / FISH)" noTerm choices={HER2_ISH_CHOICES} />
              <RadioRow path="diagnosis.her2.status" label="HER2 overall" noTerm choices={HER2_STATUS_CHOICES} className="wide" />
            </Group>
            <div className="form-grid">
              <NumberRow path="diagnosis.ki67Percent" label="Ki-67" unit="%" />
            </div>

            <h3>From surgery</h3>
            <div className="form-grid">
              <RadioRow path="diagnosis.margins" label="Margins" choices={MARGIN_CHOICES} />
              <RadioRow path="diagnosis.lymphovascularInvasion" label="Lymphovascular invasion" choices={LVI_CHOICES} />
            </div>

            <h3>Gene tests and other markers</h3>
            <TestResultsRow path="diagnosis.genomicResults" label="Tumor gene tests" />
            <TestResultsRow path="diagnosis.germlineResults" label="Inherited gene tests" />
            <TestResultsRow path="diagnosis.otherBiomarkers" label="Other markers" />
          </Section>

          <Section id="sec-recommendation" title="Recommendation">
            <div className="form-grid">
              <ChoiceRow path="recommendation.intent" label="Goal of treatment" choices={INTENT_CHOICES} />
            </div>
            <StepsEditor />
            <NotRecommendedField />
            <div className="form-grid">
              <LinesRow path="recommendation.furtherTests" label="Tests wanted before deciding" />
              <LinesRow path="recommendation.clinicalTrials" label="Clinical trials suggested" />
            </div>
            <TextRow path="recommendation.followUp" label="Follow-up plan" multiline />
          </Section>

          <Section id="sec-notes" title="Notes">
            <TextRow path="notes" label="Your notes" multiline />
          </Section>

          <div className="form-footer">
            {visibleProblems.length > 0 || save.error ? (
              <div className="problem-summary" ref={summaryRef} tabIndex={-1} role="alert" data-testid="problem-summary">
                {visibleProblems.length > 0 ? (
                  <>
                    <p className="problem-summary-title">
                      {visibleProblems.length === 1 ? 'One thing needs a look' : `${visibleProblems.length} things need a look`} before
                      this opinion can be saved:
                    </p>
                    <ul>
                      {visibleProblems.map((problem, index) => (
                        <li key={`${problem.path}-${index}`}>
                          <button type="button" className="button-link" onClick={() => focusField(problem.path)}>
                            {fieldLabel(problem.path)}
                          </button>
                          : {problem.message}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
                {save.error ? <ErrorText error={save.error} /> : null}
              </div>
            ) : problems && problems.length > 0 ? (
              <div className="status status-good" role="status" ref={summaryRef} tabIndex={-1}>
                Everything looks fine now. You can save.
              </div>
            ) : null}
            <div className="actions">
              {/* No busy state here: the editor closes on success, and react-aria would announce the busy button
                  after it is gone (its first announcement waits 100 ms), leaving a label that points at nothing. */}
              <ActionButton type="submit" isDisabled={save.busy}>
                {opinion ? 'Save changes' : 'Save opinion'}
              </ActionButton>
              <ActionButton variant="secondary" onPress={() => go({ view: 'list' })}>
                Cancel
              </ActionButton>
              {save.busy ? <span className="hint">Saving…</span> : null}
            </div>
          </div>
        </form>
      </div>
    </EditorContext.Provider>
  );
}
