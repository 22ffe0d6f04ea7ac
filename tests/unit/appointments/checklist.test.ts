import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesFor } from '../../../electron/core/appointments/templates';
import { APPOINTMENT_KINDS, type ChecklistItem } from '../../../shared/contract';
import { buildDisc } from '../../fixtures/imaging/discs';
import { must } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import { addDocument, clockCore } from './helpers';

const byTemplate = (items: ChecklistItem[], key: string) => items.find((item) => item.template === key);

describe('preparation checklist', () => {
  it('is generated from the kind of appointment', () => {
    const keys = (kind: (typeof APPOINTMENT_KINDS)[number]) => templatesFor(kind).map((template) => template.key);
    const second = keys('second');
    expect(second).toEqual(
      expect.arrayContaining([
        'tell-doctor',
        'insurance-covered',
        'insurance-network',
        'insurance-required',
        'insurance-cost',
        'record:pathology-report',
        'record:slides',
        'record:imaging-reports',
        'record:imaging-discs',
        'record:treatment-recommendations',
        'record:lab-results',
        'record:genetic-results',
        'record:medication-list',
        'release-forms',
        'before-visit',
        'companion',
        'recording',
        'safe-wait',
      ]),
    );
    expect(keys('tumor-board')).toEqual(expect.arrayContaining(['present-case', 'board-answer', 'record:slides', 'safe-wait']));
    expect(keys('tumor-board')).not.toContain('companion');
    expect(keys('follow-up')).toEqual(expect.arrayContaining(['report-reached-doctor', 'record:opinion-report', 'agree-plan', 'bring-comparison']));
    expect(keys('follow-up')).not.toContain('insurance-network');
    expect(keys('first')).not.toContain('record:slides');
    expect(keys('third')).toContain('bring-comparison');
    for (const kind of APPOINTMENT_KINDS) {
      const list = keys(kind);
      expect(new Set(list).size, kind).toBe(list.length);
      expect(list, kind).toContain('safe-wait');
    }
  });

  it('computes what is missing from the vault from documents by type, links and imaging studies', async () => {
    const { core } = await clockCore();
    const pathologyId = await addDocument(core, 'pathology', 'Core biopsy pathology');
    await addDocument(core, 'medication-list', 'My medicines');

    const created = await must(core, 'appointments.create', {
      appointment: { kind: 'second', clinician: 'Dr. Sam Okafor', institution: 'University Hospital', date: '2025-03-20', time: '09:30' },
    });
    const items = created.checklist;
    expect(items.length).toBe(templatesFor('second').length);
    const pathology = byTemplate(items, 'record:pathology-report')!;
    // The vault already holds a pathology report: received, not missing, and the report is named.
    expect(pathology).toMatchObject({ type: 'record', status: 'received', open: false });
    expect(pathology.vault).toMatchObject({ missing: false, physical: false });
    expect(pathology.vault!.matches.map((match) => match.id)).toEqual([pathologyId]);
    expect(byTemplate(items, 'record:medication-list')!.vault!.missing).toBe(false);

    const imaging = byTemplate(items, 'record:imaging-reports')!;
    expect(imaging).toMatchObject({ status: 'needed', open: true, vault: { missing: true, matches: [] } });
    const slides = byTemplate(items, 'record:slides')!;
    expect(slides.vault).toMatchObject({ physical: true, missing: false });
    expect(byTemplate(items, 'tell-doctor')).toMatchObject({ type: 'task', status: 'open', vault: null });
    const missingLabels = items.filter((item) => item.vault?.missing).map((item) => item.template);
    expect(missingLabels).toEqual(
      expect.arrayContaining(['record:imaging-reports', 'record:imaging-discs', 'record:treatment-recommendations', 'record:lab-results', 'record:genetic-results']),
    );
    expect(created.counts.missingRecords).toBe(missingLabels.length);

    // A report arriving in the vault later is found without touching the checklist.
    const radiologyId = await addDocument(core, 'radiology', 'MRI breast report');
    let detail = await must(core, 'appointments.get', { id: created.id });
    expect(byTemplate(detail.checklist, 'record:imaging-reports')!.vault).toMatchObject({ missing: false, matches: [{ id: radiologyId, linked: false }] });
    expect(detail.counts.missingRecords).toBe(missingLabels.length - 1);

    // Trashing it makes it missing again.
    await must(core, 'documents.trash', { ids: [radiologyId] });
    detail = await must(core, 'appointments.get', { id: created.id });
    expect(byTemplate(detail.checklist, 'record:imaging-reports')!.vault!.missing).toBe(true);

    // An item of the person's own is satisfied by linking a document; not-needed is never missing.
    const own = await must(core, 'appointments.addItem', { appointmentId: created.id, label: 'Letter from the fertility clinic', type: 'record' });
    expect(own).toMatchObject({ group: 'records', recordKind: 'other', status: 'needed', vault: { missing: true } });
    const letterId = await addDocument(core, 'other', 'Fertility clinic letter');
    const linked = await must(core, 'appointments.updateItem', { appointmentId: created.id, itemId: own.id, changes: { documentIds: [letterId] } });
    expect(linked.vault).toMatchObject({ missing: false, matches: [{ id: letterId, linked: true }] });
    const genetic = byTemplate(detail.checklist, 'record:genetic-results')!;
    const skipped = await must(core, 'appointments.updateItem', { appointmentId: created.id, itemId: genetic.id, changes: { status: 'not-needed' } });
    expect(skipped).toMatchObject({ open: false, vault: { missing: false } });
    const unknownDoc = await core.call('appointments.updateItem', { appointmentId: created.id, itemId: own.id, changes: { documentIds: ['AAAAAAAAAAAAAAAA'] } });
    expect(unknownDoc).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // Imaging discs are satisfied by imported studies.
    const disc = await buildDisc(path.join(tempDir(), 'CD'));
    await must(core, 'imaging.import', { path: disc.root, acceptOtherPatient: true });
    detail = await must(core, 'appointments.get', { id: created.id });
    const discs = byTemplate(detail.checklist, 'record:imaging-discs')!;
    expect(discs.vault!.missing).toBe(false);
    expect(discs.vault!.matches.every((match) => match.kind === 'study')).toBe(true);
    expect(discs.vault!.matches.length + discs.vault!.more).toBe(4);
  });

  it('is editable: tick, note, holder, due date (late), dates filled in, own items, removal, wrong status refused', async () => {
    const { core, clock } = await clockCore();
    const { id, checklist } = await must(core, 'appointments.create', { appointment: { kind: 'second' } });
    const insurance = byTemplate(checklist, 'insurance-cost')!;
    const ticked = await must(core, 'appointments.updateItem', {
      appointmentId: id,
      itemId: insurance.id,
      changes: { status: 'done', note: 'About $40; the rest is covered.' },
    });
    expect(ticked).toMatchObject({ status: 'done', open: false, note: 'About $40; the rest is covered.' });
    const wrong = await core.call('appointments.updateItem', { appointmentId: id, itemId: insurance.id, changes: { status: 'received' } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const labs = byTemplate(checklist, 'record:lab-results')!;
    const requested = await must(core, 'appointments.updateItem', {
      appointmentId: id,
      itemId: labs.id,
      changes: { status: 'requested', holder: 'Riverbend lab' },
    });
    expect(requested).toMatchObject({ status: 'requested', requestedOn: '2025-03-03', holder: 'Riverbend lab' });

    const before = byTemplate(checklist, 'before-visit')!;
    await must(core, 'appointments.updateItem', { appointmentId: id, itemId: before.id, changes: { dueOn: '2025-03-10' } });
    clock.advanceDays(8);
    let detail = await must(core, 'appointments.get', { id });
    expect(byTemplate(detail.checklist, 'before-visit')).toMatchObject({ late: true, open: true });
    expect(detail.counts.lateItems).toBe(1);

    const own = await must(core, 'appointments.addItem', { appointmentId: id, label: 'Arrange a ride' });
    expect(own).toMatchObject({ group: 'own', type: 'task', status: 'open', template: null, hint: '' });
    expect(await must(core, 'appointments.removeItem', { appointmentId: id, itemId: own.id })).toEqual({ count: 1 });
    detail = await must(core, 'appointments.get', { id });
    expect(detail.checklist.find((item) => item.id === own.id)).toBeUndefined();

    // Changing the kind adds the new kind's items and keeps everything already there.
    const updated = await must(core, 'appointments.update', { id, appointment: { kind: 'tumor-board' } });
    expect(byTemplate(updated.checklist, 'present-case')).toBeDefined();
    expect(byTemplate(updated.checklist, 'insurance-cost')).toMatchObject({ status: 'done' });
    expect(updated.checklist.length).toBe(detail.checklist.length + 2);
  });

  it('validates appointments: unknown opinions, bad dates and times are refused; empty text is left out', async () => {
    const { core } = await clockCore();
    expect(await core.call('appointments.create', { appointment: { kind: 'second', opinionIds: ['AAAAAAAAAAAAAAAA'] } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await core.call('appointments.create', { appointment: { kind: 'second', date: '2025-02-30' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await core.call('appointments.create', { appointment: { kind: 'second', time: '25:00' } })).toMatchObject({ ok: false });
    expect(await core.call('appointments.create', { appointment: { kind: 'fourth' } })).toMatchObject({ ok: false });
    const made = await must(core, 'appointments.create', {
      appointment: { kind: 'first', clinician: '', contacts: [{ name: 'Front desk', phone: '' }] },
    });
    expect(made.clinician).toBeUndefined();
    expect(made.contacts).toEqual([{ name: 'Front desk' }]);
    expect(made).toMatchObject({ status: 'planning', mode: 'in-person', label: 'First opinion' });
    await must(core, 'appointments.trash', { id: made.id });
    expect((await must(core, 'appointments.list', {})).items).toEqual([]);
    expect((await must(core, 'appointments.list', { trash: 'only' })).items).toHaveLength(1);
    await must(core, 'appointments.restore', { id: made.id });
    expect((await must(core, 'appointments.list', {})).items).toHaveLength(1);
  });
});
