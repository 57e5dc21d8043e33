import type { GaugeError } from '../core/errors.js';
import type { Credentials } from '../dialogue/run-context.js';
import type { LoadProfile } from '../suite/profile-model.js';
import { generateLoopbackCertificate } from '../targets/certificate.js';
import { startSinkTarget } from '../targets/sink-target.js';

/**
 * Where a load run sends: the `--target`, or, without one, the embedded sink started for the
 * run (STARTTLS when the profile uses it, AUTH PLAIN with the test account when it
 * authenticates). `close()` stops what was started.
 */
export interface LoadTargetHandle {
  host: string;
  port: number;
  credentials?: Credentials;
  embedded: boolean;
  close(): Promise<void>;
}

export const SINK_ACCOUNT: Credentials = { user: 'smtpgauge', pass: 'gauge-test-password' };

export async function startLoadTarget(
  profile: LoadProfile,
  target: { host: string; port: number } | undefined,
  credentials: Credentials | undefined,
): Promise<LoadTargetHandle | GaugeError> {
  if (target)
    return {
      ...target,
      ...(credentials ? { credentials } : {}),
      embedded: false,
      close: async () => undefined,
    };
  const modes = profile.connection.tls.map((t) => t.mode);
  if (modes.includes('implicit'))
    return {
      kind: 'usage',
      message: 'implicit TLS needs --target: the embedded sink speaks STARTTLS',
    };
  const account = profile.connection.auth ? (credentials ?? SINK_ACCOUNT) : undefined;
  try {
    const sink = await startSinkTarget({
      ...(modes.includes('starttls') ? { certificate: await generateLoopbackCertificate() } : {}),
      ...(account ? { credentials: account } : {}),
    });
    return {
      host: sink.host,
      port: sink.port,
      ...(account ? { credentials: account } : {}),
      embedded: true,
      close: () => sink.close(),
    };
  } catch (cause) {
    return {
      kind: 'runtime',
      message: `cannot start the embedded sink: ${(cause as Error).message}`,
    };
  }
}
