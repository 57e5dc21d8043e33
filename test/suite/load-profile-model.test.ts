import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/suite/load-profile.js';
import { DEFAULT_SIZE_DISTRIBUTION, PROFILE_DEFAULTS } from '../../src/suite/profile-model.js';
import type { LoadProfile } from '../../src/suite/profile-model.js';

/** The profile `text` loads to, with every span left out; fails on any diagnostic. */
function values(text: string, file = 'suites/load/test.yaml'): unknown {
  const result = loadProfile(file, text);
  expect(result.diagnostics).toEqual([]);
  return withoutSpans(result.profile);
}

function withoutSpans(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'span' ? undefined : v)));
}

function example(name: string): unknown {
  return values(readFileSync(`suites/load/${name}.yaml`, 'utf8'), `suites/load/${name}.yaml`);
}

const MINIMAL = 'title: t\nmodel: { kind: closed, sessions: 1 }\n';

const DEFAULT_MESSAGE = {
  size: DEFAULT_SIZE_DISTRIBUTION,
  recipients: { kind: 'fixed', value: 1 },
  attachments: { kind: 'fixed', value: 0 },
  shapes: 64,
  eightBit: false,
};
const DEFAULT_CONNECTION = {
  tls: [{ mode: 'none', weight: 1 }],
  auth: false,
  pipelining: true,
  chunking: false,
  reuse: true,
  helo: 'client.example.test',
};
const DEFAULT_ENVELOPE = {
  sender: 'load@example.test',
  recipientPrefix: 'user',
  domain: 'example.test',
};

describe('loadProfile: the example profiles', () => {
  it('smoke: open, 100 messages/s on up to 4 sessions, 5 s or 500 messages, 1 KB, no TLS', () => {
    expect(example('smoke')).toEqual({
      id: 'smoke',
      title: 'Smoke test against the embedded sink',
      file: 'suites/load/smoke.yaml',
      durationMs: 5000,
      warmUpMs: 0,
      messages: 500,
      seed: 42,
      model: {
        kind: 'open',
        unit: 'message',
        rate: 100,
        stages: [],
        startRate: 0,
        maxSessions: 4,
        messagesPerSession: 1,
      },
      message: { ...DEFAULT_MESSAGE, size: { kind: 'fixed', value: 1024 } },
      connection: DEFAULT_CONNECTION,
      envelope: DEFAULT_ENVELOPE,
      thresholds: [
        { expression: 'rate(errors) < 1%', abortOnBreach: false },
        { expression: 'p99(message) < 100ms', abortOnBreach: false },
      ],
    });
  });

  it('submission-587: STARTTLS and AUTH, closed, modest rates', () => {
    expect(example('submission-587')).toEqual({
      id: 'submission-587',
      title: 'Submission: 16 authenticated STARTTLS clients',
      file: 'suites/load/submission-587.yaml',
      durationMs: 60_000,
      warmUpMs: 0,
      seed: 587,
      model: { kind: 'closed', sessions: 16, messagesPerSession: 10, thinkTimeMs: 200 },
      message: {
        ...DEFAULT_MESSAGE,
        size: { kind: 'uniform', min: 2048, max: 32 * 1024 },
        recipients: { kind: 'uniform', min: 1, max: 3 },
        attachments: { kind: 'uniform', min: 0, max: 1 },
      },
      connection: {
        ...DEFAULT_CONNECTION,
        tls: [{ mode: 'starttls', weight: 1 }],
        auth: true,
        helo: 'laptop.example.test',
      },
      envelope: { ...DEFAULT_ENVELOPE, sender: 'alice@example.test' },
      thresholds: [
        { expression: 'p99(auth) < 200ms', abortOnBreach: false },
        { expression: 'p99(message) < 500ms', abortOnBreach: false },
        { expression: 'rate(errors) < 0.5%', abortOnBreach: false },
      ],
    });
  });

  it('mx-relay-mix: open, default sizes, 1-3 recipients, none/starttls mix', () => {
    expect(example('mx-relay-mix')).toEqual({
      id: 'mx-relay-mix',
      title: 'MX relay: 100 messages/s, long-tail sizes, mixed STARTTLS',
      file: 'suites/load/mx-relay-mix.yaml',
      durationMs: 120_000,
      warmUpMs: 0,
      seed: 25,
      model: {
        kind: 'open',
        unit: 'session',
        rate: 20,
        stages: [],
        startRate: 0,
        maxSessions: 500,
        messagesPerSession: 5,
      },
      message: { ...DEFAULT_MESSAGE, recipients: { kind: 'uniform', min: 1, max: 3 } },
      connection: {
        ...DEFAULT_CONNECTION,
        tls: [
          { mode: 'none', weight: 0.3 },
          { mode: 'starttls', weight: 0.7 },
        ],
        helo: 'mx.sender.example',
      },
      envelope: { ...DEFAULT_ENVELOPE, sender: 'bounces@sender.example' },
      thresholds: [
        { expression: 'p99(eod) < 250ms', abortOnBreach: false },
        { expression: 'rate(errors) < 1%', abortOnBreach: false },
      ],
    });
  });

  it('saturation-ramp: open, stages up to 2000/s, bounded by the stages, an aborting threshold', () => {
    const profile = example('saturation-ramp') as LoadProfile;
    const stage = (s: number, rate: number) => ({ durationMs: s * 1000, rate });
    expect(profile).toMatchObject({
      id: 'saturation-ramp',
      durationMs: 130_000,
      seed: 7,
      model: {
        kind: 'open',
        unit: 'message',
        startRate: 0,
        maxSessions: 2000,
        messagesPerSession: 1,
        stages: [
          stage(10, 250),
          stage(20, 250),
          stage(10, 500),
          stage(20, 500),
          stage(10, 1000),
          stage(20, 1000),
          stage(10, 2000),
          stage(30, 2000),
        ],
      },
      message: { ...DEFAULT_MESSAGE, size: { kind: 'fixed', value: 4096 } },
      connection: DEFAULT_CONNECTION,
      thresholds: [
        { expression: 'p99(eod) < 50ms', abortOnBreach: false },
        { expression: 'rate(errors) < 1%', abortOnBreach: true },
      ],
    });
    expect(profile.model).not.toHaveProperty('rate');
  });
});

