import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/suite/load-profile.js';

interface Problem {
  severity: string;
  title: string;
  /** `line:col` */
  at: string;
  message: string;
  hint?: string;
}

function problems(text: string): Problem[] {
  const result = loadProfile('p.yaml', text);
  const found = result.diagnostics.map((d) => ({
    severity: d.severity,
    title: d.title,
    at: d.span ? `${d.span.line}:${d.span.col}` : '-',
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  }));
  if (found.some((p) => p.severity === 'error')) expect(result.profile).toBeUndefined();
  return found;
}

/** The one problem `text` has; fails when there are none or several. */
function onlyProblem(text: string): Problem {
  const found = problems(text);
  if (found.length !== 1)
    throw new Error(`expected 1 problem, got ${JSON.stringify(found, null, 2)}`);
  return found[0]!;
}

/** A valid closed profile with `lines` appended (each a top-level line). */
const closed = (...lines: string[]) =>
  ['title: t', 'model: { kind: closed, sessions: 1 }', ...lines].join('\n') + '\n';
/** A profile whose model (line 3 on) is `lines`, indented under `model:`. */
const withModel = (...lines: string[]) =>
  ['title: t', 'model:', ...lines.map((l) => `  ${l}`)].join('\n') + '\n';

describe('loadProfile: the file', () => {
  it('reports an empty file and a file that is not a mapping', () => {
    expect(onlyProblem('# nothing\n')).toMatchObject({ title: 'empty profile', at: '1:1' });
    expect(onlyProblem('- a\n')).toMatchObject({
      title: 'wrong type',
      message: 'the profile file must be a mapping (profile), found a list',
    });
  });

  it('reports YAML syntax errors alone, with a hint', () => {
    const found = problems('title: t\nmodel:\n\tkind: closed\n');
    expect(found[0]).toMatchObject({
      title: 'YAML syntax error',
      at: '3:1',
      hint: 'indent with spaces, not tabs',
    });
    expect(found.every((p) => p.title === 'YAML syntax error')).toBe(true);
    expect(problems(`${closed()}---\n${closed()}`)[0]?.hint).toBe(
      'a profile file holds one profile; remove the extra ---',
    );
  });

  it('reports missing title and model at the mapping', () => {
    expect(onlyProblem('seed: 1\n')).toMatchObject({
      title: 'missing key',
      at: '1:1',
      message: "this profile has no 'title', 'model'",
    });
  });

  it('reports every problem of a file at once, in file order', () => {
    const found = problems(
      withModel('kind: closed', 'sessions: 0') +
        'duration: 0\nmessage: { size: 1 kilo }\nconnection: { tls: { none: 10% } }\n',
    );
    expect(found.map((p) => [p.title, p.at])).toEqual([
      ['out of range', '4:13'],
      ['bad duration', '5:11'],
      ['bad size', '6:18'],
      ['weights not 100%', '7:20'],
    ]);
  });
});

