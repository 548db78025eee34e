/** A section that opens and closes ("More"): a real button with aria-expanded (react-aria Disclosure). */
import type { ReactNode } from 'react';
import { Button, Disclosure as AriaDisclosure, DisclosurePanel, Heading } from 'react-aria-components';
import './ui.css';

export interface DisclosureProps {
  title: ReactNode;
  children: ReactNode;
  isExpanded: boolean;
  onExpandedChange(expanded: boolean): void;
}

export function Disclosure({ title, children, isExpanded, onExpandedChange }: DisclosureProps) {
  return (
    <AriaDisclosure isExpanded={isExpanded} onExpandedChange={onExpandedChange} className="ui-disclosure">
      <Heading className="ui-disclosure-heading">
        <Button slot="trigger" className="ui-disclosure-trigger">
          <span aria-hidden="true" className="ui-disclosure-chevron">
            ▸
          </span>
          {title}
        </Button>
      </Heading>
      <DisclosurePanel className="ui-disclosure-panel">{children}</DisclosurePanel>
    </AriaDisclosure>
  );
}
