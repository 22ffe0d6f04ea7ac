import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpinionInput } from '../../../shared/opinions';
import { createdCore, must } from '../../helpers/core';
import { writeTextPdf } from '../../helpers/pdf';
import { tempDir } from '../../helpers/temp';

const FIRST: OpinionInput = {
  kind: 'first',
  clinician: 'Dr. Ana Rivera',
  institution: 'City Cancer Center',
  date: '2025-03-04',
  diagnosis: {
    histology: 'IDC',
    clinicalTnm: { t: 'T2', n: 'N1', m: 'M0' },
    er: { status: 'positive', percent: 95 },
  },
  recommendation: {
    steps: [
      { kind: 'chemotherapy', detail: 'AC-T', timing: 'neoadjuvant' },
      { kind: 'surgery', detail: 'lumpectomy', timing: null },
      { kind: 'radiation', detail: 'whole breast', timing: 'adjuvant' },
    ],
  },
} as OpinionInput;

const SECOND: OpinionInput = {
  kind: 'second',
  clinician: 'Dr. Sam Okafor',
  institution: 'University Hospital',
  date: '2025-03-20',
  diagnosis: {
    histology: 'invasive ductal carcinoma',
    clinicalTnm: { t: 'T2', n: 'N0', m: 'M0' },
    er: { status: 'positive', percent: 90 },
  },
  recommendation: {
    steps: [
      { kind: 'surgery', detail: 'mastectomy', timing: null },
      { kind: 'chemotherapy', detail: 'AC-T', timing: 'adjuvant' },
    ],
    notRecommended: ['radiation'],
  },
} as OpinionInput;

