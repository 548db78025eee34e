/** How `{result}` is cut down for a message: the tail, trimmed, at most this many characters. */
export const RESULT_CAP = 1000;

/** The end of an output is where programs put their verdict, so `{result}` keeps the tail. */
export function resultExcerpt(output: string, cap = RESULT_CAP): string {
  const text = output.trim();
  return text.length <= cap ? text : `…${text.slice(-(cap - 1))}`;
}
