// executor/std/http_action: std.http and std.mistral_http with libcurl,
// following what Mistral's HTTPAction does with python-requests: the same
// parameters, the same result dict, 4xx/5xx (any status outside 200..306)
// returned as the action's error, redirects followed only when asked.
// Unlike requests, only http:// and https:// are reached (no file://,
// gopher://, dict://, ..., not even through a redirect), and every
// connection obeys the operator's reach limits (executor/reach).
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/executor/action_limits.h"
#include "bora/executor/std_actions.h"
#include "curl_reach.h"

namespace bora::executor {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Text of a scalar parameter the way requests would send it.
std::string text_of(const Value& v) { return v.is_string() ? v.as_string() : python_str(v); }

std::string url_encode(CURL* curl, const std::string& s) {
  char* out = curl_easy_escape(curl, s.data(), static_cast<int>(s.size()));
  std::string r = out ? out : "";
  curl_free(out);
  return r;
}

// requests: a dict becomes k=v pairs (a list value repeats the key); a
// string is appended as given.
std::string query_string(CURL* curl, const Value& params) {
  if (params.is_string()) return params.as_string();
  std::string q;
  if (!params.is_dict()) return q;
  for (const auto& [k, v] : params.as_dict()) {
    // `&k = k`: clang 14 (the sanitizer build) cannot capture a structured binding.
    auto add = [&, &k = k](const Value& item) {
      if (item.is_null()) return;
      if (!q.empty()) q += '&';
      q += url_encode(curl, k) + "=" + url_encode(curl, text_of(item));
    };
    if (v.is_list()) {
      for (const auto& item : v.as_list()) add(item);
    } else {
      add(v);
    }
  }
  return q;
}

struct Response {
  std::string body;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // of the last response
  std::vector<std::pair<std::string, std::string>> cookies;
  const ActionRunContext* ctx = nullptr;
  size_t max_body = 0;     // [executor] http_max_response_kb, in bytes
  bool too_large = false;  // the body passed it: the transfer was stopped
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<Response*>(user);
  // A result is stored: a body past the operator's limit stops the
  // transfer rather than filling the server's memory.
  if (r->body.size() + size * n > r->max_body) {
    r->too_large = true;
    return 0;
  }
  r->body.append(data, size * n);
  return size * n;
}

std::string trim(std::string s) {
  auto ns = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), ns));
  s.erase(std::find_if(s.rbegin(), s.rend(), ns).base(), s.end());
  return s;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<Response*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after a redirect or a 100 Continue): start over.
    r->headers.clear();
    size_t sp1 = line.find(' ');
    size_t sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
    r->reason = sp2 == std::string::npos ? "" : trim(line.substr(sp2 + 1));
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "set-cookie") {
      std::string pair = value.substr(0, value.find(';'));
      size_t eq = pair.find('=');
      if (eq != std::string::npos) r->cookies.emplace_back(trim(pair.substr(0, eq)), trim(pair.substr(eq + 1)));
    }
    // requests joins repeated headers with ", ".
    auto it = std::find_if(r->headers.begin(), r->headers.end(), [&](const auto& h) {
      return std::equal(h.first.begin(), h.first.end(), lower.begin(), lower.end(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    });
    if (it != r->headers.end()) it->second += ", " + value;
    else r->headers.emplace_back(name, value);
  }
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* r = static_cast<Response*>(user);
  return r->ctx && r->ctx->should_stop() ? 1 : 0;
}

// requests.Response.encoding: the charset of Content-Type; text/* without
// one is ISO-8859-1; JSON is UTF-8; otherwise None.
Value encoding_of(const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    std::string lower_name = name;
    std::transform(lower_name.begin(), lower_name.end(), lower_name.begin(), ::tolower);
    if (lower_name != "content-type") continue;
    std::string v = value;
    std::string lower = v;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    size_t cs = lower.find("charset=");
    if (cs != std::string::npos) {
      std::string charset = trim(v.substr(cs + 8));
      charset = charset.substr(0, charset.find(';'));
      charset.erase(std::remove(charset.begin(), charset.end(), '"'), charset.end());
      charset.erase(std::remove(charset.begin(), charset.end(), '\''), charset.end());
      return Value(charset);
    }
    if (lower.find("text") != std::string::npos) return Value("ISO-8859-1");
    if (lower.find("application/json") != std::string::npos) return Value("utf-8");
  }
  return Value();
}

