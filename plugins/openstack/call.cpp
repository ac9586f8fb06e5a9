#include "call.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>

#include "bora/plugin.h"
#include "manila_version.h"

namespace bora_openstack {

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The most pages a listing follows (glance's "next", swift's markers): a
// bound on one action's work, far above any real listing's page count.
constexpr int kMaxPages = 1000;

Answer ok(const Json& v) { return {BORA_RESULT_OK, dump(v)}; }
Answer raised(const std::string& message) {
  Doc d;
  Json s = str(message, d.GetAllocator());
  return {BORA_RESULT_RAISED, dump(s)};
}

std::string url_encode(const std::string& s, bool keep_slash) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string rename(const Operation& op, const std::string& param) {
  std::string_view r = op.renames;
  std::string key = param + "=";
  size_t at = 0;
  while ((at = r.find(key, at)) != std::string_view::npos) {
    if (at == 0 || r[at - 1] == ' ') {
      size_t end = r.find(' ', at);
      return std::string(r.substr(at + key.size(), end == std::string_view::npos ? end : end - at - key.size()));
    }
    at += key.size();
  }
  return param;
}

std::string random_uuid() {
  std::random_device rd;
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(rd());
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

// The text of a query value as the python clients send it.
void add_query(std::string& query, const std::string& key, const Json& v) {
  if (v.IsNull()) return;
  if (v.IsArray()) {
    for (const auto& item : v.GetArray()) add_query(query, key, item);
    return;
  }
  query += (query.empty() ? "" : "&") + url_encode(key, false) + "=" + url_encode(python_str(v), false);
}

// The client's error text for a failed response.
std::string http_error_text(const Service& service, const std::string& method, const std::string& url,
                            const Json& answer) {
  int status = get(answer, "status").GetInt();
  std::string reason = text(get(answer, "reason")), body = text(get(answer, "body"));
  const Json& headers = get(answer, "headers");
  if (std::strcmp(service.ns, "swift") == 0) {
    // python-swiftclient: "Object GET failed: <url> 404 Not Found  [first 60 bytes]"
    std::string kind = "Account";
    size_t slashes = 0;
    for (size_t i = url.find("/v1/"); i != std::string::npos && i < url.size(); i = url.find('/', i + 1)) ++slashes;
    if (slashes >= 4) kind = "Object";
    else if (slashes == 3) kind = "Container";
    std::string text_out = kind + " " + method + " failed: " + url + " " + std::to_string(status) + " " + reason;
    if (!body.empty()) text_out += "  " + body.substr(0, 60);
    return text_out;
  }
  std::string message;
  Doc parsed;
  if (!body.empty() && !parsed.Parse(body.c_str()).HasParseError() && parsed.IsObject()) {
    if (get(parsed, "message").IsString()) message = text(get(parsed, "message"));
    // WSME's faults (octavia, mistral): {"faultstring": ...}.
    if (message.empty() && get(parsed, "faultstring").IsString()) message = text(get(parsed, "faultstring"));
    // barbicanclient: "<title>: <description>".
    if (message.empty() && std::strcmp(service.ns, "barbican") == 0 && get(parsed, "title").IsString()) {
      message = text(get(parsed, "title"));
      if (get(parsed, "description").IsString()) message += ": " + text(get(parsed, "description"));
    }
    for (auto& m : parsed.GetObject()) {
      if (!message.empty()) break;
      if (get(m.value, "message").IsString()) message = text(get(m.value, "message"));
      else if (m.value.IsString() && std::string(m.name.GetString()) == "error_message") message = text(m.value);
    }
  }
  // tackerclient: the TackerError's message, then its detail on a new line.
  if (!message.empty() && parsed.IsObject() && get(get(parsed, "TackerError"), "detail").IsString() &&
      get(get(parsed, "TackerError"), "detail").GetStringLength() > 0)
    message += "\n" + text(get(get(parsed, "TackerError"), "detail"));
  if (message.empty()) message = body.empty() ? reason : body.substr(0, 200);
  std::string out = message + " (HTTP " + std::to_string(status) + ")";
  for (const char* h : {"x-openstack-request-id", "x-compute-request-id"}) {
    if (get(headers, h).IsString()) {
      out += " (Request-ID: " + text(get(headers, h)) + ")";
      break;
    }
  }
  return out;
}

// The endpoint's URL with the client's version path.
std::string service_base(const Service& service, std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::string suffix = service.version_suffix;
  if (!suffix.empty() && url.find(suffix + "/") == std::string::npos &&
      (url.size() < suffix.size() || url.compare(url.size() - suffix.size(), suffix.size(), suffix) != 0))
    url += suffix;
  return url;
}

// What a null parameter becomes in the body, by the row's `nulls`: sent
// as null ("param", or "*" for every one), replaced ("param={}"), or left
// out (false).
bool null_in_body(const Operation& op, const std::string& param, Json& value, Alloc& a) {
  std::string_view rules = op.nulls;
  bool keep = false;
  size_t start = 0;
  while (start < rules.size()) {
    size_t end = rules.find(' ', start);
    if (end == std::string_view::npos) end = rules.size();
    std::string_view rule = rules.substr(start, end - start);
    start = end + 1;
    size_t eq = rule.find('=');
    if (rule.substr(0, eq) == param && eq != std::string_view::npos) {
      Doc replacement;
      replacement.Parse(rule.data() + eq + 1, rule.size() - eq - 1);
      value.CopyFrom(replacement, a);
      return true;
    }
    if (rule == "*" || rule == param) keep = true;
  }
  return keep;
}

// A "$param" template filled with the input's values (null ones as the
// row's `nulls` says).
void fill(Json& node, const Json& input, const Operation& op, Alloc& a) {
  if (node.IsObject()) {
    std::vector<std::string> dropped;
    for (auto& m : node.GetObject()) {
      if (m.value.IsString() && m.value.GetString()[0] == '$') {
        std::string param = m.value.GetString() + 1;
        const Json& v = get(input, param);
        if (!v.IsNull()) m.value.CopyFrom(v, a);
        else if (m.value.SetNull(); !null_in_body(op, param, m.value, a)) dropped.emplace_back(m.name.GetString());
      } else {
        fill(m.value, input, op, a);
      }
    }
    for (const auto& d : dropped) node.RemoveMember(d.c_str());
  } else if (node.IsArray()) {
    for (auto& x : node.GetArray()) fill(x, input, op, a);
  }
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// user_data travels base64-encoded (OpenSSL's encoder: the pack links no
// Bora library, and libcrypto is already in every Bora install).
std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// novaclient's _boot: the body of POST /servers.
void nova_server_body(const Json& in, Json& server, Alloc& a) {
  server.AddMember("name", Json(get(in, "name"), a), a);
  server.AddMember("imageRef", str(truthy(get(in, "image")) ? id_of(get(in, "image")) : "", a), a);
  server.AddMember("flavorRef", str(id_of(get(in, "flavor")), a), a);
  if (truthy(get(in, "userdata"))) server.AddMember("user_data", str(base64(python_str(get(in, "userdata"))), a), a);
  if (truthy(get(in, "meta"))) server.AddMember("metadata", Json(get(in, "meta"), a), a);
  if (truthy(get(in, "reservation_id"))) server.AddMember("return_reservation_id", Json(get(in, "reservation_id"), a), a);
  // These only when set (novaclient tests them for truth: "" and [] are
  // not sent either); nothing of servers.create is sent as null.
  for (const char* k : {"key_name", "availability_zone", "config_drive", "description", "tags",
                        "trusted_image_certificates", "host", "hypervisor_hostname", "hostname"})
    if (truthy(get(in, k))) server.AddMember(str(k, a), Json(get(in, k), a), a);
  if (truthy(get(in, "admin_pass"))) server.AddMember("adminPass", Json(get(in, "admin_pass"), a), a);
  if (truthy(get(in, "block_device_mapping"))) {
    server.AddMember("block_device_mapping", Json(get(in, "block_device_mapping"), a), a);
  } else if (get(in, "block_device_mapping_v2").IsArray() && truthy(get(in, "block_device_mapping_v2"))) {
    // With an image too, the image becomes the first (boot) device.
    Json bdms(rapidjson::kArrayType);
    if (truthy(get(in, "image"))) {
      Json boot(rapidjson::kObjectType);
      boot.AddMember("uuid", str(id_of(get(in, "image")), a), a);
      boot.AddMember("source_type", "image", a);
      boot.AddMember("destination_type", "local", a);
      boot.AddMember("boot_index", 0, a);
      boot.AddMember("delete_on_termination", true, a);
      bdms.PushBack(boot, a);
    }
    for (const auto& bdm : get(in, "block_device_mapping_v2").GetArray()) bdms.PushBack(Json(bdm, a), a);
    server.AddMember("block_device_mapping_v2", bdms, a);
  }
  const Json& min = get(in, "min_count");
  const Json& max = get(in, "max_count");
  int64_t min_count = truthy(min) && min.IsInt64() ? min.GetInt64() : 1;
  int64_t max_count = truthy(max) && max.IsInt64() ? max.GetInt64() : min_count;
  if (min_count > max_count) min_count = max_count;
  server.AddMember("min_count", min_count, a);
  server.AddMember("max_count", max_count, a);
  if (get(in, "security_groups").IsArray()) {
    Json groups(rapidjson::kArrayType);
    for (const auto& g : get(in, "security_groups").GetArray()) {
      Json one(rapidjson::kObjectType);
      one.AddMember("name", str(id_of(g), a), a);
      groups.PushBack(one, a);
    }
    server.AddMember("security_groups", groups, a);
  }
  const Json& nics = get(in, "nics");
  if (nics.IsString()) {
    server.AddMember("networks", Json(nics, a), a);  // "auto" or "none"
  } else if (nics.IsArray()) {
    Json networks(rapidjson::kArrayType);
    for (const auto& nic : nics.GetArray()) {
      Json net(rapidjson::kObjectType);
      const std::pair<const char*, const char*> fields[] = {
          {"net-id", "uuid"}, {"port-id", "port"}, {"v4-fixed-ip", "fixed_ip"}, {"v6-fixed-ip", "fixed_ip"}, {"tag", "tag"}};
      for (const auto& [from, to] : fields)
        if (truthy(get(nic, from)) && !net.HasMember(to)) net.AddMember(str(to, a), Json(get(nic, from), a), a);
      networks.PushBack(net, a);
    }
    server.AddMember("networks", networks, a);
  }
  if (!get(in, "disk_config").IsNull()) server.AddMember("OS-DCF:diskConfig", Json(get(in, "disk_config"), a), a);
  if (!get(in, "access_ip_v4").IsNull()) server.AddMember("accessIPv4", Json(get(in, "access_ip_v4"), a), a);
  if (!get(in, "access_ip_v6").IsNull()) server.AddMember("accessIPv6", Json(get(in, "access_ip_v6"), a), a);
}

// The microversion headers: the service's own (bare value), and the
// generic OpenStack-API-Version ("compute 2.60") that newer services read.
void add_microversion(const Service& service, const std::string& version, Headers& headers) {
  std::string generic = std::string(service.microversion_prefix) + version;
  if (std::strcmp(service.microversion_header, "OpenStack-API-Version") == 0) {
    headers.push_back({"OpenStack-API-Version", generic});
    return;
  }
  headers.push_back({service.microversion_header, version});
  headers.push_back({"OpenStack-API-Version", generic});
}

struct Request {
  std::string method, path, query;
  Headers headers;
  bool has_body = false;
  std::string body;
  // A body sent as the caller gave it (an object's contents, an image's
  // data): the input's own string, sent from there without a copy.
  const Json* raw_body = nullptr;
  bool follow_redirects = false;

  std::string_view payload() const {
    return raw_body ? std::string_view(raw_body->GetString(), raw_body->GetStringLength()) : std::string_view(body);
  }
};

// Items of a list response whose fields equal every search term.
void find_matches(const Json& items, const Json& terms, Json& out, Alloc& a) {
  if (!items.IsArray()) return;
  for (const auto& item : items.GetArray()) {
    bool all = true;
    for (const auto& t : terms.GetObject()) {
      const Json& field = get(item, std::string_view(t.name.GetString(), t.name.GetStringLength()));
      if (!item.HasMember(t.name) || field != t.value) all = false;
    }
    if (all) out.PushBack(Json(item, a), a);
  }
}

// tackerclient's listings shorten what a table would not show: a VNFD's
// description to 25 characters, a VNF's error_reason to 100, then "...".
void tacker_shorten(Doc& listing) {
  auto& a = listing.GetAllocator();
  const std::pair<const char*, std::pair<const char*, size_t>> rules[] = {{"vnfds", {"description", 25}},
                                                                          {"vnfs", {"error_reason", 100}}};
  for (const auto& [collection, rule] : rules) {
    if (!get(listing, collection).IsArray()) continue;
    for (auto& item : listing[collection].GetArray()) {
      if (!item.IsObject() || !get(item, rule.first).IsString()) continue;
      std::string value = text(get(item, rule.first));
      // Python counts characters, not bytes: cut at a UTF-8 character boundary.
      size_t chars = 0, at = 0;
      while (at < value.size() && chars < rule.second) {
        ++chars;
        ++at;
        while (at < value.size() && (static_cast<unsigned char>(value[at]) & 0xC0) == 0x80) ++at;
      }
      if (at < value.size()) item[rule.first] = str(value.substr(0, at) + "...", a);
    }
  }
}

// oslo's is_uuid_like, which designateclient's name lookups use: 32 hex
// digits once "urn:", "uuid:", braces and dashes are taken away.
bool uuid_like(std::string s) {
  for (const char* prefix : {"urn:", "uuid:"})
    for (size_t at; (at = s.find(prefix)) != std::string::npos;) s.erase(at, std::strlen(prefix));
  while (!s.empty() && (s.front() == '{' || s.front() == '}')) s.erase(0, 1);
  while (!s.empty() && (s.back() == '{' || s.back() == '}')) s.pop_back();
  size_t hex = 0;
  for (char c : s) {
    if (c == '-') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    ++hex;
  }
  return hex == 32;
}

// The hex digest of data by OpenSSL's name for the algorithm; empty when
// OpenSSL has no such algorithm.
std::string hex_digest(const std::string& algorithm, std::string_view data) {
  const EVP_MD* md = EVP_get_digestbyname(algorithm.c_str());
  if (!md) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!EVP_Digest(data.data(), data.size(), digest, &size, md, nullptr)) return "";
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

// glanceclient's images.data checks what it downloaded (its integrity
// iterators): the image's os_hash_value by os_hash_algo, else (or with
// allow_md5_fallback when the algorithm is unknown) the MD5 checksum of
// the image or of the Content-MD5 header. Empty when it holds; else the
// client's error text.
std::string glance_check(const Json& meta, const Json& headers, std::string_view data, bool allow_md5_fallback) {
  bool check_md5 = true;
  const Json& hash_value = get(meta, "os_hash_value");
  if (hash_value.IsString()) {
    // Python's hashlib names (sha512, sha3_512) are OpenSSL's with dashes.
    std::string algo = text(get(meta, "os_hash_algo"));
    std::string openssl_name = algo;
    for (auto& c : openssl_name) c = c == '_' ? '-' : c;
    std::string got = hex_digest(openssl_name, data);
    if (!got.empty()) {
      if (got != text(hash_value))
        return "[Errno 32] Corrupt image download. Hash was " + got + " expected " + text(hash_value);
      check_md5 = false;
    } else if (!allow_md5_fallback) {
      return "unsupported hash type " + algo;
    }
  }
  if (!check_md5) return "";
  std::string expected = text(get(meta, "checksum"));
  if (expected.empty()) expected = text(get(headers, "content-md5"));
  if (expected.empty()) return "";  // nothing to check against: the legacy behaviour
  std::string got = hex_digest("md5", data);
  if (got != expected) return "[Errno 32] Corrupt image download. Checksum was " + got + " expected " + expected;
  return "";
}

// One GET whose JSON answer the action needs before its own request (a
// name lookup, the zone of a record). False with `error` set (the client's
// text) when it fails.
bool fetch_json(Session& session, const Service& service, const std::string& url, const Headers& headers, Doc& out,
                std::string& error) {
  Doc got;
  session.http("GET", url, headers, nullptr, got);
  if (get(got, "error").IsString()) {
    error = text(get(got, "error"));
    return false;
  }
  int status = get(got, "status").IsInt() ? get(got, "status").GetInt() : 0;
  if (status < 200 || status >= 300) {
    error = http_error_text(service, "GET", url, got);
    return false;
  }
  if (out.Parse(text(get(got, "body")).c_str()).HasParseError()) out.SetNull();
  return true;
}

// A query string as (key, value) pairs, values left encoded.
std::vector<std::pair<std::string, std::string>> query_pairs(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string item = query.substr(start, end - start);
    size_t eq = item.find('=');
    if (!item.empty()) out.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

}  // namespace

Answer run_operation(const Operation& op, const Json& input, Session& session) {
  const Service& service = *service_of(op);
  const std::string failed = std::string(op.client_method) + "." + op.client_method + " failed: ";
  if (!session.problem().empty()) return raised(failed + session.problem());
  Endpoint ep = session.endpoint(service.types, text(get(input, "action_region")), service.ns);
  if (!ep.error.empty()) return raised(failed + ep.error);
  std::string base = service_base(service, ep.url);
  std::string special = op.special;

  Doc doc;
  auto& a = doc.GetAllocator();
  // Parameters still to place, in the input's order. Strings are
  // referenced, not copied (the input outlives the call; RapidJSON's copies
  // keep references as references): an object's contents or an image's
  // data is not duplicated on its way to the request.
  Json rest(rapidjson::kObjectType);
  for (const auto& m : input.GetObject()) {
    std::string name = m.name.GetString();
    if (name == "action_region") continue;
    Json value = m.value.IsString()
                     ? Json(rapidjson::StringRef(m.value.GetString(), m.value.GetStringLength()))
                     : Json(m.value, a);
    rest.AddMember(Json(m.name, a), value, a);
  }
  auto take = [&](const char* name) {
    Json v;
    if (rest.HasMember(name)) {
      v.CopyFrom(rest[name], a);
      rest.RemoveMember(name);
    }
    return v;
  };

  Request req;
  req.method = op.method;
  std::string path = op.path;
  for (const char* flag : {"detailed", "detail"}) {
    if (!rest.HasMember(flag)) continue;
    Json v = take(flag);
    if (truthy(v) && *op.detail_path) path = op.detail_path;
  }
  if (special == "keystone_projects" && truthy(get(rest, "user"))) {
    path = "/users/" + url_encode(id_of(get(rest, "user")), false) + "/projects";
    take("user");
  }
  bool zone_by_name = false;  // designate: the zone was named, and looked up
  // {param} in the path: the parameter's id.
  for (size_t open; (open = path.find('{')) != std::string::npos;) {
    size_t close = path.find('}', open);
    std::string name = path.substr(open + 1, close - open - 1);
    Json v = take(name.c_str());
    if (v.IsNull() && name == "volume_id") v = take("attachment_id");
    if (v.IsNull()) return raised(failed + "the parameter '" + name + "' is needed (it is part of the URL)");
    std::string id = id_of(v);
    // barbicanclient takes references: the entity's URL, whose last
    // segment is its id (a bare id is taken as well).
    if ((special == "barbican_ref" || special == "barbican_retrieve") && id.rfind('/') != std::string::npos)
      id = id.substr(id.rfind('/') + 1);
    // designateclient's resolve_by_name: a zone or recordset that is not
    // a UUID is a name, looked up with ?name= in the zone listing (or the
    // zone's recordsets): exactly one match gives its id.
    if (std::strcmp(service.ns, "designate") == 0 && (name == "zone" || name == "recordset") && !uuid_like(id)) {
      std::string list_path = name == "zone" ? "/zones" : path.substr(0, open - 1);
      std::string list_url = base + list_path + "?name=" + url_encode(id, false);
      Doc found;
      std::string error;
      if (!fetch_json(session, service, list_url, {{"X-Auth-Token", session.token()}, {"Accept", "application/json"}},
                      found, error))
        return raised(failed + error);
      const Json& items = get(found, name == "zone" ? "zones" : "recordsets");
      size_t count = items.IsArray() ? items.Size() : 0;
      if (count == 0) return raised(failed + "Name " + id + " didn't resolve");
      if (count > 1) return raised(failed + "Multiple matches found for " + id + ", please use ID instead.");
      id = text(get(items[0], "id"));
      if (name == "zone") zone_by_name = true;
    }
    path.replace(open, close - open + 1, url_encode(id, std::strcmp(service.ns, "swift") == 0 && name == "obj"));
  }
  take("attachment_id");

  // Headers every call carries.
  req.headers.push_back({"X-Auth-Token", session.token()});
  req.headers.push_back({"Accept", "application/json"});
  std::string microversion = *op.microversion ? op.microversion : service.default_microversion;
  if (rest.HasMember("os_ironic_api_version")) {
    Json v = take("os_ironic_api_version");
    if (v.IsString()) microversion = text(v);
  }
  if (rest.HasMember("global_request_id")) {
    Json v = take("global_request_id");
    if (v.IsString()) req.headers.push_back({"X-OpenStack-Request-ID", text(v)});
  }
  if (std::strcmp(service.ns, "manila") == 0) {
    // ManilaAction's client discovers its version first: GET the root with
    // the client's highest version, then the highest both serve.
    Headers probe = req.headers;
    add_microversion(service, kManilaClientMax, probe);
    std::string versions_url = manila_versions_url(base);
    Doc got;
    session.http("GET", versions_url, probe, nullptr, got);
    if (get(got, "error").IsString()) return raised(failed + text(get(got, "error")));
    int status = get(got, "status").IsInt() ? get(got, "status").GetInt() : 0;
    // The root answers 300 Multiple Choices (a list of versions); only an
    // error status fails, as in manilaclient.
    if (status < 200 || status >= 400) return raised(failed + http_error_text(service, "GET", versions_url, got));
    Doc versions;
    if (versions.Parse(text(get(got, "body")).c_str()).HasParseError()) versions.SetNull();
    std::string error;
    microversion = manila_negotiate(versions, error);
    if (!error.empty()) return raised(failed + error);
  }
  if (*service.microversion_header && !microversion.empty()) add_microversion(service, microversion, req.headers);
  if (service.needs_client_id) req.headers.push_back({"Client-ID", random_uuid()});

  // Per-method adjustments that a row cannot say.
  Json body_value;  // set when the body is JSON
  if (special == "swift" || special == "swift_listing" || special == "swift_put" || special == "swift_copy") {
    Json h = take("headers");
    if (h.IsObject())
      for (const auto& m : h.GetObject()) req.headers.push_back({m.name.GetString(), python_str(m.value)});
    Json qs = take("query_string");
    if (qs.IsString()) req.query = text(qs);
    take("response_dict");
    take("resp_chunk_size");
    Json fresh = take("fresh_metadata");
    if (fresh.IsBool()) req.headers.push_back({"X-Fresh-Metadata", fresh.GetBool() ? "true" : "false"});
  }
  if (special == "swift_listing") {
    take("full_listing");
    add_query(req.query, "format", Json("json"));
  }
  if (special == "swift_put") {
    Json contents = take("contents");
    req.has_body = true;
    if (get(input, "contents").IsString()) req.raw_body = &get(input, "contents");
    else req.body = dump(contents);
    Json ct = take("content_type");
    if (ct.IsString()) req.headers.push_back({"Content-Type", text(ct)});
    Json etag = take("etag");
    if (etag.IsString()) req.headers.push_back({"ETag", text(etag)});
    take("content_length");
    take("chunk_size");
  }
  if (special == "swift_copy") {
    Json dest = take("destination");
    std::string container_obj = path;
    req.headers.push_back({"Destination", dest.IsString() ? text(dest) : container_obj});
  }
  if (special == "nova_server_create") {
    Json server(rapidjson::kObjectType);
    nova_server_body(input, server, a);
    body_value.SetObject();
    body_value.AddMember("server", server, a);
    if (truthy(get(input, "scheduler_hints")))
      body_value.AddMember("os:scheduler_hints", Json(get(input, "scheduler_hints"), a), a);
    rest.SetObject();
  }
  if (special == "flavor_auto_id" && text(get(rest, "flavorid")) == "auto") {
    // novaclient: "auto" asks nova to choose the id (sent as null).
    rest["flavorid"].SetNull();
  }
  if (special == "nova_server_update") {
    // novaclient's servers.update: nothing given, nothing sent (None); a
    // name or hostname only when set; a description of "" clears it (null).
    Json name = take("name"), description = take("description"), hostname = take("hostname");
    if (name.IsNull() && description.IsNull() && hostname.IsNull()) return ok(Json());
    Json server(rapidjson::kObjectType);
    if (truthy(name)) server.AddMember("name", name, a);
    if (description.IsString() && description.GetStringLength() == 0) server.AddMember("description", Json(), a);
    else if (truthy(description)) server.AddMember("description", description, a);
    if (truthy(hostname)) server.AddMember("hostname", hostname, a);
    body_value.SetObject();
    body_value.AddMember("server", server, a);
    rest.SetObject();
  }
  if (special == "flavor_list") {
    Json pub = take("is_public");
    if (pub.IsNull()) add_query(req.query, "is_public", Json("None"));
    else if (!pub.IsBool() || !pub.GetBool()) add_query(req.query, "is_public", pub);
  }
  if (special == "drop_false") {
    std::vector<std::string> off;
    for (const auto& m : rest.GetObject())
      if (m.value.IsBool() && !m.value.GetBool()) off.emplace_back(m.name.GetString());
    for (const auto& k : off) rest.RemoveMember(k.c_str());
  }
  if (special == "neutron_list" || special == "tacker_list") take("retrieve_all");
  if (special == "barbican_ref") {
    // barbicanclient's listings send limit and offset always, bits only
    // when positive, the algorithm as "alg".
    Json bits = take("bits");
    take("payload_content_type");  // the payload's Accept; the metadata is JSON
    if (bits.IsInt64() && bits.GetInt64() > 0) add_query(req.query, "bits", bits);
  }
  if (special == "barbican_store") {
    // Secret.store(): the fields that are set; a text payload is text/plain.
    const Json& payload = get(input, "payload");
    if (!payload.IsNull() && !payload.IsString()) return raised(failed + "Invalid Payload Type");
    if (payload.IsString() && payload.GetStringLength() == 0)
      return raised(failed + "Invalid Payload: Cannot Be Empty String");
    body_value.SetObject();
    for (const char* k : {"name", "algorithm", "bit_length", "secret_type", "mode", "expiration", "payload"})
      if (!get(input, k).IsNull()) body_value.AddMember(str(k, a), Json(get(input, k), a), a);
    if (get(input, "payload").IsString()) body_value.AddMember("payload_content_type", "text/plain", a);
    rest.SetObject();
  }
  if (special == "barbican_container") {
    // containers.create(name, secrets) then store(): a generic container
    // of the named secrets (names in lower case, as the client keeps
    // them), each given by its reference (or a secret dict with one).
    body_value.SetObject();
    if (!get(input, "name").IsNull()) body_value.AddMember("name", Json(get(input, "name"), a), a);
    body_value.AddMember("type", "generic", a);
    Json refs(rapidjson::kArrayType);
    const Json& secrets = get(input, "secrets");
    if (!secrets.IsNull() && !secrets.IsObject())
      return raised(failed + "One or more of the provided secrets are not valid Secret objects!");
    std::set<std::string> names;
    if (secrets.IsObject())
      for (const auto& m : secrets.GetObject()) {
        std::string ref = m.value.IsString() ? text(m.value) : text(get(m.value, "secret_ref"));
        if (ref.empty()) return raised(failed + "One or more of the provided secrets are not valid Secret objects!");
        std::string name = lower(m.name.GetString());
        if (!names.insert(name).second)
          return raised(failed + "One or more of the provided secrets are not valid Secret objects!");
        Json one(rapidjson::kObjectType);
        one.AddMember("name", str(name, a), a);
        one.AddMember("secret_ref", str(ref, a), a);
        refs.PushBack(one, a);
      }
    body_value.AddMember("secret_refs", refs, a);
    rest.SetObject();
  }
  if (special == "barbican_order") {
    // orders.create(type, **kwargs) then submit(): {"type", "meta"}, the
    // meta holding the order class's fields that are set, in its order.
    std::string type = lower(text(get(input, "type")));
    if (type.empty()) return raised(failed + "No Order type provided");
    struct OrderClass {
      const char* type;
      const char* name;
      std::vector<std::pair<const char*, const char*>> meta;  // parameter -> meta key
      std::vector<const char*> other;  // accepted, not sent
    };
    static const std::vector<OrderClass> classes = {
        {"key", "KeyOrder", {{"name", "name"}, {"algorithm", "algorithm"}, {"bit_length", "bit_length"},
                             {"expiration", "expiration"}, {"payload_content_type", "payload_content_type"},
                             {"mode", "mode"}}, {}},
        {"asymmetric", "AsymmetricOrder", {{"name", "name"}, {"algorithm", "algorithm"}, {"bit_length", "bit_length"},
                                           {"expiration", "expiration"},
                                           {"payload_content_type", "payload_content_type"},
                                           {"passphrase", "pass_phrase"}, {"pass_phrase", "pass_phrase"}}, {"mode"}},
        {"certificate", "CertificateOrder", {{"name", "name"}, {"request_type", "request_type"},
                                             {"subject_dn", "subject_dn"}, {"source_container_ref", "container_ref"},
                                             {"ca_id", "ca_id"}, {"profile", "profile"},
                                             {"request_data", "request_data"}, {"requestor_name", "requestor_name"},
                                             {"requestor_email", "requestor_email"},
                                             {"requestor_phone", "requestor_phone"}}, {}},
    };
    const OrderClass* cls = nullptr;
    for (const auto& c : classes)
      if (type == c.type) cls = &c;
    if (!cls) return raised(failed + "Unknown Order type \"" + text(get(input, "type")) + "\"");
    take("type");
    for (const auto& m : rest.GetObject()) {
      std::string k = m.name.GetString();
      bool known = false;
      for (const auto& [param, key] : cls->meta) known = known || k == param;
      for (const char* o : cls->other) known = known || k == o;
      if (!known) return raised(failed + cls->name + ".__init__() got an unexpected keyword argument '" + k + "'");
    }
    Json meta(rapidjson::kObjectType);
    for (const auto& [param, key] : cls->meta) {
      const Json& v = get(rest, param);
      // passphrase wins over pass_phrase; a mode or pass phrase only when set.
      if (v.IsNull() || meta.HasMember(key)) continue;
      if ((std::strcmp(key, "mode") == 0 || std::strcmp(key, "pass_phrase") == 0) && !truthy(v)) continue;
      meta.AddMember(str(key, a), Json(v, a), a);
    }
    body_value.SetObject();
    body_value.AddMember("type", str(cls->type, a), a);
    body_value.AddMember("meta", meta, a);
    rest.SetObject();
  }
  if (special == "tacker_vnfd") {
    // tackerclient's create_vnfd marks the template as a VNFD.
    if (rest.HasMember("body") && rest["body"].IsObject() && get(rest["body"], "vnfd").IsObject()) {
      Json& body = rest["body"];
      Json types(rapidjson::kArrayType);
      Json one(rapidjson::kObjectType);
      one.AddMember("service_type", "vnfd", a);
      types.PushBack(one, a);
      body["vnfd"].RemoveMember("service_types");
      body["vnfd"].AddMember("service_types", types, a);
    }
  }
  if (special == "designate_zone") {
    // designateclient's zones.create: PRIMARY unless said; email and ttl
    // belong to a primary zone, masters to a secondary one.
    Json type = take("type_");
    std::string t = truthy(type) ? text(type) : "PRIMARY";
    body_value.SetObject();
    body_value.AddMember("name", Json(get(input, "name"), a), a);
    body_value.AddMember("type", str(t, a), a);
    if (t == "PRIMARY" && truthy(get(input, "email"))) body_value.AddMember("email", Json(get(input, "email"), a), a);
    if (t == "PRIMARY" && !get(input, "ttl").IsNull()) body_value.AddMember("ttl", Json(get(input, "ttl"), a), a);
    if (t == "SECONDARY" && truthy(get(input, "masters")))
      body_value.AddMember("masters", Json(get(input, "masters"), a), a);
    for (const char* k : {"description", "attributes"})
      if (!get(input, k).IsNull()) body_value.AddMember(str(k, a), Json(get(input, k), a), a);
    rest.SetObject();
  }
  if (special == "designate_delete" && truthy(take("delete_shares")))
    req.headers.push_back({"X-Designate-Delete-Shares", "true"});
  if (special == "designate_recordset" && get(rest, "name").IsString()) {
    // designateclient completes a name without the final dot with the
    // zone's name ("www" -> "www.example.org."), reading the zone first;
    // a zone given by name is read in any case (zones.get).
    std::string name = text(get(rest, "name"));
    bool relative = name.empty() || name.back() != '.';
    if (relative || zone_by_name) {
      std::string zone_path = path.substr(0, path.rfind("/recordsets"));
      Doc zone;
      std::string error;
      if (!fetch_json(session, service, base + zone_path, req.headers, zone, error)) return raised(failed + error);
      if (relative) rest["name"] = str(name + "." + text(get(zone, "name")), a);
    }
  }
  if (special == "manila_list") {
    // manilaclient: sort_key and sort_dir join the search options; those
    // that are set go in the query, sorted by name.
    Json opts = take("search_opts");
    std::vector<std::pair<std::string, Json>> sorted;
    if (opts.IsObject())
      for (auto& m : opts.GetObject())
        if (truthy(m.value)) sorted.emplace_back(m.name.GetString(), Json(m.value, a));
    for (const char* k : {"sort_key", "sort_dir"}) {
      Json v = take(k);
      if (truthy(v)) sorted.emplace_back(k, Json(v, a));
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [k, v] : sorted) add_query(req.query, k, v);
  }
  if (special == "manila_share_create" || special == "manila_snapshot_create") {
    // The client's body has every field, the unset ones null.
    bool share = special == "manila_share_create";
    Json fields(rapidjson::kObjectType);
    auto put = [&](const char* key, const Json& v) { fields.AddMember(str(key, a), Json(v, a), a); };
    auto put_id = [&](const char* key, const Json& v) {
      if (v.IsNull()) put(key, v);
      else fields.AddMember(str(key, a), str(id_of(v), a), a);
    };
    auto or_empty = [&](const char* key) {
      if (get(input, key).IsNull()) fields.AddMember(str(key, a), Json(rapidjson::kObjectType), a);
      else put(key, get(input, key));
    };
    if (share) {
      for (const char* k : {"size", "snapshot_id", "name", "description"}) put(k, get(input, k));
      or_empty("metadata");
      put("share_proto", get(input, "share_proto"));
      put_id("share_network_id", get(input, "share_network"));
      put_id("share_type", get(input, "share_type"));
      put("is_public", get(input, "is_public"));
      put("availability_zone", get(input, "availability_zone"));
      or_empty("scheduler_hints");
      if (truthy(get(input, "share_group_id"))) put("share_group_id", get(input, "share_group_id"));
    } else {
      put_id("share_id", get(input, "share"));
      for (const char* k : {"force", "name", "description"}) put(k, get(input, k));
    }
    body_value.SetObject();
    body_value.AddMember(Json(rapidjson::StringRef(share ? "share" : "snapshot")), fields, a);
    rest.SetObject();
  }
  if (special == "manila_update" && rest.ObjectEmpty()) return ok(Json());  // nothing to change: not sent
  if (special == "manila_network_update") {
    // "" clears a field (null); the nulls the caller left are not sent.
    std::vector<std::string> unset;
    for (auto& m : rest.GetObject()) {
      if (m.value.IsNull()) unset.emplace_back(m.name.GetString());
      else if (m.value.IsString() && m.value.GetStringLength() == 0) m.value.SetNull();
    }
    for (const auto& k : unset) rest.RemoveMember(k.c_str());
    if (rest.ObjectEmpty()) return raised(failed + "Must specify fields to be updated");
    body_value.SetObject();
    body_value.AddMember("share_network", Json(rest, a), a);
    rest.SetObject();
  }
  if (special == "drop_falsy") {
    // Fields the client sends only when they are set (not "", not null).
    std::vector<std::string> unset;
    for (const auto& m : rest.GetObject())
      if (!truthy(m.value)) unset.emplace_back(m.name.GetString());
    for (const auto& k : unset) rest.RemoveMember(k.c_str());
  }
  if (special == "criterion") {
    Json criterion = take("criterion");
    if (criterion.IsObject())
      for (const auto& m : criterion.GetObject()) add_query(req.query, m.name.GetString(), m.value);
  }
  if (special == "drop_empty") {
    // mistralclient leaves out the parameters it was given as "".
    std::vector<std::string> empty;
    for (const auto& m : rest.GetObject())
      if (m.value.IsString() && m.value.GetStringLength() == 0) empty.emplace_back(m.name.GetString());
    for (const auto& k : empty) rest.RemoveMember(k.c_str());
  }
  if (special == "mistral_json_fields" || special == "mistral_execution") {
    // Mistral's API takes these fields as JSON text (mistralclient dumps
    // dicts it is given).
    for (const char* field : {"variables", "workflow_input", "params"}) {
      if (!rest.HasMember(field) || rest[field].IsString() || rest[field].IsNull()) continue;
      std::string dumped = dump(rest[field]);
      rest[field] = str(dumped, a);
    }
  }
  if (special == "mistral_execution") {
    // executions.create: the identifier is a workflow id (a UUID) or name.
    Json id = take("wf_identifier");
    std::string ident = text(id);
    bool uuid = ident.size() == 36 && ident[8] == '-' && ident[13] == '-';
    body_value.SetObject();
    body_value.AddMember(Json(rapidjson::StringRef(uuid ? "workflow_id" : "workflow_name")), str(ident, a), a);
    Json ns = take("namespace");
    if (truthy(ns)) body_value.AddMember("workflow_namespace", ns, a);
    Json input_text = take("workflow_input");
    if (!input_text.IsNull()) body_value.AddMember("input", input_text, a);
    Json description = take("description");
    if (truthy(description)) body_value.AddMember("description", description, a);
    Json source = take("source_execution_id");
    if (!source.IsNull()) body_value.AddMember("source_execution_id", source, a);
    // The other parameters are the execution's params (env, task_name, ...).
    Json params(rapidjson::kObjectType);
    for (auto& m : rest.GetObject()) params.AddMember(Json(m.name, a), Json(m.value, a), a);
    if (params.MemberCount() > 0) body_value.AddMember("params", str(dump(params), a), a);
    rest.SetObject();
  }
  if (special == "name_search" && get(rest, "name").IsString()) add_query(req.query, "name", get(rest, "name"));
  if (special == "heat_get") {
    Json resolve = take("resolve_outputs");
    if (resolve.IsBool() && !resolve.GetBool()) add_query(req.query, "resolve_outputs", Json(false));
  }
  if (special == "heat_get" || special == "heat_follow") req.follow_redirects = true;
  if (special == "ironic_list" || special == "ironic_fields") {
    Json fields = take("fields");
    if (fields.IsArray()) {
      std::string joined;
      for (const auto& f : fields.GetArray()) joined += (joined.empty() ? "" : ",") + python_str(f);
      add_query(req.query, "fields", str(joined, a));
    }
  }
  if (special == "ironic_patch") {
    body_value.CopyFrom(get(input, "patch"), a);
    take("patch");
    Json reset = take("reset_interfaces");
    if (reset.IsBool()) add_query(req.query, "reset_interfaces", reset);
  }
  if (special == "ironic_power") {
    std::string state = text(get(input, "state"));
    bool soft = truthy(get(input, "soft"));
    std::string target = state == "on" ? "power on" : state == "off" ? (soft ? "soft power off" : "power off")
                         : state == "reboot" ? (soft ? "soft rebooting" : "rebooting") : state;
    body_value.SetObject();
    body_value.AddMember("target", str(target, a), a);
    if (get(input, "timeout").IsNumber()) body_value.AddMember("timeout", Json(get(input, "timeout"), a), a);
    rest.SetObject();
  }
  if (special == "glance_upload") {
    Json data = take("image_data");
    req.has_body = true;
    if (get(input, "image_data").IsString()) req.raw_body = &get(input, "image_data");
    else req.body = dump(data);
    req.headers.push_back({"Content-Type", "application/octet-stream"});
    rest.SetObject();
  }
  Doc glance_meta;  // glance_data: the image, read before its data
  bool glance_md5_fallback = false;
  if (special == "glance_data") {
    Json check = take("do_checksum");
    glance_md5_fallback = truthy(take("allow_md5_fallback"));
    if (truthy(check)) {
      // read first, as the client does (the image could go meanwhile)
      std::string error;
      if (!fetch_json(session, service, base + path.substr(0, path.rfind("/file")), req.headers, glance_meta, error))
        return raised(failed + error);
    }
  }
  if (special == "glance_patch") {
    // glanceclient sends a JSON patch: replace what the image has, add the
    // rest (it reads the image first, as here), remove remove_props.
    Doc current;
    Doc got;
    session.http("GET", base + path, req.headers, nullptr, got);
    if (get(got, "status").IsInt() && get(got, "status").GetInt() < 300)
      current.Parse(text(get(got, "body")).c_str());
    Json remove = take("remove_props");
    body_value.SetArray();
    for (const auto& m : rest.GetObject()) {
      Json opv(rapidjson::kObjectType);
      bool present = current.IsObject() && current.HasMember(m.name);
      opv.AddMember("op", Json(rapidjson::StringRef(present ? "replace" : "add")), a);
      opv.AddMember("path", str("/" + std::string(m.name.GetString()), a), a);
      opv.AddMember("value", Json(m.value, a), a);
      body_value.PushBack(opv, a);
    }
    if (remove.IsArray())
      for (const auto& p : remove.GetArray()) {
        Json opv(rapidjson::kObjectType);
        opv.AddMember("op", "remove", a);
        opv.AddMember("path", str("/" + python_str(p), a), a);
        body_value.PushBack(opv, a);
      }
    req.headers.push_back({"Content-Type", "application/openstack-images-v2.1-json-patch"});
    req.has_body = true;
    req.body = dump(body_value);
    body_value.SetNull();
    rest.SetObject();
  }
  if (special == "filters" || std::strcmp(op.name, "glance.images_list") == 0) {
    Json filters = take("filters");
    if (filters.IsObject())
      for (const auto& m : filters.GetObject()) rest.AddMember(Json(m.name, a), Json(m.value, a), a);
  }
  if (std::strcmp(op.name, "glance.images_list") == 0) {
    Json page = take("page_size");
    Json limit = take("limit");
    if (page.IsInt64()) add_query(req.query, "limit", page);
    else if (limit.IsInt64() && limit.GetInt64() < 20) add_query(req.query, "limit", limit);
    else add_query(req.query, "limit", Json(20));
  }
  if (special == "search_opts") {
    Json opts = take("search_opts");
    if (opts.IsObject())
      for (const auto& m : opts.GetObject()) add_query(req.query, m.name.GetString(), m.value);
    for (const char* list_key : {"sort_keys", "sort_dirs"}) {
      Json v = take(list_key);
      std::string single(list_key);
      single.pop_back();
      add_query(req.query, single, v);
    }
  }
  if (special == "zaqar_post") {
    Json& messages = rest["messages"];
    if (!messages.IsArray()) {
      Json list(rapidjson::kArrayType);
      list.PushBack(Json(messages, a), a);
      messages = list;
    }
  }
  if (special == "zaqar_pop") add_query(req.query, "pop", take("count"));
  if (special == "zaqar_delete") {
    Json ids = take("messages");
    std::string joined;
    if (ids.IsArray())
      for (const auto& id : ids.GetArray()) joined += (joined.empty() ? "" : ",") + id_of(id);
    add_query(req.query, "ids", str(joined, a));
  }
  if (special == "zaqar_claim" && get(rest, "limit").IsInt64()) add_query(req.query, "limit", take("limit"));

  // The body, as the row says.
  std::string body_spec = op.body;
  bool json_body = !body_value.IsNull();
  if (!json_body && !req.has_body && !body_spec.empty()) {
    if (body_spec[0] == '@') {
      body_value.CopyFrom(take(body_spec.c_str() + 1), a);
    } else if (body_spec == "=" || (body_spec[0] != '{')) {
      Json fields(rapidjson::kObjectType);
      for (auto& m : rest.GetObject()) {
        Json value(m.value, a);
        if (value.IsNull() && !null_in_body(op, m.name.GetString(), value, a)) continue;
        fields.AddMember(str(rename(op, m.name.GetString()), a), value, a);
      }
      if (body_spec == "=") {
        body_value = fields;
      } else {
        body_value.SetObject();
        body_value.AddMember(str(body_spec, a), fields, a);
      }
    } else {
      Doc tmpl;
      tmpl.Parse(body_spec.c_str());
      body_value.CopyFrom(tmpl, a);
      fill(body_value, rest, op, a);
    }
    rest.SetObject();
    json_body = true;
  }
  if (json_body && !body_value.IsNull()) {
    req.has_body = true;
    req.body = dump(body_value);
    req.headers.push_back({"Content-Type", "application/json"});
  } else if (json_body && body_spec[0] == '@') {
    req.has_body = false;
  }
  // What is left goes in the query (find/findall filter on the client's
  // side: their parameters are search terms, not query parameters).
  if (op.shape != Shape::Find && op.shape != Shape::FindAll)
    for (const auto& m : rest.GetObject()) add_query(req.query, rename(op, m.name.GetString()), m.value);

  std::string url = base + path + (req.query.empty() ? "" : "?" + req.query);
  if (special == "swift_info") {
    size_t v1 = base.find("/v1");
    url = (v1 == std::string::npos ? base : base.substr(0, v1)) + "/info";
  }

  // Send, and follow the pages the row asks for.
  Json results(rapidjson::kArrayType);
  Doc answer;
  // neutronclient's and tackerclient's list(): every page, through the
  // "<collection>_links" entry whose rel is "next" ("previous" with
  // page_reverse); the next request is the same path with that link's
  // query (marker, limit...) in place of the caller's parameters. With
  // retrieve_all=True the client returns {"<collection>": [every item]};
  // with False its page iterator, which Mistral serialises as the list of
  // the pages' bodies.
  const bool links_paging = special == "neutron_list" || special == "tacker_list";
  const bool retrieve_all = truthy(get(input, "retrieve_all"));
  const std::string collection = links_paging ? std::string(op.client_method).substr(5) : "";  // "list_networks"
  Json pages(rapidjson::kArrayType);
  const char* link_rel = truthy(get(input, "page_reverse")) ? "previous" : "next";
  // designate's listings: every page, through "links": {"next": url}, the
  // next link's query merged into the criterion (designateclient's
  // get_all), unless the caller asked for one page (marker or limit).
  const bool designate_paging =
      special == "criterion" && get(input, "marker").IsNull() && get(input, "limit").IsNull();
  for (int page = 0; page < kMaxPages; ++page) {
    answer.SetNull();
    std::string_view payload = req.payload();
    session.http(req.method, url, req.headers, req.has_body ? &payload : nullptr, answer, req.follow_redirects);
    if (get(answer, "error").IsString()) return raised(failed + text(get(answer, "error")));
    int status = get(answer, "status").IsInt() ? get(answer, "status").GetInt() : 0;
    if (status >= 300 || status < 200) return raised(failed + http_error_text(service, req.method, url, answer));
    if (designate_paging) {
      Doc parsed;
      if (parsed.Parse(text(get(answer, "body")).c_str()).HasParseError()) break;
      const Json& items = get(parsed, op.result);
      if (items.IsArray())
        for (const auto& item : items.GetArray()) results.PushBack(Json(item, a), a);
      std::string next = text(get(get(parsed, "links"), "next"));
      size_t q = next.find('?');
      if (next.empty() || !items.IsArray() || items.Empty()) break;
      auto merged = query_pairs(req.query);
      for (const auto& [k, v] : query_pairs(q == std::string::npos ? "" : next.substr(q + 1))) {
        bool replaced = false;
        for (auto& m : merged)
          if (m.first == k) m.second = v, replaced = true;
        if (!replaced) merged.emplace_back(k, v);
      }
      std::string query;
      for (const auto& [k, v] : merged) query += (query.empty() ? "" : "&") + k + "=" + v;
      url = base + path + (query.empty() ? "" : "?" + query);
      continue;
    }
    if (links_paging) {
      Doc parsed;
      if (parsed.Parse(text(get(answer, "body")).c_str()).HasParseError()) break;
      if (special == "tacker_list") tacker_shorten(parsed);
      const Json& items = get(parsed, collection);
      if (items.IsArray())
        for (const auto& item : items.GetArray()) results.PushBack(Json(item, a), a);
      pages.PushBack(Json(parsed, a), a);
      std::string next;
      const Json& links = get(parsed, collection + "_links");
      if (links.IsArray())
        for (const auto& link : links.GetArray())
          if (text(get(link, "rel")) == link_rel) {
            next = text(get(link, "href"));
            break;
          }
      if (next.empty()) break;
      size_t q = next.find('?');
      url = base + path + (q == std::string::npos ? "" : next.substr(q));
      continue;
    }
    if (op.shape != Shape::Paged && !(special == "swift_listing" && truthy(get(input, "full_listing")))) break;
    Doc parsed;
    std::string body = text(get(answer, "body"));
    if (parsed.Parse(body.c_str()).HasParseError()) break;
    const Json& items = op.shape == Shape::Paged ? get(parsed, op.result) : static_cast<const Json&>(parsed);
    if (!items.IsArray() || items.Empty()) break;
    for (const auto& item : items.GetArray()) results.PushBack(Json(item, a), a);
    if (op.shape == Shape::Paged) {
      std::string next = text(get(parsed, "next"));
      if (next.empty()) break;
      size_t root = base.rfind(service.version_suffix);
      url = (root == std::string::npos ? base : base.substr(0, root)) + next;
    } else {
      // swift: the next page starts after the last name.
      const Json& last = items[items.Size() - 1];
      std::string marker = text(get(last, "name"), text(get(last, "subdir")));
      std::string q = req.query;
      add_query(q, "marker", str(marker, a));
      url = base + path + "?" + q;
    }
  }

  if (special == "glance_data") {
    // images.data: nothing (204) is None; else the data, checked, as the
    // client's iterator of 64 KiB chunks, which Mistral serialises as a
    // list of texts (cut here at a character boundary, so each is text).
    if (get(answer, "status").IsInt() && get(answer, "status").GetInt() == 204) return ok(Json());
    const Json& data_value = get(answer, "body");
    std::string_view data = data_value.IsString()
                                ? std::string_view(data_value.GetString(), data_value.GetStringLength())
                                : std::string_view();
    std::string problem = glance_check(glance_meta, get(answer, "headers"), data, glance_md5_fallback);
    if (!problem.empty()) return raised(failed + problem);
    Json chunks(rapidjson::kArrayType);
    constexpr size_t kChunk = 64 * 1024;  // glanceclient's CHUNKSIZE
    for (size_t at = 0; at < data.size();) {
      size_t end = std::min(data.size(), at + kChunk);
      while (end < data.size() && end > at + 1 && (static_cast<unsigned char>(data[end]) & 0xC0) == 0x80) --end;
      chunks.PushBack(Json(rapidjson::StringRef(data.data() + at, end - at)), a);
      at = end;
    }
    return ok(chunks);
  }
  if (special == "barbican_retrieve") {
    // secrets_retrieve: the secret's .payload. The metadata (read above)
    // names its default content type; without one the client has no
    // payload to fetch (None). A text/plain payload is text; others are
    // bytes, which Mistral serialises as UTF-8 text too.
    Doc meta;
    meta.Parse(text(get(answer, "body")).c_str());
    std::string type = meta.HasParseError() ? "" : text(get(get(meta, "content_types"), "default"));
    if (type.empty()) return ok(Json());
    Headers headers = req.headers;
    for (auto& h : headers)
      if (h.first == "Accept") h.second = type;
    std::string payload_url = base + path + "/payload";
    Doc got;
    session.http("GET", payload_url, headers, nullptr, got);
    if (get(got, "error").IsString()) return raised(failed + text(get(got, "error")));
    int status = get(got, "status").IsInt() ? get(got, "status").GetInt() : 0;
    if (status < 200 || status >= 300) return raised(failed + http_error_text(service, "GET", payload_url, got));
    return ok(get(got, "body"));
  }

  // The result, shaped as the client returns it. The body is read where
  // the host's answer holds it (a downloaded object is not copied again).
  const Json& answer_body = get(answer, "body");
  std::string_view body = answer_body.IsString()
                              ? std::string_view(answer_body.GetString(), answer_body.GetStringLength())
                              : std::string_view();
  const Json& headers = get(answer, "headers");
  Doc parsed;
  bool is_json = !body.empty() && !parsed.Parse(body.data(), body.size()).HasParseError();
  switch (op.shape) {
    case Shape::Null: return ok(Json());
    case Shape::Headers: return ok(headers);
    case Shape::Etag: {
      std::string etag = text(get(headers, "etag"));
      if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
      return ok(str(etag, a));
    }
    case Shape::Paged: return ok(results);
    case Shape::SwiftPair: {
      Json pair(rapidjson::kArrayType);
      pair.PushBack(Json(headers, a), a);
      if (special == "swift_listing" && truthy(get(input, "full_listing"))) pair.PushBack(results, a);
      else if (special == "swift_listing") pair.PushBack(is_json ? Json(parsed, a) : Json(rapidjson::kArrayType), a);
      else pair.PushBack(Json(rapidjson::StringRef(body.data(), body.size())), a);
      return ok(pair);
    }
    case Shape::Find:
    case Shape::FindAll: {
      Json terms(rapidjson::kObjectType);
      for (const auto& m : input.GetObject())
        if (std::string(m.name.GetString()) != "action_region") terms.AddMember(Json(m.name, a), Json(m.value, a), a);
      Json matches(rapidjson::kArrayType);
      if (is_json) find_matches(get(parsed, op.result), terms, matches, a);
      if (op.shape == Shape::FindAll) return ok(matches);
      if (matches.Empty())
        return raised(failed + "No " + op.resource + " matching " + python_repr(terms) + ". (HTTP 404)");
      // novaclient's NoUniqueMatch carries no message.
      if (matches.Size() > 1) return raised(failed);
      return ok(matches[0]);
    }
    case Shape::Body: {
      if (designate_paging && is_json) return ok(results);
      if (links_paging && is_json) {
        if (!retrieve_all) return ok(pages);
        // {"<collection>": [every page's items]} (the links and any other
        // key of the pages are not kept); tacker's texts already shortened.
        Json all(rapidjson::kObjectType);
        all.AddMember(str(collection, a), results, a);
        return ok(all);
      }
      if (!is_json) {
        if (body.empty()) return ok(*op.result ? Json(rapidjson::kArrayType) : Json());
        return ok(str(body, a));
      }
      if (*op.result && parsed.IsObject() && parsed.HasMember(op.result)) return ok(parsed[op.result]);
      return ok(parsed);
    }
  }
  return ok(Json());
}

const char* const kRequestSignature =
    "service_type, path, method=\"GET\", body=null, headers=null, microversion=null, action_region=\"\"";

Answer run_request(const Json& input, Session& session) {
  const std::string failed = "openstack.request failed: ";
  if (!session.problem().empty()) return raised(failed + session.problem());
  std::string type = text(get(input, "service_type"));
  const Service* service = nullptr;
  for (const auto& s : services())
    for (const auto& t : s.types)
      if (t == type) service = &s;
  Endpoint ep = session.endpoint({type}, text(get(input, "action_region")), type);
  if (!ep.error.empty()) return raised(failed + ep.error);
  std::string base = ep.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string path = text(get(input, "path"));
  if (!path.empty() && path[0] != '/') path = "/" + path;
  Headers headers = {{"X-Auth-Token", session.token()}, {"Accept", "application/json"}};
  const Json& extra = get(input, "headers");
  if (extra.IsObject())
    for (const auto& m : extra.GetObject()) headers.push_back({m.name.GetString(), python_str(m.value)});
  const Json& mv = get(input, "microversion");
  if (mv.IsString() && service && *service->microversion_header) add_microversion(*service, text(mv), headers);
  else if (mv.IsString()) headers.push_back({"OpenStack-API-Version", type + " " + text(mv)});
  if (service && service->needs_client_id) headers.push_back({"Client-ID", random_uuid()});
  const Json& body = get(input, "body");
  std::string body_text;  // a JSON body, written out
  std::string_view payload;
  if (!body.IsNull()) {
    if (body.IsString()) payload = std::string_view(body.GetString(), body.GetStringLength());
    else payload = body_text = dump(body);
    if (!body.IsString()) headers.push_back({"Content-Type", "application/json"});
  }
  Doc answer;
  std::string method = text(get(input, "method"), "GET");
  for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  session.http(method, base + path, headers, body.IsNull() ? nullptr : &payload, answer, true);
  if (get(answer, "error").IsString()) return raised(failed + text(get(answer, "error")));
  Doc result(rapidjson::kObjectType);
  auto& a = result.GetAllocator();
  int status = get(answer, "status").GetInt();
  result.AddMember("status", status, a);
  result.AddMember("headers", Json(get(answer, "headers"), a), a);
  std::string text_body = text(get(answer, "body"));
  Doc parsed;
  if (!text_body.empty() && !parsed.Parse(text_body.c_str()).HasParseError()) result.AddMember("body", Json(parsed, a), a);
  else result.AddMember("body", str(text_body, a), a);
  // Like std.http: a status outside 200..299 is the action's error.
  return {status >= 200 && status < 300 ? BORA_RESULT_OK : BORA_RESULT_ERROR, dump(result)};
}

}  // namespace bora_openstack
