// Client-side routes under /ui/ (history API); the server answers every
// /ui/... path it has no file for with index.html, so a reload or a shared
// link opens the same page.
import { useEffect, useState } from "preact/hooks";

export const BASE = "/ui";

export function currentRoute(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return p === "" ? "/" : p;
}

export function navigate(to: string): void {
  history.pushState(null, "", BASE + to);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function useRoute(): [string, URLSearchParams] {
  const [route, setRoute] = useState(currentRoute() + location.search);
  useEffect(() => {
    const on = () => setRoute(currentRoute() + location.search);
    addEventListener("popstate", on);
    return () => removeEventListener("popstate", on);
  }, []);
  const q = route.indexOf("?");
  return q < 0 ? [route, new URLSearchParams()] : [route.slice(0, q), new URLSearchParams(route.slice(q))];
}

// <a> that navigates without a reload (ctrl-click still opens a tab).
export function linkProps(to: string) {
  return {
    href: BASE + to,
    onClick: (e: MouseEvent) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      navigate(to);
    },
  };
}
