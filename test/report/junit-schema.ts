import { readFileSync } from 'node:fs';
import { memoryPages, validateXML } from 'xmllint-wasm';

/** The Jenkins xunit-plugin JUnit schema, vendored with its source and licence. */
const JUNIT_XSD = readFileSync(new URL('../fixtures/junit/junit-10.xsd', import.meta.url), 'utf8');

/**
 * libxml2's own verdict (xmllint, as WebAssembly) on a JUnit file: parser errors for a file that
 * is not well-formed XML, schema errors for one junit-10.xsd does not allow. Empty: valid.
 */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [JUNIT_XSD],
    maxMemoryPages: 256 * memoryPages.MiB,
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

export type XmlAttributes = Record<string, string>;

/**
 * The attributes of every `<tag …>` start tag, unescaped. Enough for renderJunit's output, which
 * escapes every `>` and `"` inside attribute values.
 */
export function startTags(xml: string, tag: string): XmlAttributes[] {
  return [...xml.matchAll(new RegExp(`<${tag}((?:\\s+[\\w-]+="[^"]*")*)\\s*/?>`, 'g'))].map((m) =>
    Object.fromEntries(
      [...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, unescapeXml(a[2]!)]),
    ),
  );
}

/** Character references and the five predefined entities, back to text. */
export function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
