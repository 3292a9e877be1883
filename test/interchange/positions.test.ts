import { describe, expect, it } from 'vitest';
import { exportProject } from '../../server/src/core/interchange';
import { codePoints, exportedText, offsetOfCodePoint } from '../../server/src/core/interchange/exportText';
import { readXml } from '../../server/src/core/interchange/xmlReader';
import { parseTranscript } from '../../server/src/core/transcript';
import { indexFiles } from '../helpers/project';
import { unzipText } from './helpers';

const codebook = '---\ntitle: Positioner\n---\n\n# 1 Tema\n\n- #a\n- #b\n';

/** The selections of a one-transcript project, as [start, end, name]. */
function selections(transcript: string): { text: string; selections: [number, number, string][] } {
  const index = indexFiles({ 'codebook.md': codebook, 'r1.md': transcript });
  const entries = unzipText(exportProject(index, 'qdpx').bytes);
  const source = Object.entries(entries).find(([path]) => path.startsWith('sources/'))?.[1] ?? '';
  const project = readXml(entries['project.qde'] ?? '', 'project.qde');
  const found: [number, number, string][] = [];
  const stack = [project];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    if (node.name === 'PlainTextSelection') {
      found.push([
        Number(node.attributes.startPosition),
        Number(node.attributes.endPosition),
        node.attributes.name ?? '',
      ]);
    }
    stack.push(...node.children);
  }
  return { text: source, selections: found.sort((x, y) => x[0] - y[0] || y[1] - x[1]) };
}

describe('positions in Unicode code points over the exported text', () => {
  it('does not shift a span after an emoji or another astral character', () => {
    const { text, selections: found } = selections(
      '---\nparticipant: R1\n---\n\nJag 😀 sa 𝔸 att [det här]{#a} höll.\n',
    );
    expect(text).toBe('Jag 😀 sa 𝔸 att det här höll.\n');
    // "Jag 😀 sa 𝔸 att " is 15 code points but 17 UTF-16 units.
    expect(text.indexOf('det här')).toBe(17);
    expect(found).toEqual([[15, 22, 'det här']]);
    expect([...text].slice(15, 22).join('')).toBe('det här');
  });

  it('counts the end exclusively and nested and overlapping passages over the same text', () => {
    const { text, selections: found } = selections('[ett [två]{#b} tre, {#a>}fyra]{#a} fem{<#a} sex\n');
    expect(text).toBe('ett två tre, fyra fem sex\n');
    expect(found).toEqual([
      [0, 17, 'ett två tre, fyra'],
      [4, 7, 'två'],
      [13, 21, 'fyra fem'],
    ]);
  });

  it('counts a CRLF file as its LF text, and drops a BOM', () => {
    const lf = '---\nparticipant: R1\n---\n\nRad ett.\n[Rad två 😀]{#a}\nRad tre.\n';
    const crlf = `\ufeff${lf.replace(/\n/g, '\r\n')}`;
    const a = selections(lf);
    const b = selections(crlf);
    expect(b.text).toBe('Rad ett.\nRad två 😀\nRad tre.\n');
    expect(b).toEqual(a);
    expect(a.selections).toEqual([[9, 18, 'Rad två 😀']]);
  });

  it('maps every offset of a transcript to the code points kept before it', () => {
    const source = 'Ä😀[b]{#x "n"}c{#y>}d\r\ne{<#y}f';
    const transcript = parseTranscript('file:///p/t.md', source);
    const exported = exportedText(transcript);
    expect(exported.text).toBe('Ä😀bcd\nef');
    expect(exported.position(0)).toBe(0);
    expect(exported.position(1)).toBe(1);
    expect(exported.position(3)).toBe(2); // before "[": after Ä and 😀
    expect(exported.position(4)).toBe(2); // "b" inside the brackets
    expect(exported.position(source.indexOf('c'))).toBe(3);
    expect(exported.position(source.indexOf('d'))).toBe(4);
    expect(exported.position(source.indexOf('e'))).toBe(6);
    expect(exported.position(source.length)).toBe(codePoints(exported.text));
  });

  it('converts between code points and UTF-16 offsets', () => {
    const text = 'a😀b𝔸c';
    expect(codePoints(text)).toBe(5);
    expect(offsetOfCodePoint(text, 2)).toBe(3);
    expect(offsetOfCodePoint(text, 4)).toBe(6);
    expect(offsetOfCodePoint(text, 99)).toBe(text.length);
  });
});
