/** "New schedule" in a place's header: opens the editor on an empty schedule. */
import { useApp } from '../../stores';
import { Button } from '../../ui/Button';

export function NewScheduleButton() {
  const openEditor = useApp((state) => state.openEditor);
  return (
    <Button variant="primary" onPress={() => openEditor({ mode: 'create' })}>
      New schedule
    </Button>
  );
}
