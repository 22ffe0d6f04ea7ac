import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import {
  Button,
  Label,
  Slider,
  SliderOutput,
  SliderThumb,
  SliderTrack,
  ToggleButton,
  ToggleButtonGroup,
  type Key,
} from 'react-aria-components';
import type { ImagingFrame, InstanceSummary, StudySummary } from '../../../shared/contract';
import { useVaultQuery } from '../api/useVaultQuery';
import { ErrorText } from '../ui/ErrorText';
import { Spinner } from '../ui/Spinner';
import { useFrame, type Picture, type WindowLevel } from './useFrame';
import { displayDate, modalityExplained, modalityName } from './words';

const ZOOM_STEPS = [1, 1.25, 1.5, 2, 3, 4, 6, 8];
/** Pause after the last window change before the core is asked to draw again. */
const WINDOW_DEBOUNCE_MS = 120;
const PAN_STEP = 40;

interface Preset {
  id: string;
  label: string;
  /** null: the window the file suggests. */
  window: WindowLevel | null;
}

/** Common CT windows (level/width in Hounsfield units). */
const CT_PRESETS: Preset[] = [
  { id: 'soft', label: 'Soft tissue', window: { center: 40, width: 400 } },
  { id: 'lung', label: 'Lungs', window: { center: -600, width: 1500 } },
  { id: 'bone', label: 'Bone', window: { center: 400, width: 1800 } },
  { id: 'brain', label: 'Brain', window: { center: 40, width: 80 } },
];

