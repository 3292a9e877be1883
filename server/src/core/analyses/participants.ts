const collator = new Intl.Collator('sv', { numeric: true, sensitivity: 'base' });

/** Natural order of participant ids: R2 before R10, and "R2" before "r2" (never a tie). */
export function compareParticipants(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
