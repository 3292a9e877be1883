import { describe, expect, it } from 'vitest';
import { planImport } from '../../server/src/core/interchange';
import { readZip } from '../../server/src/core/interchange/zip';
import { rawZip, utf8 } from './helpers';

const qde = (sources = '') =>
  utf8(
    `<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="P"><Sources>${sources}</Sources></Project>`,
  );
const limits = { maxEntries: 5, maxEntryBytes: 1000, maxTotalBytes: 2500 };

describe('hostile archives are refused with a clear error', () => {
  it('refuses entries with ../ and absolute paths', () => {
    for (const name of [
      '../evil.txt',
      'sources/../../evil.txt',
      '/etc/passwd',
      'C:\\Windows\\evil.txt',
      '..\\evil.txt',
    ]) {
      const zip = rawZip([
        { name: 'project.qde', data: qde() },
        { name, data: utf8('x') },
      ]);
      expect(() => planImport(zip, 'evil.qdpx'), name).toThrow(/refused/);
    }
  });

  it('refuses an entry larger than the limit, going by its header', () => {
    const zip = rawZip([{ name: 'project.qde', data: new Uint8Array(1001) }]);
    expect(() => planImport(zip, 'big.qdpx', { zipLimits: limits })).toThrow(
      /unpacks to 1001 bytes; at most 1000/,
    );
  });

  it('refuses a zip bomb whose header lies about its size, after inflating no more than it claimed', () => {
    const zip = rawZip([{ name: 'project.qde', data: new Uint8Array(50 * 1024 * 1024), declaredSize: 900 }]);
    expect(zip.length).toBeLessThan(100_000);
    const started = Date.now();
    expect(() => planImport(zip, 'bomb.qdpx', { zipLimits: limits })).toThrow(
      /unpacks to more than the 900 bytes its header says/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an entry of 200 MB under the default limits before inflating anything', () => {
    const zip = rawZip([
      { name: 'project.qde', data: new Uint8Array(1000), declaredSize: 200 * 1024 * 1024 },
    ]);
    expect(() => planImport(zip, 'bomb.qdpx')).toThrow(/at most 104857600 are read per entry/);
  });

  it('refuses archives that unpack to more than the total limit, and too many entries', () => {
    const three = [1, 2, 3].map((n) => ({ name: `sources/${n}.txt`, data: new Uint8Array(900) }));
    expect(() => planImport(rawZip(three), 'many.qdpx', { zipLimits: limits })).toThrow(
      /more than 2500 bytes/,
    );
    const six = [1, 2, 3, 4, 5, 6].map((n) => ({ name: `sources/${n}.txt`, data: utf8('x') }));
    expect(() => planImport(rawZip(six), 'many.qdpx', { zipLimits: limits })).toThrow(/6 entries; at most 5/);
  });

  it('refuses encrypted entries, unknown compression, damaged data and duplicate names', () => {
    const one = (entry: Partial<Parameters<typeof rawZip>[0][number]>) =>
      rawZip([{ name: 'project.qde', data: qde(), ...entry }]);
    expect(() => planImport(one({ flags: 1 }), 'a.qdpx')).toThrow(/encrypted/);
    expect(() => planImport(one({ method: 12 }), 'a.qdpx')).toThrow(/compression method 12/);
    expect(() => planImport(one({ crc: 1234 }), 'a.qdpx')).toThrow(/checksum/);
    const twice = rawZip([
      { name: 'project.qde', data: qde() },
      { name: 'Project.qde', data: qde() },
    ]);
    expect(() => planImport(twice, 'a.qdpx')).toThrow(/twice/);
    const whole = one({});
    expect(() => planImport(whole.subarray(0, whole.length - 30), 'cut.qdpx')).toThrow(
      /not a usable zip archive/,
    );
  });

  it('refuses an archive without project.qde, or with a source file missing', () => {
    expect(() => planImport(rawZip([{ name: 'readme.txt', data: utf8('hej') }]), 'x.qdpx')).toThrow(
      /holds no project.qde/,
    );
    const missing = rawZip([
      {
        name: 'project.qde',
        data: qde(
          '<TextSource guid="00000000-0000-4000-8000-000000000001" name="R1" plainTextPath="internal://00000000-0000-4000-8000-000000000001.txt"/>',
        ),
      },
    ]);
    expect(() => planImport(missing, 'x.qdpx')).toThrow(
      /source "R1": its text file sources\/00000000-0000-4000-8000-000000000001.txt is missing/,
    );
  });

  it('reads well-behaved archives within the limits', () => {
    const entries = readZip(
      rawZip([
        { name: 'a/b.txt', data: utf8('hej') },
        { name: 'a/', data: new Uint8Array() },
      ]),
      limits,
    );
    expect(entries.map((e) => [e.path, new TextDecoder().decode(e.bytes)])).toEqual([['a/b.txt', 'hej']]);
  });
});

describe('hostile and broken XML is refused with a clear error', () => {
  it('refuses a DOCTYPE: entity expansion (billion laughs)', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Project name="&lol2;"/>`;
    expect(() => planImport(utf8(laughs), 'laughs.qde')).toThrow(
      /laughs.qde:2: DOCTYPE declarations are refused/,
    );
  });

  it('refuses a DOCTYPE: external entities that would read a file', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project name="&x;"/>`;
    expect(() => planImport(utf8(xxe), 'xxe.qde')).toThrow(/DOCTYPE declarations are refused/);
    const inZip = rawZip([{ name: 'project.qde', data: utf8(xxe) }]);
    expect(() => planImport(inZip, 'xxe.qdpx')).toThrow(/project.qde:1: DOCTYPE declarations are refused/);
  });

  it('refuses undefined entities and malformed XML, naming the place', () => {
    expect(() => planImport(utf8('<Project name="&x;"/>'), 'p.qde')).toThrow(
      /p.qde is not well-formed XML: .*undefined entity/i,
    );
    expect(() => planImport(utf8('<Project name="P"><Sources></Project>'), 'p.qde')).toThrow(
      /p.qde is not well-formed XML: .*1:/,
    );
    expect(() => planImport(utf8(''), 'p.qde')).toThrow(/p.qde/);
    expect(() => planImport(utf8('<Other/>'), 'p.qde')).toThrow(/neither a REFI-QDA project nor a codebook/);
  });

  it('refuses elements nested absurdly deep', () => {
    const deep = `<Project name="P">${'<a>'.repeat(500)}${'</a>'.repeat(500)}</Project>`;
    expect(() => planImport(utf8(deep), 'deep.qde')).toThrow(/nested more than 200 deep/);
  });

  it('refuses binary files that are not archives', () => {
    expect(() => planImport(new Uint8Array([0, 1, 2, 3, 0, 0]), 'x.qdpx')).toThrow(/binary file/);
  });
});