describe('loadProfile: unknown keys', () => {
  it('suggests the closest key at every level', () => {
    const cases: [string, string, string][] = [
      [closed('seeed: 1'), "'seeed' is not a profile key", "did you mean 'seed'?"],
      [
        withModel('kind: closed', 'sesions: 1'),
        "'sesions' is not a closed model key",
        "did you mean 'sessions'?",
      ],
      [
        withModel('kind: open', 'rate: 1/s', 'max-session: 5'),
        "'max-session' is not an open model key",
        "did you mean 'max-sessions'?",
      ],
      [closed('message: { sizes: 1KB }'), "'sizes' is not a message key", "did you mean 'size'?"],
      [closed('connection: { tsl: none }'), "'tsl' is not a connection key", "did you mean 'tls'?"],
      [
        closed('connection: { tls: { nome: 100% } }'),
        "'nome' is not a TLS mix key",
        "did you mean 'none'?",
      ],
      [
        closed('envelope: { domian: a.test }'),
        "'domian' is not an envelope key",
        "did you mean 'domain'?",
      ],
      [
        closed('message: { size: { unifrom: [1KB, 2KB] } }'),
        "'unifrom' is not a size distribution key",
        "did you mean 'uniform'?",
      ],
      [closed('thresholds: [{ exp: x }]'), "'exp' is not a threshold key", "did you mean 'expr'?"],
    ];
    for (const [text, message, hint] of cases) {
      expect(onlyProblem(text), text).toMatchObject({ title: 'unknown key', message, hint });
    }
  });

  it('lists the known keys when nothing is close', () => {
    expect(onlyProblem(closed('zzzzzz: 1')).hint).toBe(
      'known keys: id, title, duration, warm-up, messages, seed, model, message, connection, envelope, thresholds',
    );
  });

  it('refuses a key of the other model kind', () => {
    const p = onlyProblem(withModel('kind: closed', 'sessions: 1', 'rate: 1/s'));
    expect(p).toMatchObject({
      title: 'unknown key',
      at: '5:3',
      message: "'rate' is not a closed model key",
    });
    expect(p.hint).toBe('known keys: kind, sessions, messages-per-session, think-time');
  });

  it('reports a stage key with a suggestion', () => {
    const p = onlyProblem(withModel('kind: open', 'stages: [{ duration: 1s, rat: 1/s }]'));
    expect(p).toMatchObject({ title: 'unknown key', hint: "did you mean 'rate'?" });
  });
});

describe('loadProfile: the model', () => {
  it('reports a missing kind, naming both kinds', () => {
    expect(onlyProblem(withModel('sessions: 4'))).toMatchObject({
      title: 'missing key',
      at: '3:3',
      message: "this model has no 'kind'",
      hint: 'add kind: closed (a fixed number of sessions) or kind: open (an arrival rate)',
    });
  });

  it('does not also report the kind missing when a misspelled key was taken for it', () => {
    expect(onlyProblem(withModel('knid: closed', 'sessions: 4'))).toMatchObject({
      title: 'unknown key',
      hint: "did you mean 'kind'?",
    });
  });

  it('reports a misspelled kind, and a model that is not a mapping', () => {
    expect(onlyProblem(withModel('kind: closd', 'sessions: 4'))).toMatchObject({
      title: 'invalid kind',
      hint: "did you mean 'closed'?",
    });
    expect(onlyProblem('title: t\nmodel: closed\n')).toMatchObject({
      title: 'wrong type',
      message: '\'model\' must be a mapping (model), found the string "closed"',
    });
  });

  it('requires sessions in a closed model, 1 to 100000', () => {
    expect(onlyProblem(withModel('kind: closed'))).toMatchObject({
      title: 'missing key',
      message: "this closed model has no 'sessions'",
    });
    expect(onlyProblem(withModel('kind: closed', 'sessions: 100001')).message).toBe(
      "'sessions' must be 1 to 100000, found 100001",
    );
    expect(onlyProblem(withModel('kind: closed', 'sessions: four')).title).toBe('wrong type');
  });

  it('refuses an open model with both rate and stages, at the later key', () => {
    const p = onlyProblem(
      withModel('kind: open', 'rate: 5/s', 'stages: [{ duration: 1s, rate: 1/s }]'),
    );
    expect(p).toMatchObject({
      title: 'conflicting keys',
      at: '5:3',
      message: "an open model has 'rate' (constant) or 'stages' (ramping), not both",
    });
  });

  it('refuses an open model with neither rate nor stages', () => {
    expect(onlyProblem(withModel('kind: open', 'unit: message'))).toMatchObject({
      title: 'missing key',
      at: '3:3',
      message: "this open model has neither 'rate' nor 'stages'",
    });
    // A misspelled `rate` is reported once, as the unknown key it is.
    expect(onlyProblem(withModel('kind: open', 'rte: 5/s')).title).toBe('unknown key');
  });

  it('refuses start-rate with a constant rate, and messages-per-session with unit: message', () => {
    expect(onlyProblem(withModel('kind: open', 'rate: 5/s', 'start-rate: 1/s'))).toMatchObject({
      title: 'misplaced key',
      at: '5:3',
    });
    expect(
      onlyProblem(withModel('kind: open', 'rate: 5/s', 'messages-per-session: 2')),
    ).toMatchObject({ title: 'misplaced key', at: '5:3' });
  });

  it('refuses pre-open with unit: session and without reuse, and above the limit', () => {
    expect(
      onlyProblem(withModel('kind: open', 'unit: session', 'rate: 5/s', 'pre-open: 2')),
    ).toMatchObject({ title: 'misplaced key', at: '6:3' });
    const noReuse =
      withModel('kind: open', 'rate: 5/s', 'pre-open: 2') + 'connection: { reuse: false }\n';
    expect(onlyProblem(noReuse)).toMatchObject({ title: 'conflicting keys', at: '5:3' });
    expect(onlyProblem(withModel('kind: open', 'rate: 5/s', 'pre-open: -1')).at).toBe('5:13');
  });

  it('refuses several messages per session without connection reuse', () => {
    const text =
      withModel('kind: open', 'unit: session', 'rate: 5/s', 'messages-per-session: 2') +
      'connection: { reuse: false }\n';
    expect(onlyProblem(text)).toMatchObject({ title: 'conflicting keys', at: '6:3' });
  });

  it('refuses a ramp that never starts anything', () => {
    const p = onlyProblem(withModel('kind: open', 'stages: [{ duration: 5s, rate: 0/s }]'));
    expect(p).toMatchObject({ title: 'idle ramp', at: '4:11' });
  });

  it('refuses stages longer than a run may last', () => {
    const p = onlyProblem(
      withModel(
        'kind: open',
        'stages: [{ duration: 30000m, rate: 1/s }, { duration: 10000m, rate: 1/s }]',
      ),
    );
    expect(p.title).toBe('run too long');
  });
});

