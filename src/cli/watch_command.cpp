// bora watch EXECUTION_ID: follows an execution of a running server live, in
// the progress view of `bora run` (cli/progress_view), from the server's
// event stream (GET /v2/executions/{id}/events, Server-Sent Events), and
// exits with its outcome as `bora run` does. The view is built from the
// events alone (Mistral's task payload: name, state, times), so watching
// costs the server no polling; a dropped connection resumes with
// Last-Event-ID and misses nothing.
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <thread>

#include "bora/core/json.h"
#include "bora/core/time.h"
#include "bora/storage/records.h"
#include "commands.h"
#include "options.h"
#include "progress_view.h"

namespace bora::cli {

namespace {

const char* kWatchHelp =
    "Usage: bora watch EXECUTION_ID [--url URL] [--project ID]\n"
    "\n"
    "Follows a workflow execution of a running Bora server live: tasks as they start\n"
    "and end, sub-workflows indented, durations (the view of 'bora run'), from the\n"
    "server's event stream. An execution that has already ended prints its final view.\n"
    "Prints the output as JSON on stdout; exits 0 when the execution succeeded, 1 when\n"
    "it failed or was cancelled, 2 when it cannot be watched.\n"
    "\n"
    "  --url URL      the server (default: $BORA_URL, else http://127.0.0.1:8989)\n"
    "  --project ID   the project to ask as (X-Project-Id)\n";

struct Answer {
  long status = 0;
  std::string body;
};

size_t append_body(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

curl_slist* headers_for(const std::string& project, const std::string& extra = "") {
  curl_slist* h = nullptr;
  if (!project.empty()) h = curl_slist_append(h, ("X-Project-Id: " + project).c_str());
  if (!extra.empty()) h = curl_slist_append(h, extra.c_str());
  return h;
}

Result<Answer> http_get(const std::string& url, const std::string& project) {
  CURL* curl = curl_easy_init();
  Answer a;
  curl_slist* h = headers_for(project);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
  curl_slist_free_all(h);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return Error{ErrorKind::Unavailable, url + ": " + curl_easy_strerror(rc)};
  return a;
}

// The text of a Mistral error body, or the body.
std::string fault_text(const Answer& a) {
  auto v = parse_json(a.body);
  if (v.ok() && v->find("faultstring") && (*v)["faultstring"].is_string()) return (*v)["faultstring"].as_string();
  return "HTTP " + std::to_string(a.status) + " " + a.body.substr(0, 200);
}

std::string text_of(const Value& v, const char* key) {
  const Value& x = v[key];
  return x.is_string() ? x.as_string() : "";
}

// A record's state as the server wrote it (an unknown name, from a newer
// server, shows as ERROR rather than stopping the view).
storage::State state_of(const Value& v) {
  return storage::parse_state(text_of(v, "state")).value_or(storage::State::Error);
}

std::optional<Timestamp> time_of(const Value& v, const char* key) {
  const Value& x = v[key];
  return x.is_string() ? parse_time(x.as_string()) : std::nullopt;
}

// Mistral's API gives JSON fields as JSON text.
Value json_field(const Value& v, const char* key) {
  const Value& x = v[key];
  if (!x.is_string()) return x;
  auto parsed = parse_json(x.as_string());
  return parsed.ok() ? *parsed : Value();
}

bool workflow_ended(storage::State state) {
  return state == storage::State::Success || state == storage::State::Error || state == storage::State::Cancelled;
}

// What the events told about the execution tree, in the view's terms.
class Tree {
 public:
  explicit Tree(std::string root) : root_(std::move(root)) { depth_[root_] = 0; }

  // One event; true when it ends the root execution.
  bool apply(const Value& e) {
    std::string type = text_of(e, "event");
    std::string exec = text_of(e, "execution_id");
    const Value& data = e["data"];
    if (type.rfind("WORKFLOW_", 0) == 0) {
      if (exec != root_ && !depth_.count(exec)) {
        // A sub-workflow: one level below the workflow of the task that started it.
        std::string parent_task = text_of(data, "task_execution_id");
        auto t = task_exec_.find(parent_task);
        depth_[exec] = t != task_exec_.end() ? depth(t->second) + 1 : 1;
      }
      if (exec == root_) {
        state_ = state_of(data);
        return workflow_ended(state_) || type == "WORKFLOW_SUCCEEDED" || type == "WORKFLOW_FAILED" ||
               type == "WORKFLOW_CANCELLED";
      }
      return false;
    }
    std::string id = text_of(e, "task_execution_id");
    if (id.empty()) return false;
    auto [it, added] = index_.try_emplace(id, tasks_.size());
    if (added) tasks_.emplace_back();
    storage::TaskExecution& t = tasks_[it->second];
    t.id = id;
    t.workflow_execution_id = exec;
    task_exec_[id] = exec;
    t.name = std::string(2 * static_cast<size_t>(depth(exec)), ' ') + text_of(data, "name");
    t.state = state_of(data);
    if (data["state_info"].is_string()) t.state_info = data["state_info"].as_string();
    // The event's own time (microseconds; the payload's times are whole
    // seconds, as Mistral's API writes them) tells the durations.
    auto at = parse_time(text_of(e, "timestamp"));
    if (!at) at = time_of(data, "updated_at");
    if (added) {
      t.created_at = at.value_or(time_of(data, "created_at").value_or(now_utc()));
      t.started_at = t.created_at;
    }
    bool over = type == "TASK_SUCCEEDED" || type == "TASK_FAILED" || type == "TASK_CANCELLED" || type == "TASK_SKIPPED";
    t.finished_at = over ? std::optional<Timestamp>(at.value_or(now_utc())) : std::nullopt;
    return false;
  }

  const std::vector<storage::TaskExecution>& tasks() const { return tasks_; }
  storage::State state() const { return state_; }

 private:
  int depth(const std::string& exec) const {
    auto d = depth_.find(exec);
    return d == depth_.end() ? 0 : d->second;
  }
  std::string root_;
  storage::State state_ = storage::State::Running;
  std::vector<storage::TaskExecution> tasks_;
  std::map<std::string, size_t> index_;
  std::map<std::string, int> depth_;             // execution -> nesting
  std::map<std::string, std::string> task_exec_;  // task -> its workflow execution
};

// Reads one SSE connection, handing each event's JSON to the tree and
// redrawing the view; remembers the last id for a reconnect.
struct Follow {
  Tree& tree;
  ProgressView& view;
  std::string buffer;
  std::string last_id;
  bool ended = false;

  static size_t on_data(char* data, size_t size, size_t n, void* self_ptr) {
    auto* self = static_cast<Follow*>(self_ptr);
    self->buffer.append(data, size * n);
    size_t end;
    while ((end = self->buffer.find("\n\n")) != std::string::npos) {
      std::string frame = self->buffer.substr(0, end);
      self->buffer.erase(0, end + 2);
      self->frame(frame);
      if (self->ended) return 0;  // stops the transfer: the execution is over
    }
    return size * n;
  }
  // A second or so without data: the durations still move.
  static int on_tick(void* self_ptr, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* self = static_cast<Follow*>(self_ptr);
    self->view.update(self->tree.tasks(), self->tree.state(), now_utc());
    return 0;
  }

  void frame(const std::string& frame) {
    std::string id, event, data;
    size_t i = 0;
    while (i < frame.size()) {
      size_t j = frame.find('\n', i);
      if (j == std::string::npos) j = frame.size();
      std::string line = frame.substr(i, j - i);
      i = j + 1;
      auto field = [&](const char* name) -> std::optional<std::string> {
        std::string prefix = std::string(name) + ": ";
        if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
        return std::nullopt;
      };
      if (auto v = field("id")) id = *v;
      if (auto v = field("event")) event = *v;
      if (auto v = field("data")) data += *v;
    }
    if (!id.empty()) last_id = id;
    if (data.empty() || event == "overflow" || event == "error") return;  // reconnects with last_id
    auto e = parse_json(data);
    if (!e.ok()) return;
    ended = tree.apply(*e);
    view.update(tree.tasks(), tree.state(), now_utc());
  }
};

// One SSE connection to the execution's events (from the start, or after
// follow.last_id); returns the HTTP status. `quiet_limit`: seconds without
// a byte before giving up on this connection.
long stream_events(const std::string& url, const std::string& id, const std::string& project, Follow& follow,
                   long quiet_limit) {
  std::string stream_url = url + "/v2/executions/" + id + "/events" + (follow.last_id.empty() ? "?from=0" : "");
  CURL* curl = curl_easy_init();
  curl_slist* h = headers_for(project, follow.last_id.empty() ? "" : "Last-Event-ID: " + follow.last_id);
  h = curl_slist_append(h, "Accept: text/event-stream");
  long status = 0;
  curl_easy_setopt(curl, CURLOPT_URL, stream_url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Follow::on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &follow);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Follow::on_tick);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &follow);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, quiet_limit);
  curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(h);
  curl_easy_cleanup(curl);
  return status;
}

