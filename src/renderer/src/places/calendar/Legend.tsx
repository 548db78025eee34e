/** What the grid's colours mean. */
export function Legend() {
  const items: [string, string][] = [
    ['planned', 'planned'],
    ['ok', 'succeeded'],
    ['failed', 'failed'],
    ['other', 'other'],
    ['busy', 'busy (your calendars)'],
    ['working', 'working hours'],
    ['heat', 'busier'],
    ['now', 'now'],
  ];
  return (
    <ul className="cal-legend" aria-label="Legend">
      {items.map(([tone, text]) => (
        <li key={tone}>
          <span className={`cal-swatch cal-swatch-${tone}`} aria-hidden="true" /> {text}
        </li>
      ))}
    </ul>
  );
}