describe('loadProfile: durations and bounds', () => {
  it('refuses duration 0 in every spelling, and a negative one', () => {
    for (const zero of ['0', '0s', '0ms', '"0"', '-1s']) {
      const p = onlyProblem(closed(`duration: ${zero}`));
      expect(p, zero).toMatchObject({ title: 'bad duration', at: '3:11' });
      expect(p.message).toContain('must be a duration longer than 0');
    }
  });

  it('refuses a warm-up that is not a duration or longer than 10 minutes, with its place', () => {
    expect(onlyProblem(closed('warm-up: soon'))).toMatchObject({
      title: 'bad duration',
      at: '3:10',
    });
    const long = onlyProblem(closed('warm-up: 11m'));
    expect(long).toMatchObject({ title: 'out of range', at: '3:10' });
    expect(long.message).toBe("'warm-up' must be at most 600s, found 660s");
  });

  it('allows a think-time of 0, and refuses a stage of 0', () => {
    expect(problems(withModel('kind: closed', 'sessions: 1', 'think-time: 0ms'))).toEqual([]);
    const p = onlyProblem(withModel('kind: open', 'stages: [{ duration: 0s, rate: 1/s }]'));
    expect(p.title).toBe('bad duration');
  });

  it('refuses a messages bound below 1 and a seed out of range', () => {
    expect(onlyProblem(closed('messages: 0')).message).toBe(
      "'messages' must be at least 1, found 0",
    );
    expect(onlyProblem(closed('seed: 4294967296')).title).toBe('out of range');
    expect(onlyProblem(closed('seed: 1.5')).title).toBe('wrong type');
  });
});

