import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  // The app keeps its place in the URL hash; start every test on the default place.
  window.history.replaceState(null, '', '/');
});

// jsdom has no CSS.escape; react-aria's overlays call it (looking for a CSP nonce meta tag).
const css = ((globalThis as { CSS?: { escape?: (value: string) => string } }).CSS ??= {});
css.escape ??= (value: string) => value.replace(/[^\w-]/g, (char) => `\\${char}`);
