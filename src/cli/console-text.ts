import { colourTags, wantsColour } from '../report/console-colour.js';
import type { CliIo } from './io.js';

/** A summary as the console should show it: coloured on a terminal, plain otherwise. */
export function consoleText(text: string, io: CliIo): string {
  return wantsColour(io.env, io.isTty) ? colourTags(text) : text;
}
