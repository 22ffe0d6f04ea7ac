import { useCallback, useEffect, useRef } from 'react';
import { canImportFiles } from '../api/files';
import { useVaultQuery } from '../api/useVaultQuery';
import { libraryChanged } from '../library/useLibraryQuery';
import { ErrorText } from '../ui/ErrorText';
import { Spinner } from '../ui/Spinner';
import { ChooseDisc, DiscImportPanel } from './DiscImportPanel';
import { seriesHref, useImagingRoute } from './route';
import { SeriesViewer } from './SeriesViewer';
import { StudiesView } from './StudiesView';
import { useWindowDrop } from '../ui/useWindowDrop';
import { useDiscImport } from './useDiscImport';
import '../styles/imaging.css';

/**
 * Imaging: scans from discs (CD, DVD, USB stick, .iso, .zip). Adding a disc, the studies found on discs so far,
 * and a simple viewer for one series (#/imaging/series/<uid>).
 */
export function ImagingScreen() {
  const route = useImagingRoute();
  const studies = useVaultQuery('imaging.studies', {});
  const overview = useVaultQuery('vault.overview', {});
  const reload = studies.reload;
  const onImported = useCallback(() => {
    reload();
    libraryChanged(); // reports from the disc are in the library now, and the overview's counts changed
  }, [reload]);
  const importer = useDiscImport(onImported);
  const canImport = canImportFiles();
  const dragging = useWindowDrop(importer.importItems, !importer.busy && canImport && !route.seriesUid);
  const heading = useRef<HTMLHeadingElement>(null);
  const lastSeries = useRef<string | null>(null);

  // Back from the viewer: focus the series that was open (or the heading), so keyboard users keep their place.
  const seriesUid = route.seriesUid;
  useEffect(() => {
    if (seriesUid) {
      lastSeries.current = seriesUid;
      return;
    }
    const uid = lastSeries.current;
    if (!uid) return;
    lastSeries.current = null;
    requestAnimationFrame(() => {
      const link = document.querySelector<HTMLElement>(`a[href="${CSS.escape(seriesHref(uid))}"]`);
      (link ?? heading.current)?.focus();
    });
  }, [seriesUid]);

  if (seriesUid) return <SeriesViewer uid={seriesUid} onBack={route.showStudies} />;

  const patients = studies.data?.patients ?? [];
  const profile = overview.data?.profile;
  return (
    <div className="screen imaging-screen">
      <h1 ref={heading} tabIndex={-1}>
        Scans and images
      </h1>
      <p className="lead imaging-intro">
        CT, MRI, ultrasound, PET and mammogram images from the discs hospitals give you. Everything stays on this
        computer, encrypted.
      </p>
      <ChooseDisc disabled={importer.busy || !canImport} onFolder={importer.importFolder} onFile={importer.importItems} />
      <DiscImportPanel
        state={importer.state}
        profile={profile ? { fullName: profile.fullName, birthDate: profile.birthDate } : undefined}
        onStop={importer.stop}
        onAccept={importer.accept}
        onDecline={importer.decline}
        onDismiss={importer.dismiss}
      />
      <ErrorText error={studies.error} />
      {studies.loading && !studies.data ? (
        <p className="imaging-loading" role="status">
          <Spinner /> Loading your scans…
        </p>
      ) : null}
      {studies.data && patients.length === 0 ? (
        <div className="status imaging-empty" data-testid="imaging-empty">
          <p>No scans yet. When you add a disc, its studies appear here in date order, newest first.</p>
        </div>
      ) : null}
      {patients.length > 0 ? <StudiesView patients={patients} /> : null}
      {dragging ? (
        <div className="imaging-drop" aria-hidden="true">
          <p>Drop the disc, folder, .iso or .zip file to import it</p>
        </div>
      ) : null}
    </div>
  );
}