describe('loadProfile: sizes, rates and shares', () => {
  it('refuses sizes that do not parse, with the units in the hint', () => {
    for (const bad of ['1 kilo', '1GB', '1.5', '"1 KB extra"', 'true', '[1KB]']) {
      const p = onlyProblem(closed(`message: { size: ${bad} }`));
      expect(['bad size', 'wrong type'], bad).toContain(p.title);
      expect(p.at).toBe('3:18');
    }
    expect(onlyProblem(closed('message: { size: 1 kilo }')).hint).toBe(
      'write 4KB, 1.5MB or a number of octets (1 KB = 1024 octets)',
    );
  });

  it('refuses sizes below 512 B or above 100 MB', () => {
    expect(onlyProblem(closed('message: { size: 100 }'))).toMatchObject({
      title: 'size out of range',
      message: "'size' must be from 512 B to 100 MB, found 100 B",
    });
    expect(onlyProblem(closed('message: { size: 101MB }')).message).toContain('found 101 MB');
  });

  it('refuses rates without a unit or with an unknown one, and out of range', () => {
    expect(onlyProblem(withModel('kind: open', 'rate: 200'))).toMatchObject({
      title: 'bad rate',
      at: '4:9',
      hint: 'write 200/s or 200/m',
    });
    for (const bad of ['200/h', '200/sec', 'fast', '-5/s']) {
      expect(onlyProblem(withModel('kind: open', `rate: ${bad}`)).title, bad).toBe('bad rate');
    }
    expect(onlyProblem(withModel('kind: open', 'rate: 0/s')).title).toBe('rate out of range');
    expect(onlyProblem(withModel('kind: open', 'rate: 2000000/s')).message).toBe(
      "'rate' must be above 0/s and at most 1000000/s, found 2000000/s",
    );
  });

  it('refuses TLS weights that do not add up to 100%', () => {
    expect(onlyProblem(closed('connection: { tls: { none: 50%, starttls: 40% } }'))).toMatchObject({
      title: 'weights not 100%',
      at: '3:20',
      message: 'the TLS weights add up to 90% (50% + 40%), not 100%',
    });
    expect(onlyProblem(closed('connection: { tls: { none: 0.6, starttls: 0.6 } }')).message).toBe(
      'the TLS weights add up to 120% (60% + 60%), not 100%',
    );
  });

  it('refuses shares out of range or without a percent sign, and an empty mix', () => {
    expect(onlyProblem(closed('connection: { tls: { none: 100 } }'))).toMatchObject({
      title: 'share out of range',
      hint: 'a number is a fraction: write 100%',
    });
    expect(onlyProblem(closed('connection: { tls: { none: lots } }')).title).toBe('bad share');
    expect(onlyProblem(closed('connection: { tls: {} }')).title).toBe('empty TLS mix');
  });

  it('refuses implicit TLS mixed with other modes, and an unknown mode', () => {
    expect(onlyProblem(closed('connection: { tls: { none: 50%, implicit: 50% } }'))).toMatchObject({
      title: 'mixed implicit TLS',
      at: '3:33',
    });
    expect(onlyProblem(closed('connection: { tls: startls }'))).toMatchObject({
      title: 'invalid tls',
      hint: "did you mean 'starttls'?",
    });
  });
});

