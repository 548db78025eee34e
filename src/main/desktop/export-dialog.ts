/**
 * `runs.export` in the desktop app: Electron's save dialog, attached to the window, suggesting a
 * name in the person's Downloads folder. Cancelling writes nothing.
 */
import type { BrowserWindow, Dialog } from 'electron';
import path from 'node:path';
import type { ExportFilePort } from '../api/export-runs';

export function exportDialog(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  window: () => BrowserWindow | null,
  downloads: () => string,
): ExportFilePort {
  return {
    async chooseFile(suggestedName, format) {
      const options = {
        title: 'Export runs',
        defaultPath: path.join(downloads(), suggestedName),
        filters:
          format === 'csv'
            ? [{ name: 'CSV', extensions: ['csv'] }]
            : [{ name: 'JSON', extensions: ['json'] }],
      };
      const parent = window();
      const answer = parent
        ? await dialog.showSaveDialog(parent, options)
        : await dialog.showSaveDialog(options);
      return answer.canceled || !answer.filePath ? null : answer.filePath;
    },
  };
}
