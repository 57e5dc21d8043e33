/**
 * The EHLO keywords the load engine acts on (RFC 5321 §4.1.1.1): the first reply line is the
 * server's greeting, each further line `keyword *(SP param)`. Keywords are case-insensitive;
 * `AUTH=PLAIN LOGIN` (the pre-standard form some servers still send) counts as AUTH.
 *
 *   PIPELINING (RFC 2920)   CHUNKING (RFC 3030)   STARTTLS (RFC 3207)
 *   8BITMIME (RFC 6152)     SIZE [limit] (RFC 1870)   AUTH mechanisms (RFC 4954)
 */
export interface EhloCapabilities {
  pipelining: boolean;
  chunking: boolean;
  starttls: boolean;
  eightBitMime: boolean;
  /** The SIZE limit in octets; 0 = offered without a limit; undefined = not offered. */
  size: number | undefined;
  /** SASL mechanisms, upper-case. */
  auth: string[];
}

export function parseEhloLines(lines: readonly string[]): EhloCapabilities {
  const caps: EhloCapabilities = {
    pipelining: false,
    chunking: false,
    starttls: false,
    eightBitMime: false,
    size: undefined,
    auth: [],
  };
  for (const text of lines.slice(1)) {
    const [word = '', ...params] = text.trim().split(/\s+/);
    const keyword = word.toUpperCase();
    if (keyword === 'PIPELINING') caps.pipelining = true;
    else if (keyword === 'CHUNKING') caps.chunking = true;
    else if (keyword === 'STARTTLS') caps.starttls = true;
    else if (keyword === '8BITMIME') caps.eightBitMime = true;
    else if (keyword === 'SIZE') caps.size = Number.parseInt(params[0] ?? '0', 10) || 0;
    else if (keyword === 'AUTH' || keyword.startsWith('AUTH=')) {
      const first = keyword.startsWith('AUTH=') ? [keyword.slice(5)] : [];
      for (const mech of [...first, ...params.map((p) => p.toUpperCase())]) {
        if (mech !== '' && !caps.auth.includes(mech)) caps.auth.push(mech);
      }
    }
  }
  return caps;
}
