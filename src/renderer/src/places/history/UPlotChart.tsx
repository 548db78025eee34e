/**
 * A uPlot chart that follows its box's width and the OS's light or dark scheme. uPlot is loaded on
 * first use (it is only needed where charts are), and never where the page cannot draw (no canvas).
 */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

/** The page's colour for a CSS variable of styles.css (so charts follow light and dark). */
export function cssColor(name: string, fallback: string): string {
  if (typeof getComputedStyle !== 'function') return fallback;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

const canDraw = () =>
  typeof window !== 'undefined' &&
  typeof window.matchMedia === 'function' &&
  typeof ResizeObserver === 'function' &&
  !/jsdom/i.test(navigator.userAgent);

export interface UPlotChartProps {
  /** Built when drawn, so colours are read for the current scheme. */
  options: (UPlot: typeof uPlot) => ChartOptions;
  data: uPlot.AlignedData;
  height: number;
  label: string;
  testId?: string;
}

export function UPlotChart({ options, data, height, label, testId }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element || !canDraw()) return;
    let plot: uPlot | null = null;
    let stopped = false;
    let observer: ResizeObserver | null = null;
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const draw = (UPlot: typeof uPlot) => {
      plot?.destroy();
      const width = Math.max(200, Math.floor(element.clientWidth));
      plot = new UPlot({ ...options(UPlot), width, height }, data, element);
    };
    void import('uplot').then(({ default: UPlot }) => {
      if (stopped) return;
      draw(UPlot);
      observer = new ResizeObserver(() => {
        const width = Math.max(200, Math.floor(element.clientWidth));
        if (plot && Math.abs(plot.width - width) > 1) plot.setSize({ width, height });
      });
      observer.observe(element);
      scheme.addEventListener('change', onScheme);
      function onScheme() {
        if (!stopped) draw(UPlot);
      }
      cleanup = () => scheme.removeEventListener('change', onScheme);
    });
    let cleanup = () => {};
    return () => {
      stopped = true;
      cleanup();
      observer?.disconnect();
      plot?.destroy();
    };
  }, [data, height, options]);

  return (
    <div
      ref={box}
      className="chart"
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ minHeight: height }}
    />
  );
}
