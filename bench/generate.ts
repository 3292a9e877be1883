/**
 * Synthetic Kodkarta projects for the benchmarks, deterministic from a seed: Swedish interview
 * transcripts with front matter, speaker turns, coded passages (several codes, notes, nesting, an
 * occasional overlap marker), transcription conventions, a few inductive and misspelt codes, and a
 * codebook of numbered themes (four levels at team scale) with definitions and aliases.
 *
 * Pure: it returns the files as text; `bench/run.ts` writes them to a temporary folder.
 */

export type ScaleName = 'thesis' | 'study' | 'team';

export interface Scale {
  name: ScaleName;
  interviews: number;
  /** Mean size of one interview in bytes (UTF-8); each varies by ±30 %. */
  meanBytes: number;
  /** Coded segments per KB of transcript. */
  segmentsPerKb: number;
  codes: number;
  /** Children per theme at each level: [main themes, subthemes per main theme, ...]. */
  themeShape: number[];
  /** Interviews per folder below `intervjuer/` (0: all in one folder). */
  perFolder: number;
}

export const scales: Record<ScaleName, Scale> = {
  thesis: {
    name: 'thesis',
    interviews: 7,
    meanBytes: 72_000,
    segmentsPerKb: 2.0,
    codes: 80,
    themeShape: [4, 3, 2],
    perFolder: 0,
  },
  study: {
    name: 'study',
    interviews: 200,
    meanBytes: 70_000,
    segmentsPerKb: 2.5,
    codes: 300,
    themeShape: [6, 4, 3],
    perFolder: 50,
  },
  team: {
    name: 'team',
    interviews: 2000,
    meanBytes: 50_000,
    segmentsPerKb: 2.5,
    codes: 500,
    themeShape: [6, 4, 3, 2],
    perFolder: 250,
  },
};

export interface GeneratedProject {
  /** Relative path to text, the codebook first. */
  files: Map<string, string>;
  codes: string[];
  /** Inductive (unlisted) codes the transcripts use. */
  inductive: string[];
  participants: number;
}

