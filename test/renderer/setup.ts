import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// jsdom has no CSS.escape, which react-aria's pickers use to find their items.
const css = ((globalThis as { CSS?: Partial<typeof CSS> }).CSS ??= {});
css.escape ??= (value: string) => value.replace(/[^\w-]/g, (char) => `\\${char}`);

// Places load lazily (their own chunks): the first visit to one in a file takes a moment on a busy machine.
configure({ asyncUtilTimeout: 8_000 });

afterEach(() => {
  cleanup();
  // The app keeps its place in the URL hash; start every test on the default place.
  window.history.replaceState(null, '', '/');
});