// A connection that could not be made, in the words of requests over
// urllib3 1.26 (Mistral's std.http under eventlet), so that a workflow's
// failure reads as Mistral's: the pool, host and port, the path, and the
// connection object's repr (an address made up per action execution).
std::optional<std::string> urllib3_connection_error(const std::string& url, bool unresolved,
                                                    const std::string& action_execution_id) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return std::nullopt;
  auto part = [&](CURLUPart which, unsigned flags = 0) -> std::string {
    char* text = nullptr;
    if (curl_url_get(u.get(), which, &text, flags) != CURLUE_OK || !text) return "";
    std::string out = text;
    curl_free(text);
    return out;
  };
  std::string scheme = part(CURLUPART_SCHEME), host = part(CURLUPART_HOST);
  std::string port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT), path = part(CURLUPART_PATH);
  std::string query = part(CURLUPART_QUERY);
  if (host.empty()) return std::nullopt;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (path.empty()) path = "/";
  if (!query.empty()) path += "?" + query;
  bool tls = scheme == "https";
  uint64_t h = std::hash<std::string>{}(action_execution_id + "urllib3") & 0xffffffffffULL;
  return fmt::format(
      "{}(host={}, port={}): Max retries exceeded with url: {} (Caused by NewConnectionError('<urllib3.connection.{} "
      "object at 0x7f{:010x}>: Failed to establish a new connection: {}'))",
      tls ? "HTTPSConnectionPool" : "HTTPConnectionPool", python_string_repr(host), port, path,
      tls ? "HTTPSConnection" : "HTTPConnection", h & ~0xfULL,
      unresolved ? "[Errno -2] Name or service not known" : "[Errno 111] ECONNREFUSED");
}

// requests' InvalidSchema: no adapter (it has http and https only).
std::string no_adapter(const std::string& url) {
  return fmt::format("Failed to send HTTP request: No connection adapters were found for {}", python_string_repr(url));
}

// The refusal of a URL whose scheme is not http or https, also where a
// redirect led: Mistral's words; the log says which rule.
std::string refused_scheme(const std::string& action, const std::string& url, const std::string& from = "") {
  log::warning("executor", "{} refused '{}'{}: it can only reach http:// and https:// URLs", action, url,
               from.empty() ? "" : " (redirected from '" + from + "')");
  return no_adapter(url);
}

// The value of the last response's Location header, if any.
std::string location_of(const Response& resp) {
  for (const auto& [name, value] : resp.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower == "location") return value;
  }
  return "";
}

