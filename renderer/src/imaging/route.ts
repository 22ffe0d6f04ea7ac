import { useCallback, useEffect, useState } from 'react';

export const SECTION_ID = 'imaging';

/** The series open in the viewer, from the address: #/imaging/series/<uid>. Null shows the list of studies. */
function readSeriesUid(): string | null {
  const parts = window.location.hash.replace(/^#\/?/, '').split('/');
  if (parts[0] !== SECTION_ID || parts[1] !== 'series' || !parts[2]) return null;
  try {
    const uid = decodeURIComponent(parts[2]);
    return /^[0-9.]{1,64}$/.test(uid) ? uid : null;
  } catch {
    return null;
  }
}

export function seriesHref(uid: string): string {
  return `#/${SECTION_ID}/series/${encodeURIComponent(uid)}`;
}

/** Which series is open, plus a way back to the studies (Back and Forward work as usual). */
export function useImagingRoute() {
  const [seriesUid, setSeriesUid] = useState(readSeriesUid);
  useEffect(() => {
    const onChange = () => setSeriesUid(readSeriesUid());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const showStudies = useCallback(() => {
    window.location.hash = `#/${SECTION_ID}`;
  }, []);
  return { seriesUid, showStudies };
}