describe('opinions through dispatch', () => {
  it('records opinions, validates them, and keeps "not stated" apart from "no"', async () => {
    const { core } = await createdCore();
    const first = await must(core, 'opinions.create', { opinion: FIRST });
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(first.diagnosis?.pr).toBeUndefined();
    const bad = await core.call('opinions.create', { opinion: { ...FIRST, kind: 'fourth' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknownDocument = await core.call('opinions.create', { opinion: { ...FIRST, documentIds: ['AAAAAAAAAAAAAAAA'] } });
    expect(unknownDocument).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const second = await must(core, 'opinions.create', { opinion: SECOND });
    expect(second.recommendation?.notRecommended).toEqual(['radiation']);
    const { items } = await must(core, 'opinions.list', {});
    expect(items.map((item) => item.id)).toEqual([second.id, first.id]);
    expect((await must(core, 'vault.overview', {})).counts.opinions).toBe(2);
  });

  it('compares, keeps edited questions and answers per set of opinions, and logs decisions', async () => {
    const { core } = await createdCore();
    const a = await must(core, 'opinions.create', { opinion: FIRST });
    const b = await must(core, 'opinions.create', { opinion: SECOND });
    const comparison = await must(core, 'opinions.compare', { ids: [a.id, b.id] });
    expect(comparison.summary).toMatch(/agree/i);
    const histology = comparison.rows.find((row) => row.field === 'diagnosis.histology');
    expect(histology?.status).toBe('same');
    expect(comparison.rows.filter((row) => row.status === 'different').length).toBe(comparison.differences);
    expect(comparison.differences).toBeGreaterThanOrEqual(3);
    expect(comparison.questions.length).toBeGreaterThan(0);

    const question = comparison.questions[0]!;
    await must(core, 'opinions.saveQuestion', { ids: [b.id, a.id], questionId: question.id, answer: 'Both are reasonable.', inPlan: true });
    // The same set in another order finds the same saved answer.
    const again = await must(core, 'opinions.compare', { ids: [b.id, a.id] });
    const saved = again.questions.find((q) => q.id === question.id);
    expect(saved).toMatchObject({ answer: 'Both are reasonable.', inPlan: true });
    expect(saved?.text).toBe(saved?.suggestedText);
    await must(core, 'opinions.saveQuestion', { ids: [a.id, b.id], questionId: question.id, text: 'Why surgery first?' });
    expect((await must(core, 'opinions.compare', { ids: [a.id, b.id] })).questions.find((q) => q.id === question.id)?.text).toBe('Why surgery first?');
    const missing = await core.call('opinions.saveQuestion', { ids: [a.id, b.id], questionId: 'nope:nothing', answer: 'x' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    await must(core, 'opinions.recordDecision', { ids: [a.id, b.id], chosenOpinionId: a.id, plan: 'Chemotherapy first', reason: 'I want to see how the tumor responds.', decidedOn: '2025-04-01' });
    const outsider = await core.call('opinions.recordDecision', { ids: [a.id, b.id], chosenOpinionId: 'ZZZZZZZZZZZZZZZZ', plan: 'x', reason: '', decidedOn: '2025-04-01' });
    expect(outsider).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await must(core, 'opinions.compare', { ids: [a.id, b.id] })).decisions).toHaveLength(1);
  });

  it('writes the comparison PDF with the summary, differences and questions (checked with pdftotext)', async () => {
    const { core, exportDir } = await createdCore();
    const a = await must(core, 'opinions.create', { opinion: FIRST });
    const b = await must(core, 'opinions.create', { opinion: SECOND });
    const pdf = await must(core, 'opinions.comparisonPdf', { ids: [a.id, b.id] });
    expect(path.dirname(pdf.path)).toBe(exportDir);
    const second = await must(core, 'opinions.comparisonPdf', { ids: [a.id, b.id] });
    expect(second.path).not.toBe(pdf.path);
    const text = execFileSync('pdftotext', ['-layout', pdf.path, '-'], { encoding: 'utf8' });
    expect(text).toContain('Comparison of opinions');
    expect(text).toContain('Zyxwvut Testpatient');
    expect(text).toContain('DIFFERENT');
    expect(text).toContain('Questions to ask');
    expect(text).toMatch(/page 1 of \d/);
    execFileSync('qpdf', ['--check', pdf.path]);
  });

  it('proposes values from a report with their snippets; trash and restore', async () => {
    const { core } = await createdCore();
    const file = path.join(tempDir(), 'path.pdf');
    await writeTextPdf(file, ['SURGICAL PATHOLOGY REPORT', 'Final diagnosis: invasive ductal carcinoma, Nottingham grade 2.\nER: Positive (95%). PR: Negative (0%). HER2: 1+ by IHC, negative. Ki-67: 20%.'].join('\n').split('\n\n'));
    const { imported } = await must(core, 'documents.import', { paths: [file] });
    const { proposals } = await must(core, 'opinions.propose', { documentId: imported[0]!.documentId });
    const fields = proposals.map((proposal) => proposal.field);
    expect(fields).toEqual(expect.arrayContaining(['diagnosis.histology', 'diagnosis.grade', 'diagnosis.er', 'diagnosis.pr', 'diagnosis.her2', 'diagnosis.ki67Percent']));
    for (const proposal of proposals) expect(proposal.snippet.length).toBeGreaterThan(3);

    const opinion = await must(core, 'opinions.create', { opinion: { kind: 'first', documentIds: [imported[0]!.documentId] } });
    await must(core, 'opinions.trash', { id: opinion.id });
    expect((await must(core, 'opinions.list', {})).items).toEqual([]);
    expect((await must(core, 'opinions.list', { trash: 'only' })).items).toHaveLength(1);
    await must(core, 'opinions.restore', { id: opinion.id });
    expect((await must(core, 'opinions.get', { id: opinion.id })).documentIds).toEqual([imported[0]!.documentId]);
  });
});

describe('a comparison kept with the records', () => {
  it('becomes a searchable document that a packet for a third opinion carries', async () => {
    const { core } = await createdCore();
    const a = await must(core, 'opinions.create', { opinion: FIRST });
    const b = await must(core, 'opinions.create', { opinion: SECOND });
    const kept = await must(core, 'opinions.addComparisonToRecords', { ids: [a.id, b.id] });
    expect(kept.alreadyThere).toBe(false);
    const detail = await must(core, 'documents.get', { id: kept.documentId });
    expect(detail.title).toMatch(/^Comparison of opinions/);
    expect(detail.type).toBe('consultation');
    expect(detail.pages.map((page) => page.text).join(' ')).toContain('Questions to ask');
    expect((await must(core, 'documents.search', { query: 'comparison opinions' })).results.map((hit) => hit.id)).toContain(kept.documentId);

    const out = path.join(tempDir(), 'packet');
    await must(core, 'packets.build', { documentIds: [kept.documentId], format: 'folder', destination: out, recipient: { organization: 'Tumor board' } });
    const records = execFileSync('pdftotext', [path.join(out, 'RECORDS.PDF'), '-'], { encoding: 'utf8' });
    expect(records).toContain('Comparison of opinions');
    expect(records).toContain('DIFFERENT');
  });
});
