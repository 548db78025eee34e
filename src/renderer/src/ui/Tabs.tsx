/** Tabs (react-aria): arrow keys move between tabs, Tab moves into the panel. */
import type { Key, ReactNode } from 'react';
import { Tab, TabList, TabPanel, Tabs as AriaTabs } from 'react-aria-components';
import './ui.css';

export interface TabItem<K extends string> {
  id: K;
  label: string;
  content: ReactNode;
}

export interface TabsProps<K extends string> {
  label: string;
  selected: K;
  onChange(id: K): void;
  items: readonly TabItem<K>[];
  className?: string;
}

export function Tabs<K extends string>({ label, selected, onChange, items, className }: TabsProps<K>) {
  return (
    <AriaTabs
      selectedKey={selected}
      onSelectionChange={(key: Key) => onChange(String(key) as K)}
      className={`ui-tabs${className ? ` ${className}` : ''}`}
    >
      <TabList aria-label={label} className="ui-tablist">
        {items.map((item) => (
          <Tab key={item.id} id={item.id} className="ui-tab">
            {item.label}
          </Tab>
        ))}
      </TabList>
      {items.map((item) => (
        <TabPanel key={item.id} id={item.id} className="ui-tabpanel">
          {item.content}
        </TabPanel>
      ))}
    </AriaTabs>
  );
}
