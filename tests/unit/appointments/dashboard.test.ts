import { describe, expect, it } from 'vitest';
import { must } from '../../helpers/core';
import { addDocument, clockCore } from './helpers';

describe('home-screen dashboard and timeline', () => {
  it('lists upcoming appointments soonest first, their open items (late and missing first) and nothing past', async () => {
    const { core, clock } = await clockCore();
    const later = await must(core, 'appointments.create', { appointment: { kind: 'follow-up', date: '2025-04-15' } });
    const soon = await must(core, 'appointments.create', { appointment: { kind: 'second', date: '2025-03-10', time: '14:00', status: 'booked' } });
    const undated = await must(core, 'appointments.create', { appointment: { kind: 'tumor-board' } });
    const past = await must(core, 'appointments.create', { appointment: { kind: 'first', date: '2025-02-01', status: 'done' } });
    await must(core, 'appointments.create', { appointment: { kind: 'third', date: '2025-03-12', status: 'cancelled' } });

    const release = soon.checklist.find((item) => item.template === 'release-forms')!;
    await must(core, 'appointments.updateItem', { appointmentId: soon.id, itemId: release.id, changes: { dueOn: '2025-03-04' } });
    clock.advanceDays(2);

    const dashboard = await must(core, 'appointments.dashboard', {});
    expect(dashboard.today).toBe('2025-03-05');
    expect(dashboard.upcoming.map((item) => item.id)).toEqual([soon.id, later.id, undated.id]);
    expect(dashboard.upcoming[0]).toMatchObject({ daysUntil: 5, counts: { lateItems: 1 } });
    expect(dashboard.openItems.length).toBe(8);
    expect(dashboard.openItems[0]).toMatchObject({ appointmentId: soon.id, item: { id: release.id, late: true } });
    expect(dashboard.openItems[1]!.item.missing).toBe(true);
    expect(dashboard.openItemCount).toBe(
      dashboard.upcoming.reduce((sum, item) => sum + item.counts.openItems, 0),
    );

    const list = await must(core, 'appointments.list', {});
    expect(list.items.map((item) => item.id).slice(0, 3)).toEqual([soon.id, later.id, undated.id]);
    expect(list.items.at(-1)?.id).toBe(past.id);
  });

  it('puts documents, opinions, appointments and requests on one timeline, newest first', async () => {
    const { core } = await clockCore();
    const doc = await addDocument(core, 'pathology', 'Core biopsy pathology', '2025-01-20');
    const opinion = await must(core, 'opinions.create', { opinion: { kind: 'first', clinician: 'Dr. Ana Rivera', date: '2025-02-04' } });
    const appointment = await must(core, 'appointments.create', {
      appointment: { kind: 'second', clinician: 'Dr. Sam Okafor', date: '2025-03-20', opinionIds: [opinion.id] },
    });
    const request = await must(core, 'appointments.addRequest', { appointmentId: appointment.id, request: { office: 'Riverbend pathology' } });
    await must(core, 'appointments.updateRequest', { appointmentId: appointment.id, requestId: request.id, changes: { status: 'sent', on: '2025-02-25' } });

    const { items, total } = await must(core, 'timeline.list', {});
    expect(total).toBe(4);
    expect(items.map((item) => [item.kind, item.date])).toEqual([
      ['appointment', '2025-03-20'],
      ['request', '2025-02-25'],
      ['opinion', '2025-02-04'],
      ['document', '2025-01-20'],
    ]);
    expect(items[0]).toMatchObject({ id: appointment.id, title: 'Second opinion with Dr. Sam Okafor', appointmentId: appointment.id });
    expect(items[1]).toMatchObject({ title: 'Records request to Riverbend pathology', appointmentId: appointment.id });
    expect(items[3]).toMatchObject({ id: doc, dateKind: 'event', detail: 'Pathology report' });
    const onlyDocs = await must(core, 'timeline.list', { kinds: ['document'], limit: 1 });
    expect(onlyDocs).toMatchObject({ total: 1, items: [{ kind: 'document' }] });
  });
});