function presetsFor(modality: string | null, range: { min: number; max: number } | null): Preset[] {
  const presets: Preset[] = [{ id: 'file', label: 'As the file suggests', window: null }];
  if (modality?.toUpperCase() === 'CT') presets.push(...CT_PRESETS);
  if (range && range.max > range.min) presets.push({ id: 'full', label: 'Everything', window: { center: (range.min + range.max) / 2 + 0.5, width: range.max - range.min + 1 } });
  return presets;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function picturesOf(instances: InstanceSummary[]): Picture[] {
  return instances
    .filter((instance) => instance.frames > 0)
    .flatMap((instance) =>
      Array.from({ length: instance.frames }, (_, i) => ({ instanceId: instance.id, frame: i + 1, frames: instance.frames, instanceNumber: instance.instanceNumber })),
    );
}

/** " (image number 4, frame 2 of 3)" — what the file itself calls this picture. */
function pictureWords(picture: Picture): string {
  const parts: string[] = [];
  if (picture.instanceNumber !== null) parts.push(`image number ${picture.instanceNumber}`);
  if (picture.frames > 1) parts.push(`frame ${picture.frame} of ${picture.frames}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}

/** A simple viewer for one series: step through its pictures, change the window (level), zoom and move. */
export function SeriesViewer({ uid, onBack }: { uid: string; onBack(): void }) {
  const detail = useVaultQuery('imaging.series', { uid });
  const studies = useVaultQuery('imaging.studies', {});
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const study = useMemo<StudySummary | undefined>(
    () => studies.data?.patients.flatMap((patient) => patient.studies).find((candidate) => candidate.series.some((series) => series.uid === uid)),
    [studies.data, uid],
  );
  const series = detail.data?.series;
  const title = series ? [series.number !== null ? `Series ${series.number}` : null, series.description].filter(Boolean).join(': ') || 'Series' : 'Series';

  return (
    <div className="screen imaging-screen imaging-viewer-screen">
      <div className="imaging-viewer-head">
        <Button className="button button-quiet imaging-back" onPress={onBack}>
          ← Back to all scans
        </Button>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p className="hint imaging-viewer-study">
          {study ? `${study.description ?? 'Imaging study'} · ${displayDate(study.date)}` : null}
          {series?.modality ? ` · ${modalityName(series.modality)}` : null}
        </p>
      </div>
      <ErrorText error={detail.error} />
      {detail.loading && !detail.data ? (
        <p className="imaging-loading" role="status">
          <Spinner /> Loading the series…
        </p>
      ) : null}
      {detail.data ? <Viewer key={uid} title={title} modality={series?.modality ?? null} studyTitle={study?.description ?? null} instances={detail.data.instances} /> : null}
    </div>
  );
}

interface ViewerProps {
  title: string;
  modality: string | null;
  studyTitle: string | null;
  instances: InstanceSummary[];
}

function Viewer({ title, modality, studyTitle, instances }: ViewerProps) {
  const pictures = useMemo(() => picturesOf(instances), [instances]);
  const total = pictures.length;
  const [index, setIndex] = useState(0);
  const [window, setWindow] = useState<WindowLevel | null>(null);
  const [presetId, setPresetId] = useState<string | null>('file');
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [tool, setTool] = useState<'move' | 'contrast'>('move');
  const requestedWindow = useDebounced(window, WINDOW_DEBOUNCE_MS);
  const picture = pictures[index];
  const frame = useFrame(picture, pictures[index + 1], requestedWindow);
  const shown = frame.shown;
  const viewport = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; pan: { x: number; y: number }; window: WindowLevel | null; pointer: number } | null>(null);
  const keysId = useId();

  const go = useCallback((to: number) => setIndex(Math.max(0, Math.min(total - 1, to))), [total]);
  const step = useCallback((by: number) => setIndex((current) => Math.max(0, Math.min(total - 1, current + by))), [total]);

  const zoomBy = useCallback((direction: 1 | -1) => {
    setZoom((current) => {
      const at = ZOOM_STEPS.findIndex((stepValue) => stepValue >= current - 1e-9);
      const next = ZOOM_STEPS[Math.max(0, Math.min(ZOOM_STEPS.length - 1, (at < 0 ? 0 : at) + direction))]!;
      if (next === 1) setPan({ x: 0, y: 0 });
      return next;
    });
  }, []);
  const resetView = useCallback(() => {
    setZoom(1);
    setPan({ x: 0, y: 0 });
  }, []);

  // The window on screen: the one being set, else the one the core applied (the file's own).
  const current: WindowLevel | null = window ?? (shown && shown.windowCenter !== null && shown.windowWidth !== null ? { center: shown.windowCenter, width: shown.windowWidth } : null);
  const range = shown?.valueRange ?? null;
  const presets = useMemo(() => presetsFor(modality, range), [modality, range]);
  const setCustomWindow = useCallback((next: WindowLevel) => {
    setPresetId(null);
    setWindow({ center: round(next.center), width: Math.max(1, round(next.width)) });
  }, []);

  // Mouse wheel: next/previous picture; with Ctrl (or a pinch), zoom. A native listener, so the page does not scroll.
  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    let accumulated = 0;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const delta = event.deltaMode === 1 ? event.deltaY * 40 : event.deltaY;
      if (event.ctrlKey) {
        zoomBy(delta < 0 ? 1 : -1);
        return;
      }
      accumulated += delta;
      if (Math.abs(accumulated) >= 50) {
        step(accumulated > 0 ? 1 : -1);
        accumulated = 0;
      }
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [step, zoomBy]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const pans: Record<string, [number, number]> = { ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP], ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0] };
    let handled = true;
    if (event.shiftKey && pans[event.key]) {
      const [dx, dy] = pans[event.key]!;
      setPan((p) => ({ x: p.x + dx, y: p.y + dy }));
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowRight') step(1);
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') step(-1);
    else if (event.key === 'PageDown') step(10);
    else if (event.key === 'PageUp') step(-10);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(total - 1);
    else if (event.key === '+' || event.key === '=') zoomBy(1);
    else if (event.key === '-' || event.key === '_') zoomBy(-1);
    else if (event.key === '0') resetView();
    else handled = false;
    if (handled) event.preventDefault();
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY, pan, window: current, pointer: event.pointerId };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start || start.pointer !== event.pointerId) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (tool === 'move') {
      setPan({ x: start.pan.x + dx, y: start.pan.y + dy });
    } else if (start.window) {
      // Right: wider (less contrast); down: a higher level (darker). Scaled to the picture's range of values.
      const spread = range && range.max > range.min ? range.max - range.min : start.window.width;
      const perPixel = Math.max(spread / 400, 0.01);
      setCustomWindow({ center: start.window.center + dy * perPixel, width: start.window.width + dx * perPixel });
    }
  };
  const endDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointer === event.pointerId) drag.current = null;
  };

  if (total === 0) {
    return <p className="status">This series has no pictures to show.</p>;
  }

  const stale = frame.shownKey !== null && picture !== undefined && !frame.shownKey.startsWith(`${picture.instanceId}#${picture.frame}#`);
  const position = `Picture ${index + 1} of ${total}`;
  const src = shown ? `data:image/png;base64,${shown.png}` : null;
  return (
    <div className="imaging-viewer">
      <div className="imaging-toolbar" role="toolbar" aria-label="Picture tools">
        <Button className="button button-secondary imaging-tool" onPress={() => zoomBy(-1)} isDisabled={zoom <= ZOOM_STEPS[0]!}>
          Zoom out
        </Button>
        <span className="imaging-zoom" aria-live="polite" data-testid="zoom-level">
          {Math.round(zoom * 100)}%
        </span>
        <Button className="button button-secondary imaging-tool" onPress={() => zoomBy(1)} isDisabled={zoom >= ZOOM_STEPS[ZOOM_STEPS.length - 1]!}>
          Zoom in
        </Button>
        <Button className="button button-secondary imaging-tool" onPress={resetView} isDisabled={zoom === 1 && pan.x === 0 && pan.y === 0}>
          Fit
        </Button>
        <div className="imaging-drag">
          <span className="imaging-drag-label" aria-hidden="true">
            Drag to:
          </span>
          <ToggleButtonGroup
            className="imaging-segments"
            aria-label="Drag on the picture to"
            selectionMode="single"
            disallowEmptySelection
            selectedKeys={[tool]}
            onSelectionChange={(keys) => {
              const next = [...keys][0];
              if (next === 'move' || next === 'contrast') setTool(next);
            }}
          >
            <ToggleButton id="move" className="imaging-segment">
              Move
            </ToggleButton>
            <ToggleButton id="contrast" className="imaging-segment" isDisabled={shown?.colour === true}>
              Change contrast
            </ToggleButton>
          </ToggleButtonGroup>
        </div>
      </div>

      <div
        ref={viewport}
        className={`imaging-viewport imaging-tool-${tool}`}
        tabIndex={0}
        role="group"
        aria-roledescription="picture viewer"
        aria-label={`${title}: ${position}`}
        aria-describedby={keysId}
        aria-busy={frame.loading}
        data-testid="viewport"
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
      >
        {frame.error && !frame.loading ? (
          <div className="imaging-viewport-message" data-testid="frame-error">
            <ErrorText error={frame.error} />
          </div>
        ) : src ? (
          <img
            className="imaging-image"
            src={src}
            alt={`${position} of ${title}${studyTitle ? `, ${studyTitle}` : ''}`}
            draggable={false}
            data-testid="frame-image"
            data-picture={stale ? undefined : index + 1}
            style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})` }}
          />
        ) : null}
        {frame.loading ? (
          <span className="imaging-viewport-loading" data-testid="frame-loading">
            <Spinner /> Loading picture…
          </span>
        ) : null}
      </div>
      <p id={keysId} className="hint imaging-keys">
        Keys: ↓ or → next picture, ↑ or ← previous, Page Down / Page Up 10 at a time, Home / End first and last; + and − zoom, 0
        fits the picture again, Shift + arrows move a zoomed picture. The mouse wheel steps through the pictures; Ctrl + wheel zooms.
      </p>

      {total > 1 ? (
        <Slider className="imaging-slider" value={index + 1} minValue={1} maxValue={total} onChange={(value) => go(value - 1)}>
          <div className="imaging-slider-head">
            <Label className="field-label">Picture</Label>
            <SliderOutput className="imaging-slider-output" data-testid="picture-position">
              {() => `${index + 1} of ${total}`}
            </SliderOutput>
          </div>
          <SliderTrack className="imaging-slider-track">
            <SliderThumb className="imaging-slider-thumb" aria-label="Picture number" />
          </SliderTrack>
        </Slider>
      ) : (
        <p className="hint" data-testid="picture-position">
          This series has one picture.
        </p>
      )}

      <div className="imaging-viewer-panels">
        <WindowControls
          frame={shown}
          current={current}
          presets={presets}
          presetId={presetId}
          onPreset={(preset) => {
            setPresetId(preset.id);
            setWindow(preset.window);
          }}
          onWindow={setCustomWindow}
        />
        <Facts frame={shown} picture={picture} title={title} modality={modality} studyTitle={studyTitle} position={position} />
      </div>
    </div>
  );
}

interface WindowControlsProps {
  frame: ImagingFrame | null;
  current: WindowLevel | null;
  presets: Preset[];
  presetId: string | null;
  onPreset(preset: Preset): void;
  onWindow(window: WindowLevel): void;
}

function WindowControls({ frame, current, presets, presetId, onPreset, onWindow }: WindowControlsProps) {
  const id = useId();
  if (frame?.colour) {
    return (
      <section className="imaging-window" aria-labelledby={id}>
        <h2 id={id}>Brightness and contrast</h2>
        <p className="hint">Colour pictures are shown as they were taken.</p>
      </section>
    );
  }
  const range = frame?.valueRange ?? null;
  const spread = range && range.max > range.min ? range.max - range.min : 1000;
  const levelMin = Math.floor(Math.min(range?.min ?? -1000, current?.center ?? 0) - spread * 0.25);
  const levelMax = Math.ceil(Math.max(range?.max ?? 1000, current?.center ?? 0) + spread * 0.25);
  const widthMax = Math.ceil(Math.max(spread * 2, current?.width ?? 1, 2));
  const stepOf = (span: number) => (span > 200 ? 1 : span > 20 ? 0.1 : 0.01);
  return (
    <section className="imaging-window" aria-labelledby={id}>
      <h2 id={id}>Brightness and contrast</h2>
      <p className="hint">
        Doctors call this the “window”. The level is the value shown as middle grey; the width is how many values are
        spread from black to white — a narrower width shows more contrast.
      </p>
      <ToggleButtonGroup
        className="imaging-presets"
        aria-label="Preset"
        selectionMode="single"
        selectedKeys={presetId ? [presetId] : []}
        onSelectionChange={(keys) => {
          const key: Key | undefined = [...keys][0];
          const preset = presets.find((candidate) => candidate.id === key);
          if (preset) onPreset(preset);
        }}
      >
        {presets.map((preset) => (
          <ToggleButton key={preset.id} id={preset.id} className="imaging-preset">
            {preset.label}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {current && frame ? (
        <div className="imaging-window-sliders">
          <Slider
            className="imaging-slider"
            value={Math.min(levelMax, Math.max(levelMin, current.center))}
            minValue={levelMin}
            maxValue={levelMax}
            step={stepOf(levelMax - levelMin)}
            onChange={(value) => onWindow({ center: value, width: current.width })}
          >
            <div className="imaging-slider-head">
              <Label className="field-label">Level</Label>
              <SliderOutput className="imaging-slider-output" data-testid="window-level" />
            </div>
            <SliderTrack className="imaging-slider-track">
              <SliderThumb className="imaging-slider-thumb" />
            </SliderTrack>
          </Slider>
          <Slider
            className="imaging-slider"
            value={Math.min(widthMax, Math.max(1, current.width))}
            minValue={1}
            maxValue={widthMax}
            step={stepOf(widthMax)}
            onChange={(value) => onWindow({ center: current.center, width: value })}
          >
            <div className="imaging-slider-head">
              <Label className="field-label">Width</Label>
              <SliderOutput className="imaging-slider-output" data-testid="window-width" />
            </div>
            <SliderTrack className="imaging-slider-track">
              <SliderThumb className="imaging-slider-thumb" />
            </SliderTrack>
          </Slider>
        </div>
      ) : null}
    </section>
  );
}

interface FactsProps {
  frame: ImagingFrame | null;
  picture: Picture | undefined;
  title: string;
  modality: string | null;
  studyTitle: string | null;
  position: string;
}

function Facts({ frame, picture, title, modality, studyTitle, position }: FactsProps) {
  const id = useId();
  const kind = modality ? modalityExplained(modality) : null;
  return (
    <section className="imaging-about" aria-labelledby={id}>
      <h2 id={id}>About this picture</h2>
      <dl className="imaging-facts">
        <div>
          <dt>Series</dt>
          <dd>{title}</dd>
        </div>
        {studyTitle ? (
          <div>
            <dt>Study</dt>
            <dd>{studyTitle}</dd>
          </div>
        ) : null}
        {kind ? (
          <div>
            <dt>Kind</dt>
            <dd>
              {kind.name}
              {kind.plain ? <span className="hint"> — {kind.plain}</span> : null}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Picture</dt>
          <dd data-testid="fact-picture">
            {position}
            {picture ? pictureWords(picture) : ''}
          </dd>
        </div>
        {frame ? (
          <>
            <div>
              <dt>Size</dt>
              <dd>
                {frame.sourceWidth} × {frame.sourceHeight} pixels
              </dd>
            </div>
            <div>
              <dt>Stored as</dt>
              <dd>{frame.encoding}</dd>
            </div>
            <div>
              <dt>Window</dt>
              <dd data-testid="fact-window">
                {frame.windowCenter !== null && frame.windowWidth !== null ? `Level ${round(frame.windowCenter)}, width ${round(frame.windowWidth)}` : 'Colour picture'}
              </dd>
            </div>
          </>
        ) : null}
      </dl>
    </section>
  );
}
