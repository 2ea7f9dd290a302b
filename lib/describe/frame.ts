/**
 * Where the current frame sits: its index path from the top frame (`[]` for the top, `[2]` for the
 * top's third child frame, `[2, 0]` for that frame's first child), and the viewport. Works across
 * origins: `parent`, `parent.frames`, `frames.length` and indexed access are all allowed on a
 * cross-origin WindowProxy, and identity comparison is too. Every access is guarded anyway.
 */

/** Deepest frame nesting recorded (the schema's limit). */
const MAX_FRAME_DEPTH = 16;

export interface FramePathInfo {
  path: number[];
  /** False when some level could not be resolved (path then holds only the levels below it). */
  complete: boolean;
}

export interface Viewport {
  width: number;
  height: number;
  dpr: number;
}

function indexIn(parent: Window, win: Window): number {
  try {
    const frames = parent.frames;
    const n = frames.length;
    for (let i = 0; i < n; i++) {
      if (frames[i] === win) return i;
    }
  } catch {
    // fall through
  }
  return -1;
}

export function framePathInfo(win: Window): FramePathInfo {
  const path: number[] = [];
  let w = win;
  for (let depth = 0; depth <= MAX_FRAME_DEPTH; depth++) {
    let parent: Window | null;
    try {
      parent = w.parent;
    } catch {
      return { path, complete: false };
    }
    if (!parent || parent === w) return { path, complete: true };
    if (depth === MAX_FRAME_DEPTH) break;
    const i = indexIn(parent, w);
    if (i < 0) return { path, complete: false };
    path.unshift(i);
    w = parent;
  }
  return { path, complete: false };
}

/**
 * Index path of `win` from the top frame; `[]` for the top frame. When a level cannot be resolved
 * (never expected in a browser) the result is `[]` rather than a wrong path: use `framePathInfo` to
 * tell "top" from "unknown".
 */
export function framePath(win: Window): number[] {
  const info = framePathInfo(win);
  return info.complete ? info.path : [];
}

/** Layout viewport size in CSS px and device pixel ratio (what a Recorder `setViewport` step needs). */
export function viewportOf(win: Window): Viewport {
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  try {
    return {
      width: Math.round(num(win.innerWidth, 0)),
      height: Math.round(num(win.innerHeight, 0)),
      dpr: num(win.devicePixelRatio, 1),
    };
  } catch {
    return { width: 0, height: 0, dpr: 1 };
  }
}
