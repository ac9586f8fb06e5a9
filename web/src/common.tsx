// Small pieces every page uses.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

export function StateBadge({ state }: { state: string | null | undefined }) {
  const s = state ?? "IDLE";
  return <span class={`badge state-${s}`}>{s}</span>;
}

export function ErrorBox({ error }: { error: string }) {
  return error ? <div class="error" role="alert">{error}</div> : null;
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      <header class="card-head">
        <h2>{title}</h2>
        <div class="actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

export function Json({ value, label }: { value: string; label: string }) {
  if (!value) return null;
  return (
    <details open class="json" data-field={label}>
      <summary>{label}</summary>
      <pre>{value}</pre>
    </details>
  );
}

// The last 8 characters: random in every id. A row's id is time-ordered
// (a version-7 UUID starts with its creation time), so ids made within a
// minute share their first characters.
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(-8) : "";
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Runs fn after `ms` of quiet: many events in a burst cost one request.
export function useDebounced(fn: () => void, ms: number): () => void {
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => () => clearTimeout(timer.current), []);
  return () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), ms) as unknown as number;
  };
}

// Loads once per change of deps; reload() to load again.
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string; reload: () => void } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState("");
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    fn().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError("");
      },
      (e) => live && setError(message(e)),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1) };
}
