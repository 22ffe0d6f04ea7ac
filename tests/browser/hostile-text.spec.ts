/**
 * Hostile text in the UI: a patient name, document titles, facilities, clinicians, notes, tags, page text, a disc's
 * patient and institution, a report from a disc (HTML with script, a structured report with control characters),
 * opinions and an appointment all carry markup, script, javascript: URLs, right-to-left overrides and control
 * characters. Browsing every screen that shows them (overview, records, search results, the viewer, imaging, opinions,
 * appointments, timeline), nothing may run: no payload flag set, no dialog, no injected element or inline handler,
 * no javascript: link, no CSP violation — and the text is shown literally.
 */
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeInstance } from '../fixtures/imaging/dicom';
import { textPdf } from '../helpers/pdf';
import { expect, test, type AppHarness, type Page } from './fixtures';
import { PASSPHRASE } from './flows';

/** Each payload sets window.__xss (and some open a dialog) if it ever runs. */
const PROBE = {
  img: '<img src=x onerror="window.__xss=1;alert(1)">',
  script: '"><script>window.__xss=2</script>',
  js: 'javascript:window.__xss=3//',
  svg: '<svg/onload=window.__xss=4>',
  iframe: '<iframe src="javascript:parent.__xss=5"></iframe>',
  rtl: '\u202eFDP.exe\u202c',
} as const;

const PATIENT_NAME = `Mallory ${PROBE.img} ${PROBE.rtl}`;
const BIRTH_DATE = '1962-03-15';

interface HostileFiles {
  dir: string;
  pdf: string;
  disc: string;
}

async function writeHostileFiles(): Promise<HostileFiles> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'so-hostile-text-'));
  // The file name carries markup too (it is shown in import summaries): no '/' in it, the rest is allowed.
  const pdf = path.join(dir, '<b onmouseover=alert(9)>bold report.pdf');
  await writeFile(
    pdf,
    await textPdf([
      [
        'SURGICAL PATHOLOGY REPORT',
        `Facility: ${PROBE.script}`,
        'Patient: Mallory Example',
        'Date of procedure: 03/14/2025',
        `Diagnosis: invasive ductal carcinoma ${PROBE.img}`,
        `See ${PROBE.js} and ${PROBE.svg}`,
        `Signed by: ${PROBE.iframe}`,
      ].join('\n'),
    ]),
  );
  // A disc whose patient, study and institution carry the payloads, with an HTML report (script inside) and a
  // structured report whose text has control characters.
  const disc = path.join(dir, 'disc');
  await mkdir(path.join(disc, 'DICOM'), { recursive: true });
  await mkdir(path.join(disc, 'REPORTS'), { recursive: true });
  const patient = { name: `${PROBE.img}^Mallory`, id: 'X-1', birthDate: BIRTH_DATE.replace(/-/g, ''), sex: 'F' };
  const study = { uid: '2.25.77001', description: `CT ${PROBE.script}`, institution: PROBE.svg, referring: `${PROBE.js}^Doc` };
  await writeFile(
    path.join(disc, 'DICOM', 'IM1'),
    makeInstance({ patient, study, series: { uid: '2.25.77002', number: 1, modality: 'CT', description: PROBE.iframe }, sopInstanceUid: '2.25.77003', image: { rows: 8, columns: 8, bitsAllocated: 16, signed: true } }),
  );
  await writeFile(
    path.join(disc, 'DICOM', 'SR1'),
    makeInstance({
      patient,
      study,
      series: { uid: '2.25.77004', number: 2, modality: 'SR', description: 'REPORT' },
      sopClassUid: '1.2.840.10008.5.1.4.1.1.88.33',
      sopInstanceUid: '2.25.77005',
      image: null,
      extra: {
        ValueType: 'CONTAINER',
        ConceptNameCodeSequence: [{ CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: `Report ${PROBE.img}` }],
        ContinuityOfContent: 'SEPARATE',
        ContentSequence: [
          {
            RelationshipType: 'CONTAINS',
            ValueType: 'TEXT',
            ConceptNameCodeSequence: [{ CodeValue: '121071', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Finding' }],
            TextValue: `Bell\u0007 escape\u001b[31m ${PROBE.script} ${PROBE.rtl} nodule`,
          },
        ],
      },
    }),
  );
  await writeFile(
    path.join(disc, 'REPORTS', 'REPORT.HTM'),
    `<!DOCTYPE html><html><head><title>x</title><script>window.__xss=6;alert(6)</script></head><body>Radiology report ${PROBE.img}<script>window.__xss=7</script> impression: nodule</body></html>`,
  );
  return { dir, pdf, disc };
}

let files: HostileFiles;
test.beforeAll(async () => {
  files = await writeHostileFiles();
});
test.afterAll(async () => {
  if (files) await rm(files.dir, { recursive: true, force: true });
});

/** Everything that would show a payload ran or was turned into markup, on the current page. */
async function expectNothingRan(page: Page, app: AppHarness, dialogs: string[], where: string): Promise<void> {
  const state = await page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      flag: (window as unknown as { __xss?: unknown }).__xss ?? null,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
      scriptUrls: all
        .flatMap((el) => ['href', 'src', 'action', 'formaction', 'xlink:href'].map((name) => el.getAttribute(name)))
        .filter((value): value is string => value !== null && /^\s*(javascript|data|vbscript):/i.test(value) && !/^data:image\/png;base64,/.test(value)),
      injected: document.querySelectorAll('img[src="x"], svg[onload], iframe, object, embed, frame, body script:not([src]), main script').length,
      inlineScripts: [...document.scripts].filter((s) => !s.src).length,
    };
  });
  expect(state.flag, `${where}: a payload ran`).toBeNull();
  expect(state.handlers, `${where}: inline event handlers in the page`).toEqual([]);
  expect(state.scriptUrls, `${where}: script URLs in the page`).toEqual([]);
  expect(state.injected, `${where}: elements made from record text`).toBe(0);
  expect(state.inlineScripts, `${where}: inline scripts`).toBe(0);
  expect(dialogs, `${where}: dialogs opened`).toEqual([]);
  expect(app.cspViolations, `${where}: CSP violations`).toEqual([]);
  expect(app.pageErrors, `${where}: page errors`).toEqual([]);
}

