import { parseArgs } from 'node:util';
import { opinionInput, opinionJsonSchema, opinionLabel } from '../../../shared/opinions';
import { readJsonFile, singleArgument } from '../args';
import { EXIT } from '../exit-codes';
import { UsageError } from '../usage';
import type { Command } from './command';

const STATUS_WORDS = { same: 'same', different: 'DIFFERENT', partial: 'only some say', 'not-stated': 'not stated' } as const;

/** `opinion schema | add FILE.json | list | show ID` */
const opinion: Command = {
  name: 'opinion',
  async run(session, args) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'schema':
        process.stdout.write(`${JSON.stringify(opinionJsonSchema('input'), null, 2)}\n`);
        return EXIT.ok;
      case 'add': {
        const file = singleArgument(rest, 'opinion add FILE.json');
        const parsed = opinionInput.safeParse(await readJsonFile(file));
        if (!parsed.success) {
          const reasons = parsed.error.issues.slice(0, 10).map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
          process.stderr.write(`second-opinion: ${file} is not a valid opinion:\n${reasons.join('\n')}\n`);
          return EXIT.invalidInput;
        }
        await session.unlock();
        const created = await session.call('opinions.create', { opinion: parsed.data });
        session.print(created.id, created);
        return EXIT.ok;
      }
      case 'list': {
        await session.unlock();
        const { items } = await session.call('opinions.list', {});
        session.print(items.length ? items.map((item) => `${item.id}  ${item.kind.padEnd(11)}  ${opinionLabel(item)}`).join('\n') : 'No opinions recorded yet.', { items });
        return EXIT.ok;
      }
      case 'show': {
        const id = singleArgument(rest, 'opinion show ID');
        await session.unlock();
        const item = await session.call('opinions.get', { id });
        session.print(JSON.stringify(item, null, 2), item);
        return EXIT.ok;
      }
      default:
        throw new UsageError('usage: second-opinion opinion schema | add FILE.json | list | show ID');
    }
  },
};

/** `compare ID ID [ID ID] [--json] [--pdf FILE]` */
const compare: Command = {
  name: 'compare',
  async run(session, args) {
    const { values, positionals } = parseArgs({
      args,
      options: { pdf: { type: 'string' }, 'to-records': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length < 2 || positionals.length > 4) throw new UsageError('usage: second-opinion compare ID ID [ID ID] [--pdf FILE]');
    await session.unlock();
    const ids = positionals;
    if (values['to-records']) {
      const kept = await session.call('opinions.addComparisonToRecords', { ids });
      session.print(`The comparison is in your records [${kept.documentId}]; it can now go into a packet.`, kept);
      return EXIT.ok;
    }
    if (values.pdf) {
      const written = await session.call('opinions.comparisonPdf', { ids, destination: values.pdf });
      session.print(`Comparison written to ${written.path} (${written.pages} pages).`, written);
      return EXIT.ok;
    }
    const result = await session.call('opinions.compare', { ids });
    const rows = result.rows
      .filter((row) => row.status !== 'not-stated')
      .map((row) => `  ${row.label}: ${row.values.map((value) => value?.text ?? '—').join(' | ')}  [${STATUS_WORDS[row.status]}]`);
    const questions = result.questions.filter((question) => !question.dismissed).map((question) => `  ? ${question.text}`);
    session.print(
      [result.summary, '', ...result.opinions.map((item, index) => `  (${index + 1}) ${item.label}`), '', ...rows, '', 'Questions to ask:', ...questions].join('\n'),
      result,
    );
    return EXIT.ok;
  },
};


export const opinionCommands: Command[] = [opinion, compare];
