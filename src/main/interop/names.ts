/** Schedule names as imports and exports use them: compared without case or outer spaces. */
export const nameKey = (name: string) => name.trim().toLowerCase();

/** A name not yet in `taken` (which it joins): "Backup", then "Backup (2)" … */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(nameKey(candidate)); n++) candidate = `${name} (${n})`;
  taken.add(nameKey(candidate));
  return candidate;
}