ActionResult http_request(const std::string& action, const Value& input, const ActionRunContext& ctx,
                          const std::vector<std::pair<std::string, std::string>>& extra_headers,
                          bool raw_content = false) {
  global_init();
  const Value& body = input["body"];
  const Value& json = input["json"];
  if (body.truthy() && json.truthy())
    return ActionResult::raise("Only one of the parameters 'json' and 'body' can be passed");
  if (!input["url"].is_string() || input["url"].as_string().empty())
    return ActionResult::raise("Failed to send HTTP request: 'url' must be a non-empty string");

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return ActionResult::raise("Failed to send HTTP request: libcurl could not start");
  CURL* h = curl.get();

  std::string url = input["url"].as_string();
  // Said here in words; libcurl's protocol lists below are what enforce it.
  std::string scheme = url_scheme(url);
  if (!scheme.empty() && scheme != "http" && scheme != "https") return ActionResult::raise(refused_scheme(action, url));
  // A URL without a scheme or a host: requests' words, which Mistral's
  // std.http passes on (InvalidSchema for "host:port/x", MissingSchema,
  // InvalidURL); libcurl would guess http.
  if (scheme.empty()) {
    std::string lower = url;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (url.find(':') != std::string::npos && lower.rfind("http", 0) != 0) return ActionResult::raise(no_adapter(url));
    return ActionResult::raise(fmt::format(
        "Failed to send HTTP request: Invalid URL {}: No scheme supplied. Perhaps you meant http://{}?",
        python_string_repr(url), url));
  }
  if (size_t host = url.find("://"); host != std::string::npos && (host + 3 >= url.size() || url[host + 3] == '/' ||
                                                                   url[host + 3] == '?' || url[host + 3] == '#'))
    return ActionResult::raise(
        fmt::format("Failed to send HTTP request: Invalid URL {}: No host supplied", python_string_repr(url)));
  std::string q = query_string(h, input["params"]);
  if (!q.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + q;
  std::string method = input["method"].is_string() ? input["method"].as_string() : "GET";
  std::transform(method.begin(), method.end(), method.begin(), ::toupper);

  std::vector<std::string> header_lines;
  bool has_content_type = false, has_traceparent = false;
  if (input["headers"].is_dict()) {
    for (const auto& [k, v] : input["headers"].as_dict()) {
      std::string lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      has_content_type = has_content_type || lower == "content-type";
      has_traceparent = has_traceparent || lower == "traceparent";
      header_lines.push_back(k + ": " + text_of(v));
    }
  }
  for (const auto& [k, v] : extra_headers) header_lines.push_back(k + ": " + v);
  // W3C Trace Context: the called service joins the execution's trace, the
  // action's span as its parent. A traceparent the workflow set wins.
  if (!ctx.traceparent.empty() && !has_traceparent) {
    header_lines.push_back("traceparent: " + ctx.traceparent);
    if (!ctx.tracestate.empty()) header_lines.push_back("tracestate: " + ctx.tracestate);
  }

  // requests: data (Mistral's body; a dict already turned into JSON text)
  // wins; else json= is sent as JSON.
  // A text body is sent from the input's own string (libcurl reads it
  // where it is: CURLOPT_POSTFIELDS does not copy), so a large upload is
  // not held twice.
  std::string written;
  std::string_view payload;
  bool has_payload = false;
  if (body.truthy()) {
    if (body.is_string()) payload = body.as_string();
    else payload = written = body.is_dict() || body.is_list() ? to_json(body, JsonFormat::python()) : text_of(body);
    has_payload = true;
    // requests sets no Content-Type for text data; curl would say form-urlencoded.
    if (!has_content_type) header_lines.push_back("Content-Type:");
  } else if (!json.is_null()) {
    payload = written = to_json(json, JsonFormat::python());
    has_payload = true;
    if (!has_content_type) header_lines.push_back("Content-Type: application/json");
  }
  if (input["cookies"].is_dict()) {
    std::string cookie;
    for (const auto& [k, v] : input["cookies"].as_dict()) cookie += (cookie.empty() ? "" : "; ") + k + "=" + text_of(v);
    curl_easy_setopt(h, CURLOPT_COOKIE, cookie.c_str());
    // CURLOPT_COOKIE copies the string.
  }

  Response resp;
  resp.ctx = &ctx;
  resp.max_body = action_limits().http_max_response_bytes;
  CurlReach reach;
  restrict_curl(h, "http,https", reach);
  // A URL without a scheme is http, never a protocol libcurl would guess
  // from the host name (ftp.example.com).
  curl_easy_setopt(h, CURLOPT_DEFAULT_PROTOCOL, "http");
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &resp);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &resp);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // requests accepts gzip/deflate
  curl_easy_setopt(h, CURLOPT_USERAGENT, "bora std.http");
  if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (method != "GET" || has_payload) {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (has_payload) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.data());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
  for (const auto& line : header_lines) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (!grown) return ActionResult::raise("Failed to send HTTP request: out of memory");
    headers.release();
    headers.reset(grown);
  }
  if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  // auth: "user:password" (Mistral splits it) or [user, password].
  const Value& auth = input["auth"];
  std::string user, password;
  if (auth.is_string() && auth.as_string().find(':') != std::string::npos) {
    user = auth.as_string().substr(0, auth.as_string().find(':'));
    password = auth.as_string().substr(auth.as_string().find(':') + 1);
  } else if (auth.is_list() && auth.size() == 2) {
    user = text_of(auth.as_list()[0]);
    password = text_of(auth.as_list()[1]);
  }
  if (!user.empty() || !password.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, password.c_str());
  }
  const Value& timeout = input["timeout"];
  if (timeout.is_number()) {
    double s = timeout.is_int() ? static_cast<double>(timeout.as_int()) : timeout.as_double();
    if (s > 0) curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(s * 1000));
  }
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
  if (input["allow_redirects"].truthy()) {
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 30L);  // requests' limit
  }
  if (input["proxies"].is_dict()) {
    std::string scheme = url.substr(0, url.find(':'));
    if (const Value* p = input["proxies"].find(scheme); p && p->is_string())
      curl_easy_setopt(h, CURLOPT_PROXY, p->as_string().c_str());
  }
  // verify applies to https only (as in Mistral): false skips the check, a
  // string is a CA bundle path, anything else verifies.
  const Value& verify = input["verify"];
  if (verify.is_bool() && !verify.as_bool()) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (verify.is_string()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, verify.as_string().c_str());
  }

  auto started = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(h);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (rc != CURLE_OK) {
    if (rc == CURLE_ABORTED_BY_CALLBACK)
      return ActionResult::raise("std.http was stopped: the task timed out or the execution was cancelled");
    if (resp.too_large)
      return ActionResult::raise(fmt::format(
          "{}: the response of '{}' is larger than {} KiB, the most an action may read ([executor] "
          "http_max_response_kb); ask for less (a range, a page) or raise the option",
          action, url, resp.max_body / 1024));
    char* last = nullptr;
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &last);
    std::string attempted = last ? last : url;
    if (!reach.refused.empty())
      return ActionResult::raise(fmt::format("{} may not connect to '{}': {} (see docs/SECURITY.md)", action,
                                             attempted, reach.refused));
    if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
      // A Location header: a redirect led there; none: the URL itself.
      std::string target = location_of(resp);
      if (target.empty()) return ActionResult::raise(refused_scheme(action, url));
      return ActionResult::raise(refused_scheme(action, target, url));
    }
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
      if (auto words = urllib3_connection_error(attempted, rc == CURLE_COULDNT_RESOLVE_HOST, ctx.action_execution_id))
        return ActionResult::raise("Failed to send HTTP request: " + *words);
    return ActionResult::raise(fmt::format("Failed to send HTTP request: {} ({})", curl_easy_strerror(rc), url));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  char* effective = nullptr;
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);

  Value content;
  auto parsed = raw_content ? Result<Value>(Value()) : parse_json(resp.body);
  if (!raw_content && !resp.body.empty() && parsed.ok()) content = std::move(parsed).value();
  else content = Value(std::move(resp.body));  // a large download is not copied

  Dict header_dict, cookie_dict;
  for (const auto& [k, v] : resp.headers) header_dict.set(k, Value(v));
  for (const auto& [k, v] : resp.cookies) cookie_dict.set(k, Value(v));
  Dict result;
  result.set("content", content);
  result.set("status", Value(static_cast<int64_t>(status)));
  result.set("headers", Value(std::move(header_dict)));
  result.set("url", Value(std::string(effective ? effective : url)));
  result.set("history", Value(std::vector<Value>{}));
  result.set("encoding", encoding_of(resp.headers));
  result.set("reason", Value(resp.reason));
  result.set("cookies", Value(std::move(cookie_dict)));
  result.set("elapsed", Value(elapsed));
  Value out(std::move(result));
  if (status < 200 || status > 306) return ActionResult::failure(out);
  return ActionResult::success(out);
}

}  // namespace

ActionResult run_http(const Value& input, const ActionRunContext& ctx) {
  return http_request("std.http", input, ctx, {});
}

ActionResult http_request_as(const std::string& action, const Value& input, const ActionRunContext& ctx) {
  return http_request(action, input, ctx, {}, true);
}

ActionResult run_mistral_http(const Value& input, const ActionRunContext& ctx) {
  return http_request("std.mistral_http", input, ctx,
                      {{"Mistral-Workflow-Name", ctx.workflow_name},
                       {"Mistral-Workflow-Execution-Id", ctx.workflow_execution_id},
                       {"Mistral-Task-Id", ctx.task_execution_id},
                       {"Mistral-Action-Execution-Id", ctx.action_execution_id},
                       {"Mistral-Callback-URL", ctx.callback_url}});
}

}  // namespace bora::executor
