/** The schedule editor, above any place, whenever the app store says it is open (`openEditor`). */
import { ScheduleEditor, title } from '../places/editor/ScheduleEditor';
import { useApp, useSchedules } from '../stores';
import { Sheet } from '../ui/Sheet';

export function EditorHost() {
  const target = useApp((state) => state.editor);
  const closeEditor = useApp((state) => state.closeEditor);
  const name = useSchedules((state) =>
    target && target.mode !== 'create' ? state.items.find((s) => s.id === target.id)?.name : undefined,
  );
  if (!target) return null;
  // A new target is a new form: nothing typed for one schedule leaks into another.
  const key = target.mode === 'create' ? 'create' : `${target.mode}:${target.id}`;
  return (
    <Sheet title={title(target, name)} onClose={closeEditor} className="editor-sheet">
      <ScheduleEditor key={key} target={target} onClose={closeEditor} />
    </Sheet>
  );
}
