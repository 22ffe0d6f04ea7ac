import type { ReactNode } from 'react';
import { OverviewScreen } from '../overview/OverviewScreen';
import { AppointmentsScreen } from '../appointments/AppointmentsScreen';
import { TimelineScreen } from '../timeline/TimelineScreen';
import { LibraryScreen } from '../library/LibraryScreen';
import { OpinionsScreen } from '../opinions/OpinionsScreen';
import { ImagingScreen } from '../imaging/ImagingScreen';
import { PacketsScreen } from '../packets/PacketsScreen';

/**
 * The sections shown in the left navigation. A feature plugs in by adding one entry here; only sections that
 * exist are listed (no placeholders).
 */
export interface Section {
  id: string;
  label: string;
  render(): ReactNode;
}

export const sections: readonly Section[] = [
  { id: 'overview', label: 'Overview', render: () => <OverviewScreen /> },
  { id: 'records', label: 'Records', render: () => <LibraryScreen /> },
  { id: 'imaging', label: 'Imaging', render: () => <ImagingScreen /> },
  { id: 'opinions', label: 'Opinions', render: () => <OpinionsScreen /> },
  { id: 'appointments', label: 'Appointments', render: () => <AppointmentsScreen /> },
  { id: 'packets', label: 'Send records', render: () => <PacketsScreen /> },
  { id: 'timeline', label: 'Timeline', render: () => <TimelineScreen /> },
];