/** The payload is on screen as the characters it is made of. */
async function expectLiteral(page: Page, text: string, where: string): Promise<void> {
  await expect(page.getByText(text, { exact: false }).filter({ visible: true }).first(), `${where}: ${text} not shown literally`).toBeVisible();
}

async function seedVault(app: AppHarness): Promise<void> {
  const call = async (operation: string, input: unknown) => {
    const result = await app.core.call(operation, input);
    expect(result.ok, `${operation}: ${JSON.stringify(result).slice(0, 300)}`).toBe(true);
    return (result as { value: unknown }).value as Record<string, never>;
  };
  await call('vault.create', { profile: { fullName: PATIENT_NAME, birthDate: BIRTH_DATE }, passphrase: PASSPHRASE });
  const imported = (await call('documents.import', { paths: [files.pdf] })) as unknown as { imported: Array<{ documentId: string }> };
  const id = imported.imported[0]!.documentId;
  await call('documents.update', {
    id,
    corrections: { title: `Pathology ${PROBE.img} ${PROBE.rtl}`, facility: PROBE.script, clinician: PROBE.js },
    notes: `Notes ${PROBE.svg}\n${PROBE.iframe}`,
    tags: [PROBE.img.slice(0, 40), 'javascript:tag'],
  });
  const disc = (await call('imaging.import', { path: files.disc, acceptOtherPatient: true })) as unknown as { instances: { added: number }; documents: { added: number } };
  expect(disc.instances.added).toBe(2);
  expect(disc.documents.added).toBeGreaterThanOrEqual(2);
  await call('opinions.create', { opinion: { kind: 'first', clinician: PROBE.img, institution: PROBE.script, date: '2025-03-20' } });
  await call('appointments.create', {
    appointment: { kind: 'second', clinician: PROBE.svg, institution: `${PROBE.js} ${PROBE.rtl}`, date: '2025-04-02', place: `Room ${PROBE.iframe}` },
  });
}

