import { useEffect, useRef, useState } from 'react';
import type { ImagingFrame } from '../../../shared/contract';
import { toAppError, type AppError } from '../api/AppError';
import { call } from '../api/client';

/** One picture of a series: an instance and a frame within it. */
export interface Picture {
  instanceId: string;
  frame: number;
  /** Frames in this instance. */
  frames: number;
  instanceNumber: number | null;
}

export interface WindowLevel {
  center: number;
  width: number;
}

/** Longest edge asked of the core (the most the contract allows: sharp enough when zoomed). */
const MAX_EDGE = 1024;
/** Frames kept in this viewer (dropped with it; never in the shared cache, which is for small answers). */
const KEEP = 48;

function keyOf(picture: Picture, window: WindowLevel | null): string {
  return `${picture.instanceId}#${picture.frame}#${window ? `${window.center}/${window.width}` : 'file'}`;
}

function request(picture: Picture, window: WindowLevel | null) {
  return call('imaging.frame', {
    instanceId: picture.instanceId,
    frame: picture.frame,
    maxEdge: MAX_EDGE,
    ...(window ? { windowCenter: window.center, windowWidth: window.width } : {}),
  });
}

export interface FrameState {
  /** The picture on screen: the latest one drawn (kept while the next one loads, so nothing flickers). */
  shown: ImagingFrame | null;
  /** Which picture `shown` is. */
  shownKey: string | null;
  loading: boolean;
  /** Why the requested picture cannot be shown (e.g. an encoding the app cannot draw yet). */
  error: AppError | null;
}

/**
 * Asks the core for one picture with the given window (null: the file's own), keeps recent answers, and quietly
 * fetches the next picture ahead so stepping through a series feels immediate. Only the latest request's answer is
 * shown. Decoding happens in the core, never on this page's thread.
 */
export function useFrame(picture: Picture | undefined, next: Picture | undefined, window: WindowLevel | null): FrameState {
  const cache = useRef(new Map<string, ImagingFrame>());
  const [state, setState] = useState<FrameState>({ shown: null, shownKey: null, loading: true, error: null });
  const key = picture ? keyOf(picture, window) : null;
  const nextKey = next ? keyOf(next, window) : null;

  useEffect(() => {
    if (!picture || !key) return;
    const remember = (k: string, frame: ImagingFrame) => {
      cache.current.delete(k);
      cache.current.set(k, frame);
      while (cache.current.size > KEEP) cache.current.delete(cache.current.keys().next().value!);
    };
    const prefetch = () => {
      if (!next || !nextKey || cache.current.has(nextKey)) return;
      request(next, window).then((frame) => remember(nextKey, frame), () => undefined);
    };
    const hit = cache.current.get(key);
    if (hit) {
      setState({ shown: hit, shownKey: key, loading: false, error: null });
      prefetch();
      return;
    }
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    request(picture, window).then(
      (frame) => {
        remember(key, frame);
        if (!current) return;
        setState({ shown: frame, shownKey: key, loading: false, error: null });
        prefetch();
      },
      (error: unknown) => {
        if (current) setState((previous) => ({ ...previous, loading: false, error: toAppError(error) }));
      },
    );
    return () => {
      current = false;
    };
    // The key says everything about the request (picture and window).
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  return state;
}
