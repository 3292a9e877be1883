import { describe, expect, it } from 'vitest';
import { compareCoders } from '../../server/src/core/agreement';
import { indexFiles } from '../helpers/project';

/** Agreement is only computed when the coders' copies have the same text once tags are removed. */

const frontMatter = '---\nparticipant: K1\n---\n\n';

function compare(a: Record<string, string>, b: Record<string, string>) {
  return compareCoders([
    { name: 'coder-a', index: indexFiles(a, 'file:///a') },
    { name: 'coder-b', index: indexFiles(b, 'file:///b') },
  ]);
}

describe('the same-text check', () => {
  it('accepts copies that differ only in their tags', () => {
    const result = compare(
      { 's1.md': `${frontMatter}**K:** [Ett [två]{#b}]{#a} tre\n\n**T:** Fyra {#c>}fem{<#c}\n` },
      { 's1.md': `${frontMatter}**K:** Ett två [tre]{#a "not"}\n\n**T:** Fyra fem\n` },
    );
    expect(result.status).toBe('ok');
  });

  it('reports the file and the first line where the texts differ, instead of figures', () => {
    const result = compare(
      {
        's1.md': `${frontMatter}**K:** Samma.\n\n**T:** [Och här]{#a} skiljer det sig.\n\n**K:** Också här.\n`,
        's2.md': `${frontMatter}**K:** Lika.\n`,
      },
      {
        's1.md': `${frontMatter}**K:** Samma.\n\n**T:** Och här skiljer [det]{#a} sig åt.\n\n**K:** Också här, fast annorlunda.\n`,
        's2.md': `${frontMatter}**K:** Lika.\n`,
      },
    );
    expect(result).toEqual({
      status: 'text-differs',
      coders: [
        { name: 'coder-a', root: 'file:///a' },
        { name: 'coder-b', root: 'file:///b' },
      ],
      mismatches: [
        {
          path: 's1.md',
          coders: ['coder-a', 'coder-b'],
          uris: ['file:///a/s1.md', 'file:///b/s1.md'],
          lines: [7, 7],
          texts: ['**T:** Och här skiljer det sig.', '**T:** Och här skiljer det sig åt.'],
        },
      ],
    });
  });

  it('gives each copy its own line when their front matter differs in length', () => {
    const result = compare(
      { 's1.md': `---\nparticipant: K1\ncoder: A\nnote: ja\n---\n\n**K:** Ett.\n\n**K:** Två.\n` },
      { 's1.md': `${frontMatter}**K:** Ett.\n\n**K:** Tre.\n` },
    );
    expect(result.status === 'text-differs' && result.mismatches[0]?.lines).toEqual([9, 7]);
  });

  it('ignores the front matter, CRLF line ends and white space at the end of the file', () => {
    const result = compare(
      { 's1.md': `---\nparticipant: K1\ncoder: A\n---\n\n**K:** [Ett]{#a}.\n\n**T:** Två.\n` },
      { 's1.md': `---\r\nparticipant: K1\r\n---\r\n\r\n**K:** Ett.\r\n\r\n**T:** [Två]{#b}.\r\n\r\n\r\n` },
    );
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.disagreements.map((d) => [d.line, d.coders.map((c) => c.range?.start.line)])).toEqual([
      [6, [5, 4]],
      [8, [7, 6]],
    ]);
  });

  it('points at a tag that cannot be read, which stays in the text', () => {
    const result = compare(
      { 's1.md': `${frontMatter}**K:** [Ett]{#a} två\n` },
      { 's1.md': `${frontMatter}**K:** [Ett]{a} två\n` },
    );
    expect(result.status).toBe('text-differs');
    if (result.status !== 'text-differs') return;
    expect(result.mismatches[0]).toMatchObject({
      lines: [5, 5],
      texts: ['**K:** Ett två', '**K:** [Ett]{a} två'],
    });
    expect(result.mismatches[0]?.hint).toMatch(
      /^coder-b has a tag that cannot be read on line 5 .*kodkarta check$/,
    );
  });

  it('reports a copy that ends early at the line where it ends', () => {
    const result = compare(
      { 's1.md': `${frontMatter}**K:** Ett.\n\n**K:** Två.\n` },
      { 's1.md': `${frontMatter}**K:** Ett.\n` },
    );
    expect(result.status === 'text-differs' && result.mismatches[0]).toMatchObject({
      lines: [7, 6],
      texts: ['**K:** Två.', ''],
      hint: "coder-b's copy ends after line 5",
    });
  });
});
