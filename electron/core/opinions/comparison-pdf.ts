import type { ComparisonQuestion, Decision } from '../../../shared/contract/opinions';
import type { Comparison } from '../../../shared/opinions';
import { PdfLayout } from '../pdf/layout';

const STATUS_WORDS: Record<string, string> = {
  same: 'Same',
  different: 'DIFFERENT',
  partial: 'Only some say',
  'not-stated': 'Not stated',
};

/**
 * The comparison as a PDF to take to the follow-up visit: the plain summary, the table with differences marked
 * in words (and shaded), the open questions with room for answers, and decisions recorded so far.
 */
export async function comparisonPdf(input: {
  patientName: string;
  comparison: Comparison;
  questions: readonly ComparisonQuestion[];
  decisions: readonly Decision[];
  createdOn: string;
}): Promise<{ bytes: Uint8Array; pages: number }> {
  const { comparison } = input;
  const layout = await PdfLayout.create('Comparison of opinions');
  layout.heading('Comparison of opinions', 18);
  layout.paragraph(`For ${input.patientName} · prepared ${input.createdOn} with Second Opinion`, { size: 9, color: [0.35, 0.35, 0.38] });
  layout.space(8);
  layout.paragraph(comparison.summary, { size: 11 });
  layout.space(6);

  const columnShare = 0.62 / comparison.opinions.length;
  layout.table(
    ['', ...comparison.opinions.map((opinion) => opinion.label), ''],
    comparison.rows
      .filter((row) => row.status !== 'not-stated')
      .map((row) => ({
        cells: [row.label, ...row.values.map((value) => value?.text ?? '—'), STATUS_WORDS[row.status] ?? row.status],
        shade: row.status === 'different',
      })),
    [0.24, ...comparison.opinions.map(() => columnShare), 0.14],
  );

  const open = input.questions.filter((question) => !question.dismissed);
  if (open.length > 0) {
    layout.heading('Questions to ask');
    open.forEach((question, index) => {
      layout.paragraph(`${index + 1}. ${question.text}`, { bold: true });
      if (question.answer) layout.paragraph(`Answer: ${question.answer}`, { indent: 14 });
      else layout.paragraph('Answer: ____________________________________________', { indent: 14, color: [0.5, 0.5, 0.52] });
      layout.space(4);
    });
  }
  if (input.decisions.length > 0) {
    layout.heading('Decisions');
    for (const decision of input.decisions) {
      layout.paragraph(`${decision.decidedOn}: ${decision.plan}`, { bold: true });
      if (decision.reason) layout.paragraph(decision.reason, { indent: 14 });
    }
  }
  layout.footer('Comparison of opinions');
  return { bytes: await layout.save(), pages: layout.pageCount };
}
