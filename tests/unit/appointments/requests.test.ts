import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { must } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import { clockCore } from './helpers';

describe('records requests', () => {
  it('logs dates, moves the requested records along, and reminds after N days without an answer (fake clock)', async () => {
    const { core, clock } = await clockCore();
    const appointment = await must(core, 'appointments.create', {
      appointment: {
        kind: 'second',
        clinician: 'Dr. Sam Okafor',
        institution: 'University Hospital',
        date: '2025-03-28',
        place: '1 Campus Drive, Suite 200\nSpringfield',
      },
    });
    const pathology = appointment.checklist.find((item) => item.recordKind === 'pathology-report')!;
    const slides = appointment.checklist.find((item) => item.recordKind === 'slides')!;
    const task = appointment.checklist.find((item) => item.type === 'task')!;

    const refused = await core.call('appointments.addRequest', {
      appointmentId: appointment.id,
      request: { office: 'Riverbend pathology', itemIds: [task.id] },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const request = await must(core, 'appointments.addRequest', {
      appointmentId: appointment.id,
      request: { office: 'Riverbend General Hospital, Pathology', officeContact: 'Fax (555) 010-2001', itemIds: [pathology.id, slides.id], remindAfterDays: 7 },
    });
    expect(request).toMatchObject({ status: 'draft', sendTo: 'second-opinion-office', sentOn: null, overdue: false, daysWaiting: null, remindOn: null });
    expect(request.log).toEqual([{ event: 'created', on: '2025-03-03', at: expect.any(String) }]);

    // Sent on the 4th; the reminder falls due 7 days later.
    clock.advanceDays(1);
    const sent = await must(core, 'appointments.updateRequest', { appointmentId: appointment.id, requestId: request.id, changes: { status: 'sent' } });
    expect(sent).toMatchObject({ status: 'sent', sentOn: '2025-03-04', remindOn: '2025-03-11', daysWaiting: 0, overdue: false });
    let detail = await must(core, 'appointments.get', { id: appointment.id });
    const movedSlides = detail.checklist.find((item) => item.id === slides.id)!;
    expect(movedSlides).toMatchObject({ status: 'requested', requestedOn: '2025-03-04', holder: 'Riverbend General Hospital, Pathology' });

    clock.advanceDays(6);
    expect((await must(core, 'appointments.dashboard', {})).overdueRequests).toEqual([]);
    clock.advanceDays(1);
    const dashboard = await must(core, 'appointments.dashboard', {});
    expect(dashboard.today).toBe('2025-03-11');
    expect(dashboard.overdueRequests).toEqual([
      {
        appointmentId: appointment.id,
        appointmentLabel: 'Second opinion with Dr. Sam Okafor, University Hospital',
        requestId: request.id,
        office: 'Riverbend General Hospital, Pathology',
        sentOn: '2025-03-04',
        daysWaiting: 7,
      },
    ]);
    detail = await must(core, 'appointments.get', { id: appointment.id });
    expect(detail.requests[0]).toMatchObject({ overdue: true, daysWaiting: 7 });
    expect(detail.counts.overdueRequests).toBe(1);

    // The answer stops the reminder and marks the records received.
    clock.advanceDays(2);
    const answered = await must(core, 'appointments.updateRequest', { appointmentId: appointment.id, requestId: request.id, changes: { status: 'answered' } });
    expect(answered).toMatchObject({ status: 'answered', answeredOn: '2025-03-13', overdue: false, daysWaiting: null });
    expect(answered.log.map((entry) => `${entry.event} ${entry.on}`)).toEqual(['created 2025-03-03', 'sent 2025-03-04', 'answered 2025-03-13']);
    detail = await must(core, 'appointments.get', { id: appointment.id });
    expect(detail.checklist.find((item) => item.id === slides.id)).toMatchObject({ status: 'received', receivedOn: '2025-03-13' });
    expect((await must(core, 'appointments.dashboard', {})).overdueRequests).toEqual([]);

    // A date can be given (when it was really sent), and a request reopened.
    const reopened = await must(core, 'appointments.updateRequest', {
      appointmentId: appointment.id,
      requestId: request.id,
      changes: { status: 'sent', on: '2025-03-01', remindAfterDays: 30 },
    });
    expect(reopened).toMatchObject({ status: 'sent', sentOn: '2025-03-01', answeredOn: null, remindAfterDays: 30, remindOn: '2025-03-31', overdue: false });
    expect(reopened.log.at(-1)).toMatchObject({ event: 'sent', on: '2025-03-01' });
  });

  it('prints a letter filled in from the profile, the appointment and the request', async () => {
    const { core, exportDir } = await clockCore();
    const appointment = await must(core, 'appointments.create', {
      appointment: { kind: 'second', clinician: 'Dr. Sam Okafor', institution: 'University Hospital', date: '2025-03-28', place: '1 Campus Drive, Suite 200' },
    });
    const pathology = appointment.checklist.find((item) => item.recordKind === 'pathology-report')!;
    const discs = appointment.checklist.find((item) => item.recordKind === 'imaging-discs')!;
    const request = await must(core, 'appointments.addRequest', {
      appointmentId: appointment.id,
      request: {
        office: 'Riverbend General Hospital',
        officeAddress: '1200 Example Parkway\nSpringfield',
        itemIds: [pathology.id, discs.id],
        otherRecords: 'Operative note from February',
        patientContact: 'Phone (555) 010-9999',
      },
    });
    const letter = await must(core, 'appointments.requestLetter', { appointmentId: appointment.id, requestId: request.id });
    expect(path.dirname(letter.path)).toBe(exportDir);
    expect(path.basename(letter.path)).toBe('Records request to Riverbend General Hospital 2025-03-03.pdf');
    const text = execFileSync('pdftotext', ['-layout', letter.path, '-'], { encoding: 'utf8' });
    for (const expected of [
      'Zyxwvut Testpatient',
      'April 9, 1971',
      'Riverbend General Hospital',
      '1200 Example Parkway',
      'Request for copies of my medical records',
      'Pathology reports',
      'Copies of the images on disc',
      'Operative note from February',
      'Dr. Sam Okafor, University Hospital',
      '1 Campus Drive, Suite 200',
      'arrive by March 28, 2025',
      'Signature',
    ]) {
      expect(text).toContain(expected);
    }
    const toMe = await must(core, 'appointments.updateRequest', { appointmentId: appointment.id, requestId: request.id, changes: { sendTo: 'patient' } });
    expect(toMe.sendTo).toBe('patient');
    expect(toMe.itemIds).toEqual([pathology.id, discs.id]);
    const out = path.join(tempDir(), 'letter.pdf');
    await must(core, 'appointments.requestLetter', { appointmentId: appointment.id, requestId: request.id, destination: out });
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toMatch(/Me, Zyxwvut Testpatient, at the address above/);
    const again = await core.call('appointments.requestLetter', { appointmentId: appointment.id, requestId: request.id, destination: out });
    expect(again).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_EMPTY' } });
    const detail = await must(core, 'appointments.get', { id: appointment.id });
    expect(detail.requests[0]!.log.filter((entry) => entry.event === 'letter')).toHaveLength(2);
  });
});
