// Bora's web UI: every page reads the public REST API (/v2) and the live
// event stream, as any other client would.
import { render } from "preact";
import { useState } from "preact/hooks";
import { authToken, setAuthToken } from "./api";
import { CronTriggersPage } from "./pages/cron_triggers";
import { DefinitionEditor, DefinitionList, type Kind } from "./pages/definitions";
import { EnvironmentEditor, EnvironmentList } from "./pages/environments";
import { ExecutionPage } from "./pages/execution";
import { ExecutionsPage } from "./pages/executions";
import { StartPage } from "./pages/start";
import { linkProps, useRoute } from "./router";
import "./style.css";

const NAV: [string, string][] = [
  ["/", "Executions"],
  ["/workflows", "Workflows"],
  ["/workbooks", "Workbooks"],
  ["/actions", "Actions"],
  ["/environments", "Environments"],
  ["/cron_triggers", "Cron triggers"],
];

function page(path: string, query: URLSearchParams) {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (!first) return <ExecutionsPage query={query} />;
  if (first === "executions" && second) return <ExecutionPage id={second} />;
  if (first === "executions") return <ExecutionsPage query={query} />;
  if (first === "workflows" && second && third === "start") return <StartPage workflowId={second} />;
  if (first === "workflows" || first === "workbooks" || first === "actions")
    return second ? <DefinitionEditor key={first + second} kind={first as Kind} id={second} /> : <DefinitionList kind={first as Kind} />;
  if (first === "environments") return second ? <EnvironmentEditor name={second} /> : <EnvironmentList />;
  if (first === "cron_triggers") return <CronTriggersPage />;
  return <p class="card">No such page: {path}</p>;
}

function TokenField() {
  const [token, setToken] = useState(authToken());
  return (
    <label class="token" title="Sent as X-Auth-Token when the server has authentication on">
      token
      <input
        type="password"
        name="token"
        placeholder="(none)"
        value={token}
        onChange={(e) => {
          const v = (e.target as HTMLInputElement).value.trim();
          setAuthToken(v);
          setToken(v);
          location.reload();
        }}
      />
    </label>
  );
}

function App() {
  const [path, query] = useRoute();
  const section = "/" + (path.split("/")[1] ?? "");
  return (
    <>
      <header class="top">
        <a class="brand" {...linkProps("/")}>
          Bora
        </a>
        <nav>
          {NAV.map(([to, label]) => (
            <a {...linkProps(to)} class={section === to || (to === "/" && section === "/executions") ? "active" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <TokenField />
      </header>
      <main>{page(path, query)}</main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
