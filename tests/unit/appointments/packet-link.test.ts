import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { must } from '../../helpers/core';
import { addDocument, clockCore } from './helpers';

describe('an appointment linked to its packet', () => {
  it('marks the records the packet carried as in the packet, and shows the packet on the timeline with its appointment', async () => {
    const { core, root } = await clockCore();
    const pathology = await addDocument(core, 'pathology', 'Surgical pathology report');
    const labs = await addDocument(core, 'lab', 'Blood counts');
    const packet = await must(core, 'packets.build', {
      recipient: { organization: 'University Hospital' },
      documentIds: [pathology],
      format: 'folder',
      destination: path.join(root, 'packet'),
    });
    const appointment = await must(core, 'appointments.create', {
      appointment: { kind: 'second', institution: 'University Hospital', date: '2025-03-20', packetId: packet.packetId },
    });
    const recordItem = (kind: string) => appointment.checklist.find((item) => item.recordKind === kind);
    expect(recordItem('pathology-report')?.vault?.inPacket).toBe(true);
    // The lab results are in the vault but were not sent in this packet.
    expect(recordItem('lab-results')?.vault?.matches.map((match) => match.id)).toContain(labs);
    expect(recordItem('lab-results')?.vault?.inPacket).toBe(false);

    const { items } = await must(core, 'timeline.list', { kinds: ['packet'] });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'packet', appointmentId: appointment.id });
    expect(items[0]?.title).toContain('University Hospital');
  });
});
