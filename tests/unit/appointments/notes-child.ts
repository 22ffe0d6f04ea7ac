// Types visit notes into an appointment the way the app does — one save per keystroke batch — and prints the
// number of each batch once its save has returned. The crash test kills this process with SIGKILL mid-typing.
import { createCore } from '../../../electron/core/core';
import { silentLogger } from '../../../electron/core/log';

const [vaultDir, appointmentId] = process.argv.slice(2);
const core = createCore({ vaultDir: vaultDir!, log: silentLogger });
const unlocked = await core.call('vault.unlock', { passphrase: process.env.SECOND_OPINION_PASSPHRASE });
if (!unlocked.ok) {
  console.error(JSON.stringify(unlocked));
  process.exit(3);
}
let text = '';
for (let batch = 1; ; batch += 1) {
  text += `batch${batch} the doctor said something worth keeping. `;
  const saved = await core.call('appointments.saveNotes', { appointmentId, text });
  if (!saved.ok) {
    console.error(JSON.stringify(saved));
    process.exit(4);
  }
  process.stdout.write(`${batch}\n`);
}