describe('loadProfile: distributions', () => {
  const sizes = (form: string) => closed(`message: { size: ${form} }`);

  it('refuses an empirical table whose sizes do not rise', () => {
    expect(onlyProblem(sizes('{ empirical: [[4KB, 0.5], [4KB, 1]] }'))).toMatchObject({
      title: 'empirical table not rising',
      at: '3:44',
      message: "row 2's size 4 KB is not above row 1's 4 KB",
    });
  });

  it('refuses an empirical table whose shares do not rise', () => {
    expect(onlyProblem(sizes('{ empirical: [[1KB, 60%], [4KB, 40%], [8KB, 1]] }'))).toMatchObject({
      title: 'empirical table not rising',
      message: "row 2's share 40% is not above row 1's 60%",
    });
  });

  it('refuses an empirical table that does not rise to 100%', () => {
    expect(onlyProblem(sizes('{ empirical: [[1KB, 0.5], [4KB, 0.9]] }'))).toMatchObject({
      title: 'empirical table incomplete',
      message: "the last row's share must be 100%, found 90%",
    });
  });

  it('refuses a row that is not [SIZE, SHARE]', () => {
    expect(onlyProblem(sizes('{ empirical: [[1KB], [4KB, 1]] }')).message).toBe(
      "'empirical' row 1 must be [SIZE, SHARE]",
    );
    expect(onlyProblem(sizes('{ empirical: [4KB] }')).title).toBe('wrong type');
  });

  it('refuses uniform ranges the wrong way round or of the wrong length', () => {
    expect(onlyProblem(sizes('{ uniform: [8KB, 1KB] }')).message).toBe(
      "'uniform' minimum is above its maximum",
    );
    expect(onlyProblem(closed('message: { recipients: { uniform: [1] } }')).message).toBe(
      "'uniform' must be [MIN, MAX], found 1 value",
    );
  });

  it('refuses two forms at once, and a form counts do not have', () => {
    expect(onlyProblem(sizes('{ uniform: [1KB, 2KB], empirical: [[1KB, 1]] }'))).toMatchObject({
      title: 'bad distribution',
      message:
        "a size distribution has exactly one of uniform, empirical, found 'uniform' and 'empirical'",
    });
    expect(onlyProblem(closed('message: { recipients: { empirical: [] } }')).title).toBe(
      'unknown key',
    );
  });

  it('refuses counts out of range', () => {
    expect(onlyProblem(closed('message: { recipients: 0 }')).message).toBe(
      "'recipients' must be 1 to 1000, found 0",
    );
    expect(onlyProblem(closed('message: { attachments: 101 }')).title).toBe('out of range');
    expect(onlyProblem(closed('message: { shapes: 0 }')).title).toBe('out of range');
  });
});

describe('loadProfile: connection, envelope, thresholds', () => {
  it('reports wrong types of flags and strings', () => {
    expect(onlyProblem(closed('connection: { auth: yes }')).message).toBe(
      '\'auth\' must be true or false, found the string "yes"',
    );
    expect(onlyProblem(closed('message: { 8bit: 1 }')).title).toBe('wrong type');
    expect(onlyProblem(closed('envelope: { domain: 42 }')).title).toBe('wrong type');
  });

  it('refuses a helo, sender, prefix or domain that cannot be sent', () => {
    expect(onlyProblem(closed('connection: { helo: "a b" }')).title).toBe('bad helo');
    expect(onlyProblem(closed('envelope: { sender: "<a@b.test>" }')).title).toBe('bad sender');
    expect(onlyProblem(closed('envelope: { sender: nobody }')).title).toBe('bad sender');
    expect(onlyProblem(closed('envelope: { recipient-prefix: "a b" }')).title).toBe(
      'bad recipient-prefix',
    );
    expect(onlyProblem(closed('envelope: { domain: "-x.test" }')).title).toBe('bad domain');
  });

  it('refuses thresholds that are not expressions', () => {
    expect(onlyProblem(closed('thresholds: p99(eod) < 1s')).title).toBe('wrong type');
    expect(onlyProblem(closed('thresholds: [""]')).title).toBe('empty threshold');
    expect(onlyProblem(closed('thresholds: [5]')).title).toBe('wrong type');
    expect(onlyProblem(closed('thresholds: [{ abort: true }]')).message).toBe(
      "this threshold has no 'expr'",
    );
    expect(onlyProblem(closed('thresholds: [{ expr: x, abort: 1 }]')).title).toBe('wrong type');
  });

  it('refuses a bad id, and keeps one from the file name', () => {
    expect(onlyProblem(closed('id: My_Profile'))).toMatchObject({ title: 'bad id', at: '3:5' });
  });
});
