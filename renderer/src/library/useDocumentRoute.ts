import { useCallback, useEffect, useState } from 'react';

export const SECTION_ID = 'records';

/** The document open in the viewer, from the address: #/records/<id>. Null shows the list. */
function readDocumentId(): string | null {
  const parts = window.location.hash.replace(/^#\/?/, '').split('/');
  if (parts[0] !== SECTION_ID || !parts[1]) return null;
  try {
    const id = decodeURIComponent(parts[1]);
    return /^[A-Za-z0-9_-]{8,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

export function documentHref(id: string): string {
  return `#/${SECTION_ID}/${encodeURIComponent(id)}`;
}

/** Which document is open, plus ways to open one or go back to the list (Back and Forward work as usual). */
export function useDocumentRoute() {
  const [documentId, setDocumentId] = useState(readDocumentId);
  useEffect(() => {
    const onChange = () => setDocumentId(readDocumentId());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const open = useCallback((id: string) => {
    window.location.hash = documentHref(id);
  }, []);
  const showList = useCallback(() => {
    window.location.hash = `#/${SECTION_ID}`;
  }, []);
  return { documentId, open, showList };
}