/** A small, fast, seedable generator (sfc32), so that the same seed gives the same project anywhere. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string | number) {
    let h = 1779033703 ^ String(seed).length;
    for (const char of String(seed)) {
      h = Math.imul(h ^ char.charCodeAt(0), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507);
      h = Math.imul(h ^ (h >>> 13), 3266489909);
      h ^= h >>> 16;
      return h >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.float();
  }

  /** Uniform in [0, 1). */
  float(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

// --- Swedish word banks -------------------------------------------------------------------------

const openers = [
  'Alltså',
  'Ja',
  'Jo',
  'Nej',
  'Ehm',
  'Men',
  'Och sen',
  'Liksom',
  'Så att',
  'Jag menar',
  'Det är ju så att',
  'Ärligt talat',
  'Om jag ska vara ärlig',
  'Hm',
  'Fast',
  'Ja, alltså',
  'Nä, men',
  'Och då',
];

const subjects = [
  'jag',
  'vi',
  'man',
  'hon',
  'han',
  'patienten',
  'handledaren',
  'gruppen',
  'chefen',
  'kollegorna',
  'föräldrarna',
  'eleverna',
  'personalen',
  'min närmaste chef',
  'de äldre kollegorna',
  'ledningen',
  'arbetslaget',
  'de nyanställda',
  'brukarna',
  'skyddsombudet',
];

const verbs = [
  'tycker att',
  'känner att',
  'märker att',
  'brukar säga att',
  'har lärt mig att',
  'upplever att',
  'försöker visa att',
  'vet inte riktigt om',
  'tror nog att',
  'har märkt att',
  'säger ofta att',
  'förstår nu att',
  'undrar ibland om',
  'glömmer lätt att',
];

const clauses = [
  'det är svårt att hinna med allt',
  'ramen håller oss på plats',
  'förtroendet byggs upp långsamt',
  'det blir för mycket ibland',
  'man får ta ansvar för sina beslut',
  'vi pratar för lite om det som är svårt',
  'ledningen inte förstår vårt arbete',
  'det är tryggt att säga vad man tycker',
  'jag blir trött av alla möten',
  'man växer med uppgiften',
  'det finns en tystnadskultur här',
  'vi hjälps åt när det är kris',
  'schemat är alldeles för tajt',
  'det är roligt när eleverna förstår',
  'jag har funderat på att sluta',
  'lönen spelar mindre roll än man tror',
  'jag känner mig sedd av mina kollegor',
  'det är svårt att sätta gränser',
  'dokumentationen tar över allt annat',
  'ingen frågar hur vi mår',
  'man lär sig mest av misstagen',
  'det är där det händer något',
  'vi har olika syn på vad uppdraget är',
  'förändringarna kom uppifrån utan förankring',
  'jag bär med mig jobbet hem på kvällarna',
  'det behövs mer tid för reflektion',
  'samarbetet fungerar bättre nu än för ett år sedan',
  'man blir lätt ensam med sina frågor',
  'jag är stolt över det vi åstadkommit',
  'det är först efteråt som man förstår',
  'vi skrattar mycket tillsammans, det hjälper',
  'ansvaret känns tungt ibland',
  'det är svårt att säga nej',
  'man måste välja vad som är viktigast',
  'jag saknar återkoppling från ledningen',
  'rutinerna ger en viss trygghet',
  'det är mycket som är osagt',
  'vi har blivit bättre på att lyssna',
  'allt ska mätas och följas upp',
  'jag har fått ta över mer och mer',
  'det var en vändpunkt för mig',
  'man känner sig otillräcklig',
  'det finns en stolthet i yrket',
  'vi får för lite stöd när det blir svårt',
  'jag vågar inte alltid säga emot',
  'mötena blir ofta för långa',
  'det är svårt att få till en bra balans',
  'vi har en öppen stämning i gruppen',
  'ingen vet riktigt vem som bestämmer',
  'förväntningarna är orimliga',
];

const endings = ['.', '.', '.', '.', '…', ', liksom.', ', tror jag.', ', eller hur man ska säga.', '. Ja.'];

const conventions = [
  '[paus]',
  '[skratt]',
  '/…/',
  '(ohörbart)',
  '[suck]',
  '[lång paus]',
  '/---/',
  '[skrattar]',
  '[ohörbart 00:12:31]',
];

const questions = [
  'Kan du berätta mer om det?',
  'Hur menar du då?',
  'Vad hände sen?',
  'Hur påverkar det ditt arbete?',
  'Kan du ge ett exempel?',
  'Hur känns det i dag?',
  'Vad tänker du om framtiden?',
  'Hur ser en vanlig arbetsdag ut för dig?',
  'Vad betyder det för dig?',
  'Hur pratar ni om det i arbetslaget?',
  'När märkte du det första gången?',
  'Vad skulle behöva förändras?',
  'Hur gör du när det blir så?',
  'Vem vänder du dig till då?',
  'Du sa "tystnadskultur", vad menar du med det?',
];

const themeWords = [
  'Arbetsbelastning',
  'Ledarskap',
  'Kollegialt stöd',
  'Professionell identitet',
  'Organisation och styrning',
  'Relationer',
  'Förändring',
  'Trygghet',
  'Gränser',
  'Kompetens',
  'Ansvar',
  'Tid',
  'Erkännande',
  'Lärande',
  'Mening',
  'Makt',
  'Samverkan',
  'Återhämtning',
  'Känslor i arbetet',
  'Villkor',
  'Dokumentation',
  'Yrkesstolthet',
  'Tystnad',
  'Gemenskap',
];

const themeQualifiers = [
  'i vardagen',
  'över tid',
  'i mötet med brukarna',
  'i arbetslaget',
  'som resurs',
  'som hinder',
  'i förändring',
  'och dess gränser',
  'under press',
  'i ledningens ögon',
  'enligt de nyanställda',
  'i det tysta',
];

const stems = [
  'förtroende',
  'ramar',
  'kontrakt',
  'stress',
  'tidsbrist',
  'ansvar',
  'gränssättning',
  'stöd',
  'tystnad',
  'skam',
  'stolthet',
  'lön',
  'schema',
  'möten',
  'dokumentation',
  'ledning',
  'kollegor',
  'elever',
  'föräldrar',
  'utveckling',
  'lärande',
  'trötthet',
  'glädje',
  'mening',
  'osäkerhet',
  'kontroll',
  'autonomi',
  'erkännande',
  'konflikt',
  'samarbete',
  'närhet',
  'distans',
  'överblick',
  'reflektion',
  'lek',
  'makt',
  'rättvisa',
  'oro',
  'hopp',
  'förändring',
  'tradition',
  'kompetens',
  'mentorskap',
  'introduktion',
  'sjukskrivning',
  'återhämtning',
  'balans',
  'familj',
  'fritid',
  'identitet',
  'ensamhet',
  'gemenskap',
  'humor',
  'frustration',
  'motstånd',
  'engagemang',
  'förväntningar',
  'krav',
  'resurser',
  'hållande',
];

const modifiers = [
  'inre',
  'yttre',
  'tidig',
  'sen',
  'positiv',
  'negativ',
  'chef',
  'kollega',
  'egen',
  'brist',
  'överskott',
  'hantering',
  'vardag',
  'kris',
  'förändrad',
];

const professions = ['lärare', 'sjuksköterska', 'socionom', 'psykolog', 'undersköterska', 'förskollärare'];
const regions = ['Skåne', 'Västra Götaland', 'Stockholm', 'Norrbotten', 'Jämtland', 'Östergötland'];

const definitions = [
  'Uttalade överenskommelser om tid, plats och uppdrag',
  'Hur respondenten beskriver att något håller eller skyddar relationen',
  'Beskrivningar av känslor som väcks i arbetet',
  'Tillfällen då respondenten tar ställning eller säger ifrån',
  'Hur ansvar fördelas, tas eller undviks',
  'Erfarenheter som respondenten återkommer till flera gånger',
  'Det som beskrivs som en förutsättning för att arbetet ska fungera',
  'Hinder som respondenten möter och hur de hanteras',
];

// --- Codebook -----------------------------------------------------------------------------------

interface ThemeSpec {
  number: string;
  name: string;
  depth: number;
  codes: string[];
}

function codeNames(random: Random, count: number): string[] {
  const names: string[] = [...stems];
  const combos: string[] = [];
  for (const stem of stems) for (const modifier of modifiers) combos.push(`${stem}-${modifier}`);
  random.shuffle(combos);
  names.push(...combos);
  const chosen = names.slice(0, count);
  // A few code paths, as teams that keep code families in the name write them.
  for (let i = 7; i < chosen.length; i += 41) chosen[i] = `${random.pick(stems)}/${chosen[i]}`;
  return [...new Set(chosen)];
}

function themeSpecs(random: Random, scale: Scale, codes: string[]): ThemeSpec[] {
  const themes: ThemeSpec[] = [];
  const usedNames = new Set<string>();
  let nameCounter = 0;
  const themeName = (depth: number): string => {
    for (;;) {
      const base = random.pick(themeWords);
      const name =
        depth === 0
          ? base
          : `${base} ${random.pick(themeQualifiers)}${nameCounter++ % 3 === 0 ? ` (${random.pick(stems)})` : ''}`;
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  };
  const build = (prefix: string, depth: number) => {
    const count = scale.themeShape[depth] ?? 0;
    for (let i = 1; i <= count; i++) {
      const number = prefix ? `${prefix}.${i}` : String(i);
      themes.push({ number, name: themeName(depth), depth, codes: [] });
      build(number, depth + 1);
    }
  };
  build('', 0);
  const leaves = themes.filter((t) => t.depth === scale.themeShape.length - 1);
  const inner = themes.filter((t) => t.depth > 0 && t.depth < scale.themeShape.length - 1);
  // Most codes sit under the deepest themes; some under subthemes, as real codebooks grow.
  codes.forEach((code, i) => {
    const target =
      i % 7 === 6 && inner.length > 0 ? random.pick(inner) : (leaves[i % leaves.length] as ThemeSpec);
    target.codes.push(code);
  });
  return themes;
}

function codebookText(
  random: Random,
  scale: Scale,
  themes: ThemeSpec[],
  aliases: Map<string, string[]>,
): string {
  const lines = [
    '---',
    `title: Syntetisk studie (${scale.name})`,
    'min_participants: 2',
    'transcripts: intervjuer/**/*.md',
    '---',
    '',
  ];
  for (const theme of themes) {
    lines.push(`${'#'.repeat(theme.depth + 1)} ${theme.number} ${theme.name}`, '');
    lines.push(
      `Vad som hör till temat "${theme.name.toLocaleLowerCase('sv')}": ${random.pick(clauses)}, och hur det ${random.pick(verbs)} ${random.pick(clauses)}.`,
      '',
    );
    if (theme.codes.length > 0) {
      for (const code of theme.codes) {
        const alias = aliases.get(code);
        lines.push(`- #${code}: ${random.pick(definitions)}.${alias ? ` Aliases: ${alias.join(', ')}` : ''}`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}

// --- Transcripts --------------------------------------------------------------------------------

/** Picks codes with a Zipf-like skew: a few codes are used very often, many rarely, some never. */
class CodePicker {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly random: Random,
    private readonly codes: string[],
  ) {
    let sum = 0;
    for (let rank = 1; rank <= codes.length; rank++) {
      sum += 1 / rank ** 0.9;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  pick(): string {
    const x = this.random.float() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.cumulative[mid] ?? 0) < x) low = mid + 1;
      else high = mid;
    }
    return this.codes[low] as string;
  }
}

interface TranscriptOptions {
  participant: string;
  number: number;
  bytes: number;
  segmentsPerKb: number;
  /** Other speakers (a focus group); the interviewer is `I`, or `M` as moderator. */
  group?: string[];
}

function sentence(random: Random): string {
  const parts: string[] = [];
  if (random.chance(0.45)) parts.push(`${random.pick(openers)},`);
  parts.push(random.pick(subjects), random.pick(verbs), random.pick(clauses));
  let text = parts.join(' ') + random.pick(endings);
  text = text.charAt(0).toLocaleUpperCase('sv') + text.slice(1);
  if (random.chance(0.12)) text += ` ${random.pick(conventions)}`;
  return text;
}

class TranscriptWriter {
  private readonly random: Random;
  private readonly picker: CodePicker;
  private misspelt: string[];

  constructor(
    random: Random,
    picker: CodePicker,
    private readonly aliases: Map<string, string[]>,
    private readonly inductive: string[],
    codes: string[],
  ) {
    this.random = random;
    this.picker = picker;
    this.misspelt = codes.slice(0, 12).map((code) => (code.length > 6 ? code.slice(0, -1) : `${code}t`));
  }

  private code(): string {
    const r = this.random.float();
    if (r < 0.004) return this.random.pick(this.inductive);
    if (r < 0.005) return this.random.pick(this.misspelt);
    const code = this.picker.pick();
    const alias = this.aliases.get(code);
    if (alias && this.random.chance(0.1)) return this.random.pick(alias);
    return code;
  }

  private tag(): string {
    const codes = [this.code()];
    if (this.random.chance(0.15)) codes.push(this.code());
    const note = this.random.chance(0.05) ? ` "${this.random.pick(clauses)}"` : '';
    return `{${[...new Set(codes)].map((c) => `#${c}`).join(' ')}${note}}`;
  }

  /** One respondent answer: sentences, some of them coded, a few passages nested or overlapping. */
  private answer(sentences: number, density: number): string {
    const out: string[] = [];
    let i = 0;
    while (i < sentences) {
      // `density` is the chance that a sentence starts a coded passage of one to three sentences.
      if (this.random.chance(density)) {
        const length = Math.min(sentences - i, this.random.int(1, 3));
        const inner = Array.from({ length }, () => sentence(this.random));
        if (length >= 2 && this.random.chance(0.25)) {
          // A narrower code on one sentence inside a broader passage.
          const k = this.random.int(0, length - 1);
          inner[k] = `[${inner[k]}]${this.tag()}`;
        }
        if (this.random.chance(0.015) && length >= 2) {
          // An overlapping coding, as an import from another tool writes it.
          const code = this.code();
          out.push(`{#${code}>}${inner.join(' ')}`);
          out.push(`${sentence(this.random)}{<#${code}}`);
        } else {
          out.push(`[${inner.join(' ')}]${this.tag()}`);
        }
        i += length;
      } else {
        out.push(sentence(this.random));
        i++;
      }
    }
    return out.join(' ');
  }

  write(options: TranscriptOptions): string {
    const { participant, number, group } = options;
    const random = this.random;
    const speakers = group ?? [participant];
    const interviewer = group ? 'M' : 'I';
    const head = [
      '---',
      `participant: ${participant}`,
      `label: ${group ? `Fokusgrupp ${number}` : `Respondent ${number}`}`,
      'attributes:',
      `  yrke: ${random.pick(professions)}`,
      `  kön: ${random.pick(['kvinna', 'man', 'annat'])}`,
      `  yrkesår: ${random.int(1, 40)}`,
      `  region: ${random.pick(regions)}`,
      'speakers:',
      `  ${interviewer}: ${group ? 'Moderator' : 'Intervjuare'}`,
      ...speakers.map((s) => `  ${s}: ${s.startsWith('R') ? `Respondent ${s.slice(1)}` : s}`),
      '---',
      '',
      `# ${group ? 'Fokusgrupp' : 'Intervju'} ${number}`,
      '',
    ].join('\n');
    // Sentences average ~95 bytes and a passage ~2 sentences: this density gives segmentsPerKb.
    const density = Math.min(0.95, (options.segmentsPerKb * 95) / 1000 / 1.08);
    const parts = [head];
    let bytes = byteLength(head);
    let section = 1;
    while (bytes < options.bytes) {
      if (random.chance(0.04)) {
        const heading = `\n## Del ${++section}\n`;
        parts.push(heading);
        bytes += byteLength(heading);
      }
      const question = `\n**${interviewer}:** ${random.pick(questions)}${random.chance(0.2) ? ` ${sentence(random)}` : ''}\n`;
      const speaker = random.pick(speakers);
      const label = random.chance(0.03) && !group ? `${speaker}:` : `**${speaker}:**`;
      const reply = `\n${label} ${this.answer(random.int(2, 12), density)}\n`;
      parts.push(question, reply);
      bytes += byteLength(question) + byteLength(reply);
    }
    return parts.join('');
  }
}

function byteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) bytes += c > 0x7ff ? 2 : 1;
  }
  return bytes;
}

function memoText(random: Random, codes: string[], n: number): string {
  const lines = [`# Memo ${n}`, ''];
  for (let i = 0; i < 12; i++) {
    lines.push(`${sentence(random)} Jämför #${random.pick(codes)} och #${random.pick(codes)}.`, '');
  }
  return lines.join('\n');
}

/** A whole project at one scale. */
export function generateProject(scaleName: ScaleName, seed = 'kodkarta'): GeneratedProject {
  const scale = scales[scaleName];
  const random = new Random(`${seed}:${scaleName}`);
  const codes = codeNames(random, scale.codes);
  const themes = themeSpecs(random, scale, codes);
  const aliases = new Map<string, string[]>();
  codes.forEach((code, i) => {
    if (i % 19 === 3 && !code.includes('/')) aliases.set(code, [`${code}-alias`]);
  });
  const files = new Map<string, string>();
  files.set('codebook.md', codebookText(random, scale, themes, aliases));
  const inductive = Array.from({ length: 8 }, (_, i) => `induktiv-${random.pick(stems)}-${i + 1}`);
  // Usage follows a shuffled order of the codebook, so that popular codes sit under every theme.
  const picker = new CodePicker(random, random.shuffle([...codes]));
  const writer = new TranscriptWriter(random, picker, aliases, inductive, codes);
  const width = String(scale.interviews).length;
  for (let n = 1; n <= scale.interviews; n++) {
    const folder = scale.perFolder > 0 ? `omgång-${Math.ceil(n / scale.perFolder)}/` : '';
    const bytes = Math.round(scale.meanBytes * (0.7 + 0.6 * random.float()));
    const text = writer.write({ participant: `R${n}`, number: n, bytes, segmentsPerKb: scale.segmentsPerKb });
    files.set(`intervjuer/${folder}respondent-${String(n).padStart(width, '0')}.md`, text);
  }
  for (let n = 1; n <= Math.min(5, Math.ceil(scale.interviews / 100)); n++) {
    files.set(`memos/memo-${n}.md`, memoText(random, codes, n));
  }
  return { files, codes, inductive, participants: scale.interviews };
}

/** A long transcript (a focus group over several days), about `bytes` in UTF-8, for keystroke benchmarks. */
export function generateLongTranscript(scaleName: ScaleName, bytes = 1_000_000, seed = 'kodkarta'): string {
  const scale = scales[scaleName];
  // The project's own codes: the same generator state that `generateProject` starts from.
  const codes = codeNames(new Random(`${seed}:${scaleName}`), scale.codes);
  const random = new Random(`${seed}:${scaleName}:long`);
  const picker = new CodePicker(random, random.shuffle([...codes]));
  const writer = new TranscriptWriter(random, picker, new Map(), ['induktiv-fokus-1'], codes);
  return writer.write({
    participant: 'FG1',
    number: 1,
    bytes,
    segmentsPerKb: scale.segmentsPerKb,
    group: ['R9001', 'R9002', 'R9003', 'R9004', 'R9005', 'R9006'],
  });
}