test('markup, script and control characters in records are shown as text on every screen and never run', async ({ page, app }) => {
  test.slow();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await seedVault(app);
  await app.open();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  // Overview: the patient's name.
  await expect(page.getByTestId('patient-name')).toHaveText(PATIENT_NAME);
  await expect(page.getByTestId('profile-name')).toHaveText(PATIENT_NAME);
  await expectNothingRan(page, app, dialogs, 'overview');

  // Records: titles, facilities, tags.
  await page.getByRole('link', { name: 'Records', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your records' })).toBeVisible();
  await expectLiteral(page, `Pathology ${PROBE.img}`, 'records list');
  await expectLiteral(page, PROBE.script, 'records list');
  await expectNothingRan(page, app, dialogs, 'records list');

  // Search results: snippets of text holding the payloads.
  const search = page.getByRole('searchbox', { name: 'Search your records' });
  await search.fill('ductal');
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('listitem').first()).toBeVisible();
  await expect(results).toContainText('<img src=x onerror=');
  expect(await results.locator('.snippet').first().evaluate((element) => element.querySelectorAll('*:not(mark)').length)).toBe(0);
  await expectNothingRan(page, app, dialogs, 'search results');
  await search.fill('nodule');
  await expect(results.getByRole('listitem').first()).toBeVisible();
  await expectNothingRan(page, app, dialogs, 'search results (disc reports)');

  // The viewer: title heading, page text, notes, tags.
  await search.fill('ductal');
  // By name: until the new search answers, the list still shows the results for the previous word.
  await results.getByRole('link', { name: /^Pathology/ }).first().click();
  const viewer = page.getByTestId('document-viewer');
  await expect(viewer.getByRole('heading', { level: 1 })).toHaveText(`Pathology ${PROBE.img} ${PROBE.rtl}`);
  await expect(page.getByTestId('page-text')).toContainText(PROBE.img);
  await expect(page.getByTestId('page-text')).toContainText(PROBE.iframe);
  await expect(page.getByLabel('Notes', { exact: true })).toHaveValue(`Notes ${PROBE.svg}\n${PROBE.iframe}`);
  await expectNothingRan(page, app, dialogs, 'viewer');

  // The reports that came from the disc: the HTML one is text (its script is words), the SR keeps its odd characters.
  await page.getByRole('button', { name: 'Back to all records' }).click();
  const titleOf = async (query: string) => {
    const found = await app.core.call('documents.search', { query });
    expect(found.ok).toBe(true);
    const hits = (found as { value: { results: Array<{ title: string }> } }).value.results;
    expect(hits).toHaveLength(1);
    return hits[0]!.title;
  };
  const htmlTitle = await titleOf('impression');
  await search.fill('impression');
  await results.getByRole('link', { name: htmlTitle, exact: true }).click();
  await expect(page.getByTestId('document-viewer')).toBeVisible();
  await expect(page.getByTestId('page-text')).toContainText('Radiology report');
  await expectNothingRan(page, app, dialogs, 'HTML report from the disc');
  await page.getByRole('button', { name: 'Back to all records' }).click();
  const srTitle = await titleOf('escape');
  await search.fill('escape');
  await results.getByRole('link', { name: srTitle, exact: true }).click();
  await expect(page.getByTestId('page-text')).toContainText('escape');
  await expectNothingRan(page, app, dialogs, 'structured report from the disc');

  // Imaging: the disc's patient, study and institution.
  await page.getByRole('link', { name: 'Imaging', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Scans and images' })).toBeVisible();
  await expect(page.getByTestId('imaging-study').first()).toBeVisible();
  await expect(page.getByTestId('imaging-study').first()).toContainText(PROBE.svg);
  await expectNothingRan(page, app, dialogs, 'imaging');

  // Opinions and appointments.
  await page.getByRole('link', { name: 'Opinions', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectLiteral(page, PROBE.img, 'opinions');
  await expectNothingRan(page, app, dialogs, 'opinions');
  await page.getByRole('link', { name: 'Appointments', exact: true }).click();
  await expect(page.getByTestId('appointment-card').first()).toBeVisible();
  await expectLiteral(page, PROBE.svg, 'appointments');
  await page.getByTestId('appointment-card').first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNothingRan(page, app, dialogs, 'appointment detail');

  // Timeline: every kind of entry, with the payloads in titles and details.
  await page.getByRole('link', { name: 'Timeline', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeVisible();
  await expect(page.getByTestId('timeline-item').first()).toBeVisible();
  await expectLiteral(page, `Pathology ${PROBE.img}`, 'timeline');
  await expectNothingRan(page, app, dialogs, 'timeline');
});