// An ended execution whose events are no longer retained: its final view
// from the tasks the API shows (the root's tasks only).
void view_from_tasks(const std::string& url, const std::string& id, const std::string& project, const Value& ex,
                     Timestamp t0, ProgressView& view) {
  auto a = http_get(url + "/v2/executions/" + id + "/tasks", project);
  if (!a.ok() || a->status != 200) return;
  std::vector<storage::TaskExecution> tasks;
  auto list = parse_json(a->body);
  if (list.ok() && (*list)["tasks"].is_list()) {
    for (const auto& t : (*list)["tasks"].as_list()) {
      storage::TaskExecution r;
      r.id = text_of(t, "id");
      r.name = text_of(t, "name");
      r.state = state_of(t);
      if (t["state_info"].is_string()) r.state_info = t["state_info"].as_string();
      r.created_at = time_of(t, "created_at").value_or(t0);
      r.started_at = time_of(t, "started_at");
      r.finished_at = time_of(t, "finished_at").value_or(time_of(t, "updated_at").value_or(r.created_at));
      r.runtime_context = json_field(t, "runtime_context");
      tasks.push_back(std::move(r));
    }
  }
  view.update(tasks, state_of(ex), now_utc());
}

}  // namespace

int watch_main(const Args& args) {
  auto opts = parse_options(args, {"--url", "--project"}, {"--help"}, "watch");
  if (!opts.ok()) {
    std::fprintf(stderr, "bora watch: %s\n", opts.error().message.c_str());
    return 2;
  }
  if (opts->has("--help")) {
    std::fputs(kWatchHelp, stdout);
    return 0;
  }
  if (opts->positional.size() != 1) {
    std::fprintf(stderr, "bora watch: give one EXECUTION_ID; see 'bora watch --help'\n");
    return 2;
  }
  const std::string id = opts->positional[0];
  const char* env_url = std::getenv("BORA_URL");
  std::string url = opts->get("--url").value_or(env_url && *env_url ? env_url : "http://127.0.0.1:8989");
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.size() >= 3 && url.substr(url.size() - 3) == "/v2") url.resize(url.size() - 3);
  std::string project = opts->get("--project").value_or("");
  curl_global_init(CURL_GLOBAL_DEFAULT);

  auto get_execution = [&]() -> Result<Value> {
    auto a = http_get(url + "/v2/executions/" + id, project);
    if (!a.ok()) return a.error();
    if (a->status != 200) return Error{ErrorKind::NotFound, fault_text(*a)};
    return parse_json(a->body);
  };
  auto ex = get_execution();
  if (!ex.ok()) {
    std::fprintf(stderr, "bora watch: %s\n", ex.error().message.c_str());
    return 2;
  }
  std::string workflow = text_of(*ex, "workflow_name");
  Timestamp t0 = time_of(*ex, "created_at").value_or(now_utc());
  auto view = make_progress_view(stderr, workflow, t0);

  Tree tree(id);
  Follow follow{tree, *view, "", "", false};
  if (workflow_ended(state_of(*ex))) {
    // Over already: its retained events replayed (the whole tree) end at
    // once; without them, the tasks the API shows.
    stream_events(url, id, project, follow, 3);
    if (!follow.ended) view_from_tasks(url, id, project, *ex, t0, *view);
  } else {
    // Every retained event of the execution from the start, then live; on
    // a dropped connection, again after the last id received. Heartbeats
    // come every [api] event_stream_heartbeat s (15 by default).
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!follow.ended) {
      long status = stream_events(url, id, project, follow, 120);
      if (follow.ended) break;
      if (status == 404) {
        view->finish();
        std::fprintf(stderr, "bora watch: %s has no event stream (GET /v2/executions/%s/events: 404)\n", url.c_str(),
                     id.c_str());
        return 2;
      }
      if (status == 200) give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      if (std::chrono::steady_clock::now() > give_up) {
        view->finish();
        std::fprintf(stderr, "bora watch: lost the event stream of %s for 60 s; giving up\n", url.c_str());
        return 2;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  view->finish();
  auto final_ex = get_execution();
  if (!final_ex.ok()) {
    std::fprintf(stderr, "bora watch: %s\n", final_ex.error().message.c_str());
    return 2;
  }
  Timestamp end = time_of(*final_ex, "updated_at").value_or(t0);
  std::optional<std::string> info;
  if ((*final_ex)["state_info"].is_string()) info = (*final_ex)["state_info"].as_string();
  return report_outcome(workflow, state_of(*final_ex), json_field(*final_ex, "output"), info,
                        std::chrono::duration<double>(end - t0).count());
}

}  // namespace bora::cli
