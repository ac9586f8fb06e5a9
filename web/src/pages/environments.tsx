// Environments: list, and an editor for one (name, description,
// variables as JSON, scope).
import { useEffect, useState } from "preact/hooks";
import { api, pretty } from "../api";
import { ErrorBox, Section, message, useLoad } from "../common";
import { linkProps, navigate } from "../router";

interface Environment {
  id?: string;
  // Null or empty for one created without a name (as Mistral stores it):
  // listed, but no URL reaches it.
  name: string | null;
  description?: string | null;
  variables?: unknown;
  scope?: string;
  updated_at?: string | null;
  created_at?: string;
}

export function EnvironmentList() {
  const list = useLoad(() => api<{ environments: Environment[] }>("GET", "/v2/environments"), []);
  return (
    <Section title="Environments" actions={<a class="button" {...linkProps("/environments/new")}>New</a>}>
      <ErrorBox error={list.error} />
      <table class="list" id="environments">
        <thead>
          <tr>
            <th>Name</th>
            <th>Description</th>
            <th>Scope</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.environments ?? []).map((e) => (
            <tr key={e.id ?? e.name ?? ""} data-name={e.name ?? ""}>
              <td>
                {e.name ? (
                  <a {...linkProps("/environments/" + encodeURIComponent(e.name))}>{e.name}</a>
                ) : (
                  <span class="muted">(no name)</span>
                )}
              </td>
              <td>{e.description ?? ""}</td>
              <td>{e.scope ?? ""}</td>
              <td class="mono small">{e.updated_at ?? e.created_at ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function EnvironmentEditor({ name }: { name: string }) {
  const isNew = name === "new";
  const [env, setEnv] = useState<Environment>({ name: "", description: "", scope: "private" });
  const [variables, setVariables] = useState("{}");
  const [error, setError] = useState("");
  useEffect(() => {
    if (isNew) return;
    api<Environment>("GET", "/v2/environments/" + encodeURIComponent(name)).then(
      (e) => {
        setEnv(e);
        setVariables(pretty(e.variables) || "{}");
      },
      (e) => setError(message(e)),
    );
  }, [name]);

  const save = async (ev: Event) => {
    ev.preventDefault();
    let vars: unknown;
    try {
      vars = JSON.parse(variables);
    } catch (e) {
      setError("variables: " + message(e));
      return;
    }
    try {
      await api(isNew ? "POST" : "PUT", "/v2/environments", {
        name: env.name,
        description: env.description ?? "",
        scope: env.scope ?? "private",
        variables: JSON.stringify(vars),
      });
      navigate("/environments");
    } catch (e) {
      setError(message(e));
    }
  };
  const remove = async () => {
    try {
      await api("DELETE", "/v2/environments/" + encodeURIComponent(name));
      navigate("/environments");
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <Section title={isNew ? "New environment" : name} actions={!isNew ? <button class="danger" onClick={remove}>Delete</button> : null}>
      <form class="form" onSubmit={save}>
        <label>
          <span>name</span>
          <input value={env.name ?? ""} readOnly={!isNew} required onInput={(e) => setEnv({ ...env, name: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          <span>description</span>
          <input value={env.description ?? ""} onInput={(e) => setEnv({ ...env, description: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          <span>scope</span>
          <select value={env.scope ?? "private"} onChange={(e) => setEnv({ ...env, scope: (e.target as HTMLSelectElement).value })}>
            <option>private</option>
            <option>public</option>
          </select>
        </label>
        <label>
          <span>variables (JSON)</span>
          <textarea rows={12} class="mono" value={variables} onInput={(e) => setVariables((e.target as HTMLTextAreaElement).value)} />
        </label>
        <ErrorBox error={error} />
        <button type="submit">{isNew ? "Create" : "Save"}</button>
      </form>
    </Section>
  );
}
