import { parseArgs } from 'node:util';
import {
  APPOINTMENT_STATUS_LABELS,
  appointmentInput,
  appointmentJsonSchema,
  CHECKLIST_GROUP_LABELS,
  CHECKLIST_GROUPS,
  ITEM_STATUS_LABELS,
  VISIT_MODE_LABELS,
  type AppointmentDetail,
  type ChecklistItem,
} from '../../../shared/contract/appointments';
import { readJsonFile, singleArgument } from '../args';
import { EXIT } from '../exit-codes';
import { UsageError } from '../usage';
import type { Command } from './command';

const USAGE = 'usage: second-opinion appointment schema | add FILE.json | list | show ID | sheet ID --out FILE.pdf';

/** `appointment schema | add FILE.json | list | show ID | sheet ID --out FILE.pdf` */
const appointment: Command = {
  name: 'appointment',
  async run(session, args) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'schema':
        if (rest.length > 0) throw new UsageError(USAGE);
        process.stdout.write(`${JSON.stringify(appointmentJsonSchema(), null, 2)}\n`);
        return EXIT.ok;
      case 'add': {
        const file = singleArgument(rest, 'appointment add FILE.json');
        const parsed = appointmentInput.safeParse(await readJsonFile(file));
        if (!parsed.success) {
          const reasons = parsed.error.issues.slice(0, 10).map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
          process.stderr.write(`second-opinion: ${file} is not a valid appointment:\n${reasons.join('\n')}\n`);
          return EXIT.invalidInput;
        }
        await session.unlock();
        const created = await session.call('appointments.create', { appointment: parsed.data });
        session.print(created.id, created);
        return EXIT.ok;
      }
      case 'list': {
        if (rest.length > 0) throw new UsageError(USAGE);
        await session.unlock();
        const { items } = await session.call('appointments.list', {});
        const lines = items.map((item) => {
          const when = item.date ? `${item.date}${item.time ? ` ${item.time}` : ''}` : 'no date yet';
          const open = item.counts.openItems ? `, ${item.counts.openItems} open` : '';
          const missing = item.counts.missingRecords ? `, ${item.counts.missingRecords} missing` : '';
          return `${item.id}  ${when.padEnd(16)}  ${item.label}  [${APPOINTMENT_STATUS_LABELS[item.status]}${open}${missing}]`;
        });
        session.print(lines.length ? lines.join('\n') : 'No appointments planned yet.', { items });
        return EXIT.ok;
      }
      case 'show': {
        const id = singleArgument(rest, 'appointment show ID');
        await session.unlock();
        const detail = await session.call('appointments.get', { id });
        session.print(describe(detail), detail);
        return EXIT.ok;
      }
      case 'sheet': {
        const { values, positionals } = parseArgs({ args: rest, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
        if (positionals.length !== 1 || !values.out) throw new UsageError('usage: second-opinion appointment sheet ID --out FILE.pdf');
        await session.unlock();
        const written = await session.call('appointments.prepSheet', { id: positionals[0]!, destination: values.out });
        session.print(`Prep sheet written to ${written.path} (${written.pages} ${written.pages === 1 ? 'page' : 'pages'}).`, written);
        return EXIT.ok;
      }
      default:
        throw new UsageError(USAGE);
    }
  },
};

/** The appointment as plain text: details, the checklist with statuses and what is missing, requests, questions. */
function describe(detail: AppointmentDetail): string {
  const lines: string[] = [detail.label];
  const when = detail.date ? `${detail.date}${detail.time ? ` ${detail.time}` : ''}` : 'not booked yet';
  lines.push(`  When: ${when} · ${VISIT_MODE_LABELS[detail.mode]} · ${APPOINTMENT_STATUS_LABELS[detail.status]}`);
  if (detail.place) lines.push(`  Where: ${detail.place.replace(/\n/g, ', ')}`);
  for (const contact of detail.contacts) {
    lines.push(`  Contact: ${[contact.name, contact.role, contact.phone, contact.email].filter(Boolean).join(' · ')}`);
  }
  for (const opinion of detail.opinions) lines.push(`  Opinion: ${opinion.label}`);
  const missing = detail.checklist.filter((item) => item.vault?.missing);
  lines.push('', `Checklist (${detail.counts.openItems} open, ${missing.length} missing from the vault):`);
  for (const group of CHECKLIST_GROUPS) {
    const items = detail.checklist.filter((item) => item.group === group);
    if (items.length === 0) continue;
    lines.push(`  ${CHECKLIST_GROUP_LABELS[group]}`);
    for (const item of items) lines.push(`    [${item.open ? ' ' : 'x'}] ${item.label} — ${itemState(item)}`);
  }
  if (missing.length > 0) lines.push('', `Missing from the vault: ${missing.map((item) => item.label).join('; ')}`);
  if (detail.requests.length > 0) {
    lines.push('', 'Records requests:');
    for (const request of detail.requests) {
      const sent = request.sentOn ? `, sent ${request.sentOn}` : '';
      const overdue = request.overdue ? ` — NO ANSWER after ${request.daysWaiting} days, time to follow up` : '';
      lines.push(`  ${request.office}: ${request.status}${sent}${overdue}`);
    }
  }
  lines.push('', `Questions (${detail.counts.asked} of ${detail.counts.questions} asked):`);
  detail.questions.forEach((question, index) => {
    lines.push(`  ${index + 1}. ${question.asked ? '[asked] ' : ''}${question.text}`);
    if (question.answer) lines.push(`     Answer: ${question.answer.replace(/\n/g, ' ')}`);
  });
  if (detail.notes.text) lines.push('', 'Visit notes:', detail.notes.text);
  return lines.join('\n');
}

function itemState(item: ChecklistItem): string {
  const parts: string[] = [ITEM_STATUS_LABELS[item.status]];
  const date = item.requestedOn && item.status === 'requested' ? item.requestedOn : item.status === 'received' ? item.receivedOn : item.status === 'sent' ? item.sentOn : null;
  if (date) parts[0] = `${parts[0]} ${date}`;
  if (item.holder) parts.push(`held by ${item.holder}`);
  if (item.dueOn && item.open) parts.push(`due ${item.dueOn}${item.late ? ' (late)' : ''}`);
  if (item.vault?.physical) parts.push('physical, not in the vault');
  else if (item.vault?.missing) parts.push('MISSING from the vault');
  else if (item.vault) parts.push(`${item.vault.matches.length + item.vault.more} in the vault`);
  return parts.join(', ');
}


export const appointmentCommands: Command[] = [appointment];
