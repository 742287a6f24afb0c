// Charts that cost a phone nothing until they are needed (companion/ui/components/chart.py).
import { createElement, useEffect, useRef, useState } from "react";

// A box that mounts its children (a Plotly chart) only once it is on the screen: a chart below
// the fold waits until the patient scrolls to it, and so does Plotly itself. The page gives the
// box the figure's height, so nothing moves when the chart is drawn.
export function LazyChart({ children, ...props }) {
  const box = useRef(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (near || !element) return undefined;
    if (!("IntersectionObserver" in window)) {
      setNear(true);
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      // Only once it is on screen: a box just below a phone's first screen must not fetch Plotly
      // (a long task) while the page is still starting.
      { rootMargin: "0px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);
  return createElement(
    "div",
    { ...props, ref: box, "data-kc-drawn": near ? "true" : "false" },
    near ? children : null,
  );
}

// Addresses this page has already shown as images. A chart image is private (no-store), but a
// page may still reuse an image it showed before at the same address; so the second time, a
// fresh query makes the browser ask again. The first time, the address is the page's own
// preloaded one (companion/ui/pages/trends.py), fetched while the scripts were still coming.
const shownImages = new Set();
let fresh = 0;

function once(src) {
  if (!src) return src;
  if (!shownImages.has(src)) {
    shownImages.add(src);
    return src;
  }
  fresh += 1;
  return `${src}&v=${Date.now()}-${fresh}`;
}

// A <picture> of a chart drawn on the server: `sources` (widest first, each with its media,
// src, width and height) and the narrowest drawing as the <img>, whose width and height keep its
// space before it arrives. A `lazy` one (below the first screen) is fetched as it nears the
// screen; an image is decoded off the page's main thread, so scrolling to it never stalls.
export function ChartPicture({ sources = [], src, width, height, alt, className, lazy = false }) {
  const key = [src, ...sources.map((source) => source.src)].join(" ");
  const [shown] = useState(() => new Map());
  if (!shown.has(key)) {
    shown.clear();
    shown.set(key, { src: once(src), sources: sources.map((s) => ({ ...s, src: once(s.src) })) });
  }
  const drawn = shown.get(key);
  return createElement(
    "picture",
    null,
    ...drawn.sources.map((source) =>
      createElement("source", {
        key: source.media,
        media: source.media,
        srcSet: source.src,
        width: source.width,
        height: source.height,
      }),
    ),
    createElement("img", {
      src: drawn.src,
      width,
      height,
      alt,
      className,
      loading: lazy ? "lazy" : "eager",
      decoding: "async",
      fetchPriority: lazy ? "auto" : "high",
    }),
  );
}
