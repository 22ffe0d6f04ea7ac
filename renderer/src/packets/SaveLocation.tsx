import { useEffect, useId, useRef, useState } from 'react';
import type { PacketFormat } from '../../../shared/contract';
import { PACKET_EXTENSIONS } from '../../../shared/files';
import { todayIso } from '../appointments/format';
import { canChooseSaveLocation, chooseSaveLocation } from '../api/files';
import { ActionButton } from '../ui/ActionButton';
import { suggestedPacketName, type ChosenDestination } from './draft';

interface Props {
  format: PacketFormat;
  /** null: the app's exports folder. */
  destination: ChosenDestination | null;
  onDestination(destination: ChosenDestination | null): void;
  /** The place the person had chosen before changing the format (so it was cleared), until they choose again. */
  cleared: ChosenDestination | null;
  onClearedSeen(): void;
}

/** The default place, in words (the core's exports folder: ~/Documents/Second Opinion unless set otherwise). */
export const EXPORTS_FOLDER_WORDS = 'In the app’s Exports folder: the “Second Opinion” folder in your Documents, under a new name. Nothing there is ever overwritten.';

/** "/media/ada/USB STICK/Packet.zip" → folder "/media/ada/USB STICK", name "Packet.zip" (either kind of slash). */
export function splitChosenPath(chosen: string): { folder: string; name: string } {
  const at = Math.max(chosen.lastIndexOf('/'), chosen.lastIndexOf('\\'));
  if (at < 0) return { folder: '', name: chosen };
  // Keep the root's own slash ("/", "C:\").
  const folder = chosen.slice(0, at) === '' || /^[A-Za-z]:$/.test(chosen.slice(0, at)) ? chosen.slice(0, at + 1) : chosen.slice(0, at);
  return { folder, name: chosen.slice(at + 1) };
}

/** The chosen place in words: what will be made, with which name, in which folder. */
export function ChosenPlaceWords({ destination }: { destination: ChosenDestination }) {
  const { folder, name } = splitChosenPath(destination.path);
  return (
    <>
      In the place you chose: a new {destination.format === 'folder' ? 'folder' : 'file'} named “{name}”
      {folder ? (
        <>
          {' '}
          in the folder <span className="path">{folder}</span>
        </>
      ) : null}
      .
    </>
  );
}

/**
 * "Where to save it", in the format step: the app's exports folder unless the person chooses a place with the
 * system's Save dialog (window.files.chooseSaveLocation). A chosen place fits one format only (its name ends in
 * .zip, .iso or nothing), so the format step clears it when the format changes and this says so.
 */
export function SaveLocation({ format, destination, onDestination, cleared, onClearedSeen }: Props) {
  const labelId = useId();
  const [choosing, setChoosing] = useState(false);
  const actions = useRef<HTMLDivElement>(null);
  const focusChoose = useRef(false);
  const canChoose = canChooseSaveLocation();

  // "Use the Exports folder instead" goes away once pressed: focus moves to "Choose a place…" in its stead.
  useEffect(() => {
    if (destination || !focusChoose.current) return;
    focusChoose.current = false;
    actions.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [destination]);

  const choose = async () => {
    if (choosing) return;
    setChoosing(true);
    try {
      const chosen = await chooseSaveLocation({ suggestedName: suggestedPacketName(todayIso()), format });
      // Cancelled: whatever was chosen before stays.
      if (chosen) {
        onClearedSeen();
        onDestination({ path: chosen, format });
      }
    } finally {
      setChoosing(false);
    }
  };

  const useExports = () => {
    focusChoose.current = true;
    onClearedSeen();
    onDestination(null);
  };

  return (
    <div className="field packets-choice" role="group" aria-labelledby={labelId} data-testid="save-location">
      <span className="field-label" id={labelId}>
        Where to save it
      </span>
      {canChoose ? (
        <p className="hint">
          You can also save it straight onto a USB stick or into another folder. The app never writes over anything: it
          always makes a new {format === 'folder' ? 'folder' : 'file'}.
        </p>
      ) : null}
      <p role="status" data-testid="save-location-place">
        {destination ? <ChosenPlaceWords destination={destination} /> : EXPORTS_FOLDER_WORDS}
      </p>
      {cleared && !destination ? (
        <p className="status" role="status" data-testid="save-location-cleared">
          You changed how the packet is saved, so the place you chose earlier no longer fits (
          {PACKET_EXTENSIONS[cleared.format] ? `its name ends in “${PACKET_EXTENSIONS[cleared.format]}”` : 'it was for a folder'}) and was set
          aside. The packet will go to the Exports folder, or you can choose a place again.
        </p>
      ) : null}
      {canChoose ? (
        <div className="actions" ref={actions}>
          <ActionButton variant="quiet" onPress={() => void choose()} busy={choosing} busyLabel="Choosing a place…">
            {destination ? 'Choose another place…' : 'Choose a place…'}
          </ActionButton>
          {destination ? (
            <ActionButton variant="secondary" onPress={useExports} isDisabled={choosing}>
              Use the Exports folder instead
            </ActionButton>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
