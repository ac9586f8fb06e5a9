// The live event stream (GET /v2/events, /v2/executions/{id}/events) read as
// Server-Sent Events over fetch, not EventSource: EventSource cannot send
// the X-Auth-Token header. Like EventSource, it reconnects by itself and
// resumes with Last-Event-ID, so nothing retained is missed.
import { authHeaders } from "./api";

export interface BoraEvent {
  seq: number;
  event: string;
  timestamp: string;
  project_id: string;
  root_execution_id: string | null;
  execution_id: string;
  task_execution_id: string | null;
  workflow_name: string;
  data: Record<string, any>;
}

export type StreamStatus = "connecting" | "live" | "reconnecting";

const RECONNECT_MS = 1000;

// A page the browser keeps in its back/forward cache stays alive, frozen,
// with its streams open: browsers allow six connections to one host over
// HTTP/1.1, so a few such pages would starve the page on screen. A stream
// is therefore closed when its page is hidden that way (pagehide) and
// resumed, from its last event, when the page is shown again.
export function subscribe(
  path: string,
  onEvent: (e: BoraEvent) => void,
  onStatus?: (s: StreamStatus) => void,
): () => void {
  let lastId: string | null = null;
  let stopped = false;
  let hidden = false;
  let connection: AbortController | null = null;
  let wake: (() => void) | null = null;

  const dispatch = (block: string) => {
    let data = "";
    let type = "message";
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue; // a comment: the heartbeat
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") lastId = value;
      else if (field === "event") type = value;
      else if (field === "data") data += (data ? "\n" : "") + value;
    }
    if (!data || type === "overflow") return; // overflow: the server closes; we resume
    try {
      onEvent(JSON.parse(data) as BoraEvent);
    } catch (err) {
      console.error("bad event", err);
    }
  };

  // Waits RECONNECT_MS, or until the page is shown again.
  const pause = (ms: number) =>
    new Promise<void>((res) => {
      const timer = setTimeout(res, ms);
      wake = () => {
        clearTimeout(timer);
        res();
      };
    });

  const run = async () => {
    onStatus?.("connecting");
    while (!stopped) {
      if (hidden) {
        await pause(24 * 3600 * 1000);
        continue;
      }
      connection = new AbortController();
      try {
        const headers: Record<string, string> = { Accept: "text/event-stream", ...authHeaders() };
        if (lastId !== null) headers["Last-Event-ID"] = lastId;
        const r = await fetch(path, { headers, signal: connection.signal, cache: "no-store" });
        if (!r.ok || !r.body) throw new Error(`event stream: HTTP ${r.status}`);
        onStatus?.("live");
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // closed, aborted or refused: resume below
      }
      if (stopped) return;
      onStatus?.("reconnecting");
      if (!hidden) await pause(RECONNECT_MS);
    }
  };

  const onHide = () => {
    hidden = true;
    connection?.abort();
  };
  const onShow = (e: PageTransitionEvent) => {
    if (!e.persisted) return;
    hidden = false;
    wake?.();
  };
  addEventListener("pagehide", onHide);
  addEventListener("pageshow", onShow);
  void run();
  return () => {
    stopped = true;
    removeEventListener("pagehide", onHide);
    removeEventListener("pageshow", onShow);
    connection?.abort();
    wake?.();
  };
}
