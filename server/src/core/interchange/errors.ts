/** An import or export that cannot go ahead, with a message for the user; nothing has been written. */
export class InterchangeError extends Error {
  override name = 'InterchangeError';
}
