import type { ReactNode } from 'react';
import { OverviewScreen } from '../overview/OverviewScreen';

/**
 * The sections shown in the left navigation. A feature plugs in by adding one entry here; only sections that
 * exist are listed (no placeholders).
 */
export interface Section {
  id: string;
  label: string;
  render(): ReactNode;
}

export const sections: readonly Section[] = [{ id: 'overview', label: 'Overview', render: () => <OverviewScreen /> }];
