/** The first Tab stop: "Skip to content" moves focus past the sidebar to the place's main area. */
import './SkipLink.css';

export function SkipLink({ target }: { target: string }) {
  return (
    <a
      className="skip-link"
      href={`#${target}`}
      onClick={(event) => {
        // the hash holds the route (#/schedules): move focus without touching it
        event.preventDefault();
        const main = document.getElementById(target);
        const heading = main?.querySelector<HTMLElement>('h1');
        const where = heading ?? main;
        if (!where) return;
        if (!where.hasAttribute('tabindex')) where.setAttribute('tabindex', '-1');
        where.focus();
      }}
    >
      Skip to content
    </a>
  );
}
