/**
 * shared/opinions — recording and comparing medical opinions. Pure TypeScript (no Node, no Electron): it runs in
 * the core, the CLI and the browser alike. Import from 'shared/opinions' (this file); the API below is stable.
 *
 * ── NOT STATED vs NO ─────────────────────────────────────────────────────────────────────────────────────────
 * An ABSENT field means "this opinion did not say". A stated "no" is a VALUE: metastasis { status: 'none' },
 * er { status: 'negative' }, lymphNodes { status: 'negative', positive: 0 }, lymphovascularInvasion 'absent',
 * recommendation.notRecommended ['radiation']. Never fill an unknown with a "no"; leave the key out.
 *
 * ── Schema (schema.ts) ───────────────────────────────────────────────────────────────────────────────────────
 *   opinion            zod strict object: { id, createdAt, updatedAt, kind, clinician?, role?, institution?, date?,
 *                      documentIds?, diagnosis?, recommendation?, notes?, provenance? }      → type Opinion
 *   opinionInput       the same without id/createdAt/updatedAt (for creation)                   → type OpinionInput
 *   diagnosis, recommendation, treatmentStep, receptor, her2, grade, lymphNodes, metastasis,
 *   clinicalTnm, pathologicTnm, testResult, provenance, provenanceEntry   (sub-schemas, with matching types)
 *   opinionJsonSchema(which?: 'opinion' | 'input'): Record<string, unknown>   JSON Schema for `opinion schema`
 *   Vocabularies: OPINION_KINDS, LATERALITIES, STEP_KINDS, STEP_TIMINGS, INTENTS, STAGE_GROUPS, RECEPTOR_STATUSES,
 *   HER2_IHC_SCORES, HER2_ISH_RESULTS, HER2_STATUSES, NODE_STATUSES, METASTASIS_STATUSES, MARGIN_STATUSES
 *   gradeFromScore(score: number): 1 | 2 | 3
 *
 * ── Normalisation (normalize.ts) — string in, canonical value or null out ──────────────────────────────────
 *   normalizeHistology(s): HistologyKey | null          histologyLabel(key): string
 *   normalizeReceptor(s): Receptor | null               receptorName(s): 'er' | 'pr' | null
 *   normalizeHer2(s): Her2 | null                       her2Status(h: Her2): 'positive'|'negative'|'equivocal'|null
 *   normalizeTnm(s): Tnm | null                         tnmRefines(general, specific): boolean   formatTnm(t)
 *   normalizeStageGroup(s): StageGroup | null           stageGroupRefines(general, specific): boolean
 *   normalizeGrade(s): Grade | null                     effectiveGrade(g): 1 | 2 | 3 | null
 *   normalizeLaterality(s): Laterality | null
 *   normalizeTreatment(s): TreatmentInfo | null         treatmentKey(s): string   findTreatmentMentions(s)
 *   normalizeDuration(s): Duration | null               normalizeSizeMm(s): number | null
 *   normalizeLymphNodes(s): LymphNodes | null
 *   equivalent(kind: EquivalenceKind, a: string, b: string): boolean    (the one-call equivalence check)
 *   Decisions: N1a / N1mi are NOT equal to N1 (tnmRefines explains the relation); clinical vs pathologic staging
 *   are separate fields; ER/PR percents within 10 points are the same; sizes within 2 mm or 10% are the same.
 *
 * ── Comparison (compare.ts) ──────────────────────────────────────────────────────────────────────────────────
 *   compareOpinions(opinions: Opinion[] /* 2–4 *\/): Comparison
 *     Comparison = { opinions: { id, label }[], rows: ComparisonRow[], summary: string, differences: number }
 *     ComparisonRow = { field, group, label, phrase, values: (DisplayValue | null)[], status, note? }
 *     status: 'same' | 'different' | 'partial' (stated by only some, no conflict) | 'not-stated' (by none)
 *     Throws AppError('INVALID_INPUT') for fewer than 2 or more than 4 opinions.
 *   opinionLabel(opinion): string      STEP_KIND_LABELS
 *
 * ── Questions (questions.ts) ─────────────────────────────────────────────────────────────────────────────────
 *   suggestQuestions(comparison): SuggestedQuestion[]   { id, field, text, topic, relatedFields? }
 *     ids are deterministic: `${templateId}:${field}`; every 'different' row gets at least one question.
 *   BASE_QUESTIONS: readonly SuggestedQuestion[]        questions for any second-opinion appointment
 *   QUESTION_TOPICS
 *
 * ── Extraction (extract.ts) ──────────────────────────────────────────────────────────────────────────────────
 *   proposeFromText(text: string): Proposal[]
 *     Proposal = { field: ProposalField, value (schema shape for that field; ONE item for list fields),
 *                  display, snippet (sentence it came from), start, end (offsets of the phrase in text) }
 *     Nothing is applied automatically.
 *   applyProposals(draft, accepted: ProposalCore[]): draft   merges accepted proposals into a draft opinion
 *   describeProposal(p): string        LIST_PROPOSAL_FIELDS
 */

export * from './schema';
export * from './normalize';
export * from './compare';
export * from './questions';
export * from './extract';