describe('loadProfile: defaults and forms', () => {
  it('fills every default into a minimal profile; the id comes from the file name', () => {
    expect(values(MINIMAL, 'some/dir/my-profile.yml')).toEqual({
      id: 'my-profile',
      title: 't',
      file: 'some/dir/my-profile.yml',
      durationMs: PROFILE_DEFAULTS.durationMs,
      warmUpMs: 0,
      seed: PROFILE_DEFAULTS.seed,
      model: { kind: 'closed', sessions: 1, thinkTimeMs: 0 },
      message: DEFAULT_MESSAGE,
      connection: DEFAULT_CONNECTION,
      envelope: DEFAULT_ENVELOPE,
      thresholds: [],
    });
  });

  it('reads sizes in B, KB and MB (1024-based, any case), and plain octets', () => {
    const sizeOf = (size: string) =>
      (values(`${MINIMAL}message: { size: ${size} }\n`) as LoadProfile).message.size;
    expect(sizeOf('600')).toEqual({ kind: 'fixed', value: 600 });
    expect(sizeOf('600B')).toEqual({ kind: 'fixed', value: 600 });
    expect(sizeOf('1KB')).toEqual({ kind: 'fixed', value: 1024 });
    expect(sizeOf('1.5 kb')).toEqual({ kind: 'fixed', value: 1536 });
    expect(sizeOf('2MB')).toEqual({ kind: 'fixed', value: 2 * 1024 * 1024 });
    expect(sizeOf('default')).toEqual(DEFAULT_SIZE_DISTRIBUTION);
    expect(sizeOf('{ uniform: [1KB, 1KB] }')).toEqual({ kind: 'uniform', min: 1024, max: 1024 });
    expect(sizeOf('{ empirical: [[1KB, 25%], [4KB, 0.5], [1MB, 100%]] }')).toEqual({
      kind: 'empirical',
      points: [
        { upTo: 1024, cumulative: 0.25 },
        { upTo: 4096, cumulative: 0.5 },
        { upTo: 1024 * 1024, cumulative: 1 },
      ],
    });
  });

  it('documents the default size mix as the table it is (docs/load-profile.md)', () => {
    const doc = readFileSync('docs/load-profile.md', 'utf8');
    const table = /```yaml\n(size:\n {2}empirical:\n[^`]+)```/.exec(doc)![1]!;
    const text = `${MINIMAL}message:\n${table.replace(/^/gm, '  ')}`;
    expect((values(text) as LoadProfile).message.size).toEqual(DEFAULT_SIZE_DISTRIBUTION);
  });

  it('reads rates per second and per minute, and ramps from start-rate', () => {
    const modelOf = (model: string) => (values(`title: t\nmodel: ${model}\n`) as LoadProfile).model;
    expect(modelOf('{ kind: open, rate: 30/m }')).toMatchObject({ rate: 0.5, startRate: 0 });
    expect(modelOf('{ kind: open, rate: 2.5 / s }')).toMatchObject({ rate: 2.5 });
    expect(
      modelOf('{ kind: open, start-rate: 5/s, stages: [{ duration: 1m, rate: 0/s }] }'),
    ).toMatchObject({ startRate: 5, stages: [{ durationMs: 60_000, rate: 0 }] });
    expect(modelOf('{ kind: Open, unit: SESSION, rate: 1/s, messages-per-session: 3 }')).toEqual({
      kind: 'open',
      unit: 'session',
      rate: 1,
      stages: [],
      startRate: 0,
      maxSessions: PROFILE_DEFAULTS.maxSessions,
      messagesPerSession: 3,
    });
  });

  it('reads warm-up as a duration, 0 allowed (none, the default)', () => {
    expect((values(`warm-up: 1.5s\n${MINIMAL}`) as LoadProfile).warmUpMs).toBe(1500);
    expect((values(`warm-up: 0\n${MINIMAL}`) as LoadProfile).warmUpMs).toBe(0);
  });

  it('bounds a ramp by its stages, or by duration with a warning when that cuts it short', () => {
    const ramp = 'title: t\nmodel: { kind: open, stages: [{ duration: 10s, rate: 5/s }] }\n';
    expect((values(ramp) as LoadProfile).durationMs).toBe(10_000);
    expect((values(`duration: 1m\n${ramp}`) as LoadProfile).durationMs).toBe(60_000);
    const cut = loadProfile('x.yaml', `duration: 4s\n${ramp}`);
    expect(cut.profile?.durationMs).toBe(4000);
    expect(cut.diagnostics).toMatchObject([
      { severity: 'warning', title: 'ramp cut short', span: { line: 1, col: 11 } },
    ]);
  });

  it('reads TLS weights as percentages or fractions', () => {
    const tlsOf = (tls: string) =>
      (values(`${MINIMAL}connection: { tls: ${tls} }\n`) as LoadProfile).connection.tls;
    expect(tlsOf('STARTTLS')).toEqual([{ mode: 'starttls', weight: 1 }]);
    expect(tlsOf('{ implicit: 100% }')).toEqual([{ mode: 'implicit', weight: 1 }]);
    expect(tlsOf('{ none: 0.25, starttls: 75% }')).toEqual([
      { mode: 'none', weight: 0.25 },
      { mode: 'starttls', weight: 0.75 },
    ]);
    expect(tlsOf('{ none: 33.3%, starttls: 66.7% }')).toHaveLength(2);
  });

  it('keeps a threshold as written, its span on the expression itself', () => {
    const text = `${MINIMAL}thresholds:\n  - p99(eod) < 50ms\n  - { expr: "rate(errors) < 1%", abort: true }\n`;
    const [plain, quoted] = loadProfile('x.yaml', text).profile!.thresholds;
    expect(text.slice(plain!.span.offset, plain!.span.offset + plain!.span.length)).toBe(
      'p99(eod) < 50ms',
    );
    expect(quoted).toMatchObject({ expression: 'rate(errors) < 1%', abortOnBreach: true });
    expect(text.slice(quoted!.span.offset, quoted!.span.offset + quoted!.span.length)).toBe(
      'rate(errors) < 1%',
    );
    expect(quoted!.span).toMatchObject({ line: 5, col: 14 });
  });

  it('accepts the null reverse-path, an address literal for EHLO, and one message per connection', () => {
    const profile = values(
      'title: t\nmodel: { kind: closed, sessions: 1, messages-per-session: 1 }\n' +
        'connection: { reuse: false, helo: "[192.0.2.1]" }\nenvelope: { sender: "" }\n',
    ) as LoadProfile;
    expect(profile.envelope.sender).toBe('');
    expect(profile.connection).toMatchObject({ reuse: false, helo: '[192.0.2.1]' });
  });

  it('gives spans to the profile, the model and each stage', () => {
    const text = 'title: t\nmodel:\n  kind: open\n  stages:\n    - { duration: 1s, rate: 1/s }\n';
    const profile = loadProfile('x.yaml', text).profile!;
    expect(profile.span).toMatchObject({ line: 1, col: 1 });
    expect(profile.model.span).toMatchObject({ line: 3, col: 3 });
    if (profile.model.kind !== 'open') throw new Error('not open');
    expect(profile.model.stages[0]!.span).toMatchObject({ line: 5, col: 7 });
  });
});
