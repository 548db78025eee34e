import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layers of DESIGN.md §2 are enforced by lint', () => {
  it.each([
    'src/main/engine/x.ts',
    'src/main/store/x.ts',
    'src/main/api/x.ts',
    'src/main/interop/x.ts',
    'src/shared/x.ts',
  ])('%s may not import electron', async (file) => {
    expect(await restricted(file, "import { app } from 'electron';\nexport const a = app;\n")).not.toEqual(
      [],
    );
  });

  it('desktop/ may import electron', async () => {
    expect(
      await restricted('src/main/desktop/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toEqual([]);
  });

  it('the IPC transport may speak Electron’s types, never load Electron itself', async () => {
    const file = 'src/main/transports/electron-ipc.ts';
    expect(
      await restricted(file, "import type { IpcMain } from 'electron';\nexport type I = IpcMain;\n"),
    ).toEqual([]);
    expect(
      await restricted(file, "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n"),
    ).not.toEqual([]);
    expect(
      await restricted(
        file,
        "import { isOwnPage } from '../desktop/security';\nexport const o = isOwnPage;\n",
      ),
    ).not.toEqual([]);
  });

  it('the desktop rules speak Electron’s types only and never reach the adapters or the core’s way up', async () => {
    const file = 'src/main/desktop-rules/x.ts';
    expect(
      await restricted(file, "import type { Session } from 'electron';\nexport type S = Session;\n"),
    ).toEqual([]);
    expect(await restricted(file, "import { app } from 'electron';\nexport const a = app;\n")).not.toEqual(
      [],
    );
    expect(
      await restricted(
        file,
        "import { MainWindow } from '../desktop/window';\nexport const w = MainWindow;\n",
      ),
    ).not.toEqual([]);
    expect(
      await restricted(
        'src/main/transports/x.ts',
        "import { isOwnPage } from '../desktop-rules/security';\nexport const o = isOwnPage;\n",
      ),
    ).not.toEqual([]);
  });

  it('the renderer may not import src/main or Node built-ins', async () => {
    expect(
      await restricted(
        'src/renderer/src/x.ts',
        "import { Engine } from '../../main/engine/engine';\nexport const e = Engine;\n",
      ),
    ).not.toEqual([]);
    expect(
      await restricted('src/renderer/src/x.ts', "import fs from 'node:fs';\nexport const f = fs;\n"),
    ).not.toEqual([]);
    expect(
      await restricted('src/renderer/src/x.ts', "import path from 'path';\nexport const p = path;\n"),
    ).not.toEqual([]);
  });

  it('src/shared imports nothing project-internal outside itself', async () => {
    expect(
      await restricted(
        'src/shared/x.ts',
        "import { Store } from '../main/store';\nexport const s = Store;\n",
      ),
    ).not.toEqual([]);
    expect(
      await restricted('src/shared/x.ts', "import { methods } from './api';\nexport const m = methods;\n"),
    ).toEqual([]);
  });

  it('engine and store do not reach up into the API or transports', async () => {
    expect(
      await restricted(
        'src/main/engine/x.ts',
        "import { createDispatch } from '../api/dispatch';\nexport const d = createDispatch;\n",
      ),
    ).not.toEqual([]);
  });
});
