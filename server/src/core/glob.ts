/**
 * Glob patterns for choosing transcripts: `*` (within a folder), `**` (any folders), `?`, `{a,b}` and
 * `[abc]`. Paths are relative to the project folder, with `/` between folders. Both sides are NFC
 * normalised, so a decomposed å in a macOS file name matches a typed one.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braceDepth = 0;
  const pattern = glob.normalize('NFC').replace(/^\.\//, '');
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        source += slashAfter ? '(?:[^/]*/)*' : '.*';
        i += slashAfter ? 2 : 1;
      } else source += '[^/]*';
    } else if (char === '?') source += '[^/]';
    else if (char === '{') {
      braceDepth++;
      source += '(?:';
    } else if (char === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (char === ',' && braceDepth > 0) source += '|';
    else if (char === '[') {
      const close = pattern.indexOf(']', i + 1);
      const set = close === -1 ? undefined : characterSet(pattern.slice(i + 1, close));
      if (set === undefined) source += '\\[';
      else {
        source += set;
        i = close;
      }
    } else source += char.replace(/[.+^$()|\\\]}]/g, '\\$&');
  }
  source += ')'.repeat(braceDepth);
  return new RegExp(`^${source}$`, 'u');
}

/** `[abc]` as a regular expression, or undefined when it is not a valid set (`[z-a]`): then `[` is literal. */
function characterSet(content: string): string | undefined {
  const set = `[${content.replace(/\\/g, '\\\\')}]`;
  try {
    new RegExp(set, 'u');
    return set;
  } catch {
    return undefined;
  }
}

export function matchesAny(path: string, patterns: readonly RegExp[]): boolean {
  const normalized = path.normalize('NFC');
  return patterns.some((pattern) => pattern.test(normalized));
}
