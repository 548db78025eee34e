/** Opening the editor in the whole app (fake backend) and reading its fields as a person would. */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect } from 'vitest';
import type { Schedule } from '../../../src/shared/domain';
import { FakeApi, makeSchedule } from '../fakeApi';
import { renderApp } from '../render';

export type User = ReturnType<typeof userEvent.setup>;

export async function openNew(api = new FakeApi()) {
  const user = userEvent.setup({ delay: null });
  const rendered = await renderApp(api);
  await user.click(screen.getByRole('button', { name: 'New schedule' }));
  const dialog = await screen.findByRole('dialog', { name: 'New schedule' });
  return { ...rendered, user, dialog };
}

export async function openEdit(schedule: Schedule, mode: 'Edit' | 'Duplicate' = 'Edit', api = new FakeApi()) {
  api.schedules.push(schedule);
  const user = userEvent.setup({ delay: null });
  const rendered = await renderApp(api);
  await user.click(await screen.findByRole('button', { name: `${mode} ${schedule.name}` }));
  const dialog = await screen.findByRole('dialog');
  await waitFor(() => expect(within(dialog).queryByText('Loading…')).toBeNull());
  return { ...rendered, user, dialog };
}

/** Picks `option` in the react-aria Select labelled `label`. */
export async function choose(user: User, dialog: HTMLElement, label: string, option: string) {
  const trigger = within(dialog)
    .getAllByRole('button')
    .find((button) =>
      button
        .getAttribute('aria-labelledby')
        ?.split(' ')
        .some((id) => document.getElementById(id)?.textContent === label),
    );
  if (!trigger) throw new Error(`No select labelled ${label}`);
  await user.click(trigger);
  const listbox = await screen.findByRole('listbox');
  await user.click(within(listbox).getByRole('option', { name: new RegExp(`^${escape(option)}`) }));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text a field shows in its Select button. */
export function selectValue(dialog: HTMLElement, label: string): string {
  const trigger = within(dialog)
    .getAllByRole('button')
    .find((button) =>
      button
        .getAttribute('aria-labelledby')
        ?.split(' ')
        .some((id) => document.getElementById(id)?.textContent === label),
    );
  // The list's second line (a description) is hidden in the button, as it is on screen.
  const value = trigger?.querySelector('.ui-select-value')?.cloneNode(true) as HTMLElement | undefined;
  value?.querySelectorAll('[slot="description"]').forEach((node) => node.remove());
  return value?.textContent?.trim() ?? '';
}

/** The error message a field's input points at (aria-describedby), or null. */
export function errorOf(field: HTMLElement): string | null {
  const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  for (const id of ids) {
    const node = document.getElementById(id);
    if (node?.classList.contains('ui-error')) return node.textContent;
  }
  return null;
}

/** The element for a contract path (data-path), and its error text. */
export function fieldAt(dialog: HTMLElement, path: string): HTMLElement {
  const node = dialog.querySelector(`[data-path="${path}"]`);
  if (!node) throw new Error(`No field for ${path}`);
  return node as HTMLElement;
}

export function errorAt(dialog: HTMLElement, path: string): string | null {
  return fieldAt(dialog, path).querySelector('.ui-error')?.textContent ?? null;
}

export async function save(user: User, dialog: HTMLElement) {
  await user.click(within(dialog).getByRole('button', { name: /Create schedule|Save changes/ }));
}

export { makeSchedule };

/** Puts `text` in a text input at once (one change, as a paste): typing key by key is slow in jsdom. */
export function fill(input: HTMLElement, text: string) {
  act(() => {
    fireEvent.change(input, { target: { value: text } });
  });
}

/** A react-aria NumberField commits what was typed when it loses the focus. */
export function fillNumber(input: HTMLElement, text: string) {
  act(() => {
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: text } });
    fireEvent.blur(input);
  });
}
