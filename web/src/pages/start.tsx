// Starting an execution: a form made from the workflow's input signature
// (its `interface.input`: names, and {name: default} for the optional ones).
import { useState } from "preact/hooks";
import { api, jsonField, type Execution, type Workflow } from "../api";
import { ErrorBox, Section, message, useLoad } from "../common";
import { navigate } from "../router";

interface Param {
  name: string;
  required: boolean;
  default?: unknown;
}

export function inputParams(wf: Workflow): Param[] {
  const iface = jsonField(wf.interface);
  const list: unknown[] = Array.isArray(iface?.input) ? iface.input : [];
  return list.flatMap((p): Param[] => {
    if (typeof p === "string") return [{ name: p, required: true }];
    if (p && typeof p === "object") return Object.entries(p).map(([name, d]) => ({ name, required: false, default: d }));
    return [];
  });
}

// A field's text is JSON when it parses (numbers, lists, objects, true),
// else the string itself: what a user means by `3` or `hello`.
function fieldValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function StartPage({ workflowId }: { workflowId: string }) {
  const wf = useLoad(() => api<Workflow>("GET", `/v2/workflows/${workflowId}`), [workflowId]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [description, setDescription] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  if (wf.error) return <ErrorBox error={wf.error} />;
  if (!wf.data) return <p class="muted">Loading…</p>;
  const params = inputParams(wf.data);

  const submit = async (e: Event) => {
    e.preventDefault();
    const input: Record<string, unknown> = {};
    for (const p of params) {
      const text = values[p.name];
      if (text === undefined || text === "") {
        if (p.required) {
          setError(`'${p.name}' is required`);
          return;
        }
        continue; // the workflow's default applies
      }
      input[p.name] = fieldValue(text);
    }
    setBusy(true);
    try {
      const ex = await api<Execution>("POST", "/v2/executions", { workflow_id: workflowId, input, description });
      navigate("/executions/" + ex.id);
    } catch (err) {
      setError(message(err));
      setBusy(false);
    }
  };

  return (
    <Section title={`Start ${wf.data.name}`}>
      <form class="form" id="start-form" onSubmit={submit}>
        {params.length === 0 ? <p class="muted">This workflow takes no input.</p> : null}
        {params.map((p) => (
          <label key={p.name}>
            <span>
              {p.name}
              {p.required ? <span class="req"> *</span> : null}
            </span>
            <input
              name={p.name}
              required={p.required}
              placeholder={p.required ? "required (JSON or text)" : `default: ${JSON.stringify(p.default)}`}
              value={values[p.name] ?? ""}
              onInput={(e) => setValues({ ...values, [p.name]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
        <label>
          <span>description</span>
          <input name="description" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </label>
        <ErrorBox error={error} />
        <button type="submit" id="start" disabled={busy}>
          Start
        </button>
      </form>
    </Section>
  );
}
