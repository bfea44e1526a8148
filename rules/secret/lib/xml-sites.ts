import type { LineAssignment } from './lines';

/**
 * Values an XML configuration file names (Maven `settings.xml`, `NuGet.Config`, .NET `app.config` / `web.config`,
 * Spring bean files), read from the text as `KEY=value` lines are: one element or attribute at a time, each
 * expression with a fixed start and a bounded body that cannot hold its own delimiter, so the scan is linear.
 * - an element holding text, `<password>...</password>` (a Maven server,
 *   https://maven.apache.org/settings.html#servers);
 * - a named value, `<add key="ClearTextPassword" value="..." />` (NuGet's `packageSourceCredentials`,
 *   https://learn.microsoft.com/nuget/reference/nuget-config-file#packagesourcecredentials; .NET `appSettings`) and
 *   `<property name="password" value="..." />` (a Spring bean);
 * - an attribute, `<server password="..." />`.
 */
const ELEMENT = /<([A-Za-z_][\w.-]{0,127})>([^<>\r\n]{1,256})<\/\1>/g;
const NAMED_VALUE = /\s(?:key|name)="([A-Za-z_][\w.:-]{0,127})"\s+value="([^"\r\n]{1,256})"/g;
const ATTRIBUTE = /\s([A-Za-z_][\w.-]{0,127})="([^"\r\n]{1,256})"/g;

/** Where the text's `<!-- ... -->` comments are (an unclosed one runs to the end), in order. */
function commentRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (let at = text.indexOf('<!--'); at >= 0; at = text.indexOf('<!--', at)) {
    const close = text.indexOf('-->', at + 4);
    const end = close < 0 ? text.length : close + 3;
    ranges.push([at, end]);
    at = end;
  }
  return ranges;
}

/** Each value once, outside comments (the commented-out samples of a stock `settings.xml`). */
export function* xmlValues(text: string): Generator<LineAssignment> {
  const comments = commentRanges(text);
  for (const re of [ELEMENT, NAMED_VALUE, ATTRIBUTE]) {
    re.lastIndex = 0;
    let c = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      while (c < comments.length && comments[c][1] <= m.index) c++;
      if (c < comments.length && comments[c][0] <= m.index) continue;
      const end = re === ELEMENT ? m.index + m[0].length - m[1].length - 3 : m.index + m[0].length - 1;
      const keyStart = m.index + m[0].indexOf(m[1]);
      yield { key: m[1], value: m[2], start: end - m[2].length, end, keyStart, quoted: true };
    }
  }
}
