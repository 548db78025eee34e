import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Places load lazily (their own chunks): the first visit to one in a file takes a moment on a busy machine.
configure({ asyncUtilTimeout: 8_000 });

afterEach(() => {
  cleanup();
  // The app keeps its place in the URL hash; start every test on the default place.
  window.history.replaceState(null, '', '/');
});

// jsdom has no CSS.escape, which react-aria-components' popovers call; Chromium has it. A minimal
// stand-in (identifier escaping per CSSOM, enough for the ids the widgets build).
const css = (globalThis as { CSS?: { escape?: (value: string) => string } }).CSS;
if (!css?.escape) {
  const escape = (value: string): string =>
    value.replace(/^-?\d|[^\w-]/g, (char) =>
      /\d/.test(char) ? `\\${char.charCodeAt(0).toString(16)} ` : `\\${char}`,
    );
  Object.assign(globalThis, { CSS: { ...css, escape } });
}
