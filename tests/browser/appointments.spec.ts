import type { AppointmentDetail } from '../../shared/contract';
import { expect, test, type AppHarness, type Page } from './fixtures';
import { PASSPHRASE, PATIENT, auditScreen } from './flows';

/**
 * Appointments: planning one through the form, ticking the checklist, a records request with its reminder and
 * letter, visit mode with answers and notes saved while typing (and still there after a reload), the home-screen
 * card and the timeline; axe in light and dark on every screen.
 */

test.describe.configure({ timeout: 90_000 });

async function coreCall<T>(app: AppHarness, operation: string, input: unknown): Promise<T> {
  const result = (await app.core.call(operation, input)) as { ok: boolean; value?: T; error?: { message: string } };
  if (!result.ok) throw new Error(`${operation} failed: ${result.error?.message}`);
  return result.value as T;
}

async function openWithVault(page: Page, app: AppHarness): Promise<void> {
  await coreCall(app, 'vault.create', { profile: { fullName: PATIENT.name, birthDate: '1962-03-15' }, passphrase: PASSPHRASE });
  await app.open();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
}

function isoInDays(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

test('plan an appointment, tick the checklist, visit mode saves answers and notes as you type', async ({ page, app }) => {
  await openWithVault(page, app);
  await expect(page.getByRole('region', { name: 'Coming up' })).toContainText('No appointments planned');

  await page.getByRole('link', { name: 'Appointments' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Appointments' })).toBeVisible();
  await page.getByRole('button', { name: 'Plan an appointment' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Plan an appointment' })).toBeVisible();
  await page.getByRole('radio', { name: 'Second opinion' }).check();
  await page.getByLabel('Doctor', { exact: true }).fill('Dr. Sam Okafor');
  await page.getByLabel('Hospital or cancer center').fill('University Hospital');
  await page.getByLabel('Date', { exact: true }).fill(isoInDays(12));
  await page.getByLabel('Time', { exact: true }).fill('09:30');
  await page.getByRole('button', { name: 'Add a contact' }).click();
  const contact = page.getByRole('group', { name: 'Contact 1' });
  await contact.getByLabel('Name').fill('Lee Navigator');
  await contact.getByLabel('Phone').fill('(555) 010-3000');
  await page.getByRole('button', { name: 'Save and make the checklist' }).click();

  const title = 'Second opinion with Dr. Sam Okafor, University Hospital';
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('(in 12 days)')).toBeVisible();
  await expect(page.getByTestId('missing-records')).toContainText('Pathology report');
  const id = new URL(page.url()).hash.split('/')[2]!;

  // Tick two tasks and move a record along.
  // react-aria checkboxes: the label is what a person clicks.
  await page.getByText('Ask how long treatment can safely wait', { exact: true }).click();
  await page.getByText('Sign the release forms so your records can be sent', { exact: true }).click();
  await page.getByLabel('Pathology report', { exact: true }).selectOption('requested');
  await expect(page.getByRole('checkbox', { name: 'Ask how long treatment can safely wait' })).toBeChecked();
  await expect(page.getByText(/^Requested /).first()).toBeVisible();
  await expect
    .poll(async () => {
      const detail = await coreCall<AppointmentDetail>(app, 'appointments.get', { id });
      return detail.checklist.filter((item) => ['safe-wait', 'release-forms', 'record:pathology-report'].includes(item.template ?? '')).map((item) => item.status);
    })
    .toEqual(['requested', 'done', 'done']);

  // A note on an item, saved while typing.
  await page.getByRole('button', { name: 'Details: Find out what you may have to pay' }).click();
  await page.getByLabel('Note', { exact: true }).fill('About $40 per visit');
  await expect
    .poll(async () => (await coreCall<AppointmentDetail>(app, 'appointments.get', { id })).checklist.find((item) => item.template === 'insurance-cost')?.note)
    .toBe('About $40 per visit');

  await page.getByLabel('Your own question').fill('Can I keep working during treatment?');
  await page.getByRole('button', { name: 'Add question' }).click();
  await expect(page.getByTestId('question').last()).toContainText('Can I keep working during treatment?');

  // Visit mode: large type, ask, answer, free notes — typed key by key.
  await page.getByRole('button', { name: 'Start visit mode' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Visit mode' })).toBeVisible();
  const first = page.getByTestId('visit-question').first();
  await first.locator('label.appt-asked').click();
  await expect(first.getByRole('checkbox', { name: /^Asked/ })).toBeChecked();
  await first.getByRole('textbox', { name: /^What they said/ }).pressSequentially('About two hundred a year', { delay: 15 });
  const notes = page.getByRole('textbox', { name: 'My notes' });
  await notes.click();
  await notes.pressSequentially('Margins clear. Ask about radiation.', { delay: 20 });
  await expect(page.getByTestId('notes-save-state')).toHaveText(/^Saved at/);
  await expect(page.getByText('1 of 12 questions asked')).toBeVisible();
  await expect
    .poll(async () => {
      const detail = await coreCall<AppointmentDetail>(app, 'appointments.get', { id });
      return [detail.notes.text, detail.questions[0]?.answer, detail.questions[0]?.asked];
    })
    .toEqual(['Margins clear. Ask about radiation.', 'About two hundred a year', true]);

  // Reload the window mid-visit: everything typed is still there.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Visit mode' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'My notes' })).toHaveValue('Margins clear. Ask about radiation.');
  await expect(page.getByTestId('visit-question').first().getByRole('textbox', { name: /^What they said/ })).toHaveValue('About two hundred a year');

  // Home screen and timeline.
  await page.getByRole('link', { name: 'Overview' }).click();
  const card = page.getByRole('region', { name: 'Coming up' });
  await expect(card.getByTestId('coming-up-appointment')).toContainText(title);
  await expect(card.getByTestId('open-items')).toContainText('not in your records yet');
  await page.getByRole('link', { name: 'Timeline' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeVisible();
  await expect(page.getByTestId('timeline-item').filter({ hasText: title })).toBeVisible();
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('records request: overdue reminder on the home screen, letter PDF, answered; axe clean light and dark', async ({ page, app }) => {
  await coreCall(app, 'vault.create', { profile: { fullName: PATIENT.name, birthDate: '1962-03-15' }, passphrase: PASSPHRASE });
  const appointment = await coreCall<AppointmentDetail>(app, 'appointments.create', {
    appointment: {
      kind: 'second',
      status: 'booked',
      clinician: 'Dr. Sam Okafor',
      institution: 'University Hospital',
      date: isoInDays(9),
      place: '1 Campus Drive, Suite 200',
      contacts: [{ name: 'Lee Navigator', role: 'Nurse navigator', phone: '(555) 010-3000' }],
    },
  });
  const pathology = appointment.checklist.find((item) => item.recordKind === 'pathology-report')!;
  const request = await coreCall<{ id: string }>(app, 'appointments.addRequest', {
    appointmentId: appointment.id,
    request: { office: 'Riverbend Hospital records', officeContact: 'Fax (555) 010-2001', itemIds: [pathology.id], remindAfterDays: 7 },
  });
  await coreCall(app, 'appointments.updateRequest', { appointmentId: appointment.id, requestId: request.id, changes: { status: 'sent', on: isoInDays(-10) } });

  await app.open();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('overdue-requests')).toContainText('Riverbend Hospital records');
  await expect(page.getByTestId('overdue-requests')).toContainText('no answer after 10 days');
  await auditScreen(page, 'appointments-overview');

  await page.getByRole('link', { name: 'Appointments' }).click();
  await expect(page.getByTestId('appointment-card')).toContainText('1 request unanswered');
  await auditScreen(page, 'appointments-list');

  await page.getByRole('link', { name: 'Second opinion with Dr. Sam Okafor, University Hospital' }).click();
  const row = page.getByTestId('records-request').filter({ hasText: 'Riverbend Hospital records' });
  await expect(row).toHaveAttribute('data-overdue', 'true');
  await expect(row).toContainText('No answer after 10 days');
  await page.getByRole('button', { name: 'Details: Pathology report' }).click();
  await page.getByRole('button', { name: 'Ask an office for records' }).click();
  await page.getByLabel('Which office holds the records').fill('City imaging center');
  await auditScreen(page, 'appointments-detail');
  await page.getByRole('button', { name: 'Save the request' }).click();
  await expect(page.getByTestId('records-request')).toHaveCount(2);

  await row.getByRole('button', { name: /^Print the letter \(PDF\)/ }).click();
  await expect(row.getByRole('status')).toContainText(app.exportDir);
  await row.getByRole('button', { name: /^The records came/ }).click();
  await expect(row).toHaveAttribute('data-overdue', 'false');
  await expect(row).toContainText('Answered');
  await expect(page.getByLabel('Pathology report', { exact: true })).toHaveValue('received');

  await page.getByRole('button', { name: 'Start visit mode' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Visit mode' })).toBeVisible();
  await auditScreen(page, 'appointments-visit');

  await page.getByRole('link', { name: 'Timeline' }).click();
  await expect(page.getByTestId('timeline-item').first()).toBeVisible();
  await auditScreen(page, 'appointments-timeline');
  expect(app.cspViolations).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});
