import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  // The app keeps its place in the URL hash; start every test on the default place.
  window.history.replaceState(null, '', '/');
});
