/**
 * Pick a file, or drop one here (react-aria-components' FileTrigger and DropZone): the file's text
 * is handed on, or a sentence saying why it was refused (too large, unreadable).
 */
import { useState } from 'react';
import { Button, DropZone, FileTrigger, Text, type DropItem } from 'react-aria-components';
import './FileDrop.css';

interface FileDropProps {
  label: string;
  /** e.g. ['.json', 'application/json'] */
  accept?: string[];
  maxBytes: number;
  onText(text: string, name: string): void;
  onRefused(message: string): void;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** Reads `file` as text, refusing it first when it is larger than `maxBytes` (never read whole). */
export async function readLimited(
  file: File,
  maxBytes: number,
): Promise<{ text: string } | { refused: string }> {
  if (file.size > maxBytes) {
    return { refused: `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.` };
  }
  // FileReader rather than file.text(): the same in every browser and in Electron's renderer.
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ text: String(reader.result ?? '') });
    reader.onerror = () =>
      resolve({ refused: `${file.name} could not be read: ${reader.error?.message ?? 'unknown error'}` });
    reader.readAsText(file);
  });
}

export function FileDrop({ label, accept, maxBytes, onText, onRefused }: FileDropProps) {
  const [name, setName] = useState<string | null>(null);
  const take = async (file: File | null | undefined) => {
    if (!file) return;
    const read = await readLimited(file, maxBytes);
    if ('refused' in read) {
      setName(null);
      onRefused(read.refused);
      return;
    }
    setName(file.name);
    onText(read.text, file.name);
  };
  return (
    <DropZone
      className="ui-filedrop"
      aria-label={label}
      onDrop={(event) => {
        const item = event.items.find((entry: DropItem) => entry.kind === 'file');
        if (item && item.kind === 'file') void item.getFile().then(take);
      }}
    >
      <FileTrigger acceptedFileTypes={accept} onSelect={(files) => void take(files?.[0])}>
        <Button className="button small">{label}</Button>
      </FileTrigger>
      <Text slot="label" className="muted small">
        {name ? `Read ${name}` : `or drop a file here (up to ${formatBytes(maxBytes)})`}
      </Text>
    </DropZone>
  );
}
