import { appointmentHandlers } from './appointments/operations';
import type { Handlers } from './dispatch';
import { documentHandlers } from './documents/operations';
import { exportHandlers } from './export/operations';
import { imagingHandlers } from './imaging/operations';
import { opinionHandlers } from './opinions/operations';
import { settingsHandlers } from './settings/operations';
import { taskHandlers } from './tasks/operations';
import { vaultHandlers } from './vault/operations';

/**
 * Every contract operation's handler, by capability. TypeScript checks that each operation in
 * shared/contract has exactly one handler here.
 */
export const operationHandlers: Handlers = {
  ...vaultHandlers,
  ...settingsHandlers,
  ...taskHandlers,
  ...documentHandlers,
  ...opinionHandlers,
  ...imagingHandlers,
  ...exportHandlers,
  ...appointmentHandlers,
};
