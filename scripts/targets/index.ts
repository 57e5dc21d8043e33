import { aiosmtpd } from './aiosmtpd.js';
import { aiosmtpdLmtp } from './aiosmtpd-lmtp.js';
import { exim } from './exim.js';
import { haraka } from './haraka.js';
import { opensmtpd } from './opensmtpd.js';
import { postfix } from './postfix.js';
import type { RealServer } from './real-server.js';
import { smtpServerLmtp } from './smtp-server-lmtp.js';
import { smtpServerStock } from './smtp-server-stock.js';

/** The real servers of the interop tier, in the order the tier runs them (LMTP servers last). */
export const REAL_SERVERS: readonly RealServer[] = [
  postfix,
  exim,
  opensmtpd,
  aiosmtpd,
  haraka,
  smtpServerStock,
  smtpServerLmtp,
  aiosmtpdLmtp,
];
