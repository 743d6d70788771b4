/** The body of `iapeer send`: `--message <t>` or `--message-file <f|->` (`-` = stdin), exactly one. */
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli-error';

export interface MessageSource {
  message?: string;
  messageFile?: string;
}

export function readMessage(src: MessageSource, cwd: string, readStdin: () => string = () => fs.readFileSync(0, 'utf8')): string {
  if (src.message !== undefined && src.messageFile !== undefined) throw new CliError('give either --message or --message-file, not both', 2);
  if (src.message !== undefined) return src.message;
  if (src.messageFile === undefined) throw new CliError('a message is required: --message <text> or --message-file <file|->', 2);
  if (src.messageFile === '-') return readStdin();
  const file = path.resolve(cwd, src.messageFile);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read --message-file ${file}: ${(err as Error).message}`, 1);
  }
}
