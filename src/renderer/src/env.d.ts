import type { AlmanacApi } from '../../shared/api';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode, where the HTTP client stands in. */
    almanac?: AlmanacApi;
  }
}

export {};
