import { formatReply } from '../protocol/reply.js';
import { openSession, type ConnectFailure, type SmtpSession } from '../protocol/session.js';
import { advertisedSizeLimit, capabilityLines, capabilityRequirements } from './capabilities.js';
import { sessionOptions, type RunTarget, type RunTimeouts } from './run-context.js';

/** What the target says about itself before the cases run: recorded in the report. */
export interface TargetProfile {
  host: string;
  port: number;
  /** The greeting as received (`220 mx.example.test ESMTP`), or null when none came. */
  banner: string | null;
  /** EHLO capability lines (`SIZE 10485760`, `AUTH PLAIN LOGIN`), after STARTTLS for a TLS run. */
  capabilities: string[];
  /** What `requires:` matches: keywords and `KEYWORD=PARAM` (capabilityRequirements). */
  keywords: Set<string>;
  /** The fixed SIZE limit advertised, if any. */
  sizeLimit?: number;
  /** Problems of the probe that did not stop the run (no greeting, EHLO refused). */
  warnings: string[];
}

/**
 * Connects once to learn the banner and the capabilities. Fails only when the target cannot
 * be reached at all; a target that connects but misbehaves is profiled as far as it goes, and
 * the cases then record the misbehaviour as failures.
 */
export async function probeTarget(
  target: RunTarget,
  timeouts: RunTimeouts,
  client: string,
  protocol: 'smtp' | 'lmtp' = 'smtp',
): Promise<{ ok: true; profile: TargetProfile } | { ok: false; failure: ConnectFailure }> {
  const opened = await openSession(sessionOptions(target, timeouts));
  if (!opened.ok) return opened;
  const profile: TargetProfile = {
    host: target.host,
    port: target.port,
    banner: null,
    capabilities: [],
    keywords: new Set(),
    warnings: [],
  };
  try {
    await converse(
      opened.session,
      profile,
      target,
      timeouts,
      `${protocol === 'lmtp' ? 'LHLO' : 'EHLO'} ${client}`,
    );
  } finally {
    opened.session.sendLine('QUIT');
    await opened.session.waitForClose(500);
    await opened.session.close();
  }
  return { ok: true, profile };
}

async function converse(
  session: SmtpSession,
  profile: TargetProfile,
  target: RunTarget,
  timeouts: RunTimeouts,
  hello: string,
): Promise<void> {
  const greeting = await session.readReply(timeouts.replyMs);
  if (greeting.kind !== 'reply') {
    profile.warnings.push(`no greeting within ${timeouts.replyMs} ms`);
    return;
  }
  profile.banner = formatReply(greeting.reply);
  if (!(await ehlo(session, profile, timeouts, hello))) return;
  if (target.tls !== 'starttls' || !profile.keywords.has('STARTTLS')) return;
  session.sendLine('STARTTLS');
  const ready = await session.readReply(timeouts.replyMs);
  if (ready.kind !== 'reply' || ready.reply.code !== 220)
    return void profile.warnings.push('STARTTLS was refused');
  const upgraded = await session.upgradeTls({
    servername: target.servername,
    timeoutMs: timeouts.connectMs,
  });
  if (!upgraded.ok) return void profile.warnings.push(`TLS handshake failed: ${upgraded.message}`);
  await ehlo(session, profile, timeouts, hello);
}

async function ehlo(
  session: SmtpSession,
  profile: TargetProfile,
  timeouts: RunTimeouts,
  hello: string,
): Promise<boolean> {
  session.sendLine(hello);
  const reply = await session.readReply(timeouts.replyMs);
  if (reply.kind !== 'reply' || reply.reply.code !== 250) {
    profile.warnings.push(
      reply.kind === 'reply' ? `EHLO refused: ${formatReply(reply.reply)}` : 'no reply to EHLO',
    );
    return false;
  }
  profile.capabilities = capabilityLines(reply.reply);
  profile.keywords = capabilityRequirements(profile.capabilities);
  profile.sizeLimit = advertisedSizeLimit(profile.capabilities);
  return true;
}
