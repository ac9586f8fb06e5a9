#include "manila_version.h"

#include <cctype>
#include <cstdio>
#include <utility>

namespace bora_openstack {

namespace {

using Version = std::pair<long, long>;  // (major, minor); (0, 0): none

Version parse(const std::string& s) {
  long major = 0, minor = 0;
  if (std::sscanf(s.c_str(), "%ld.%ld", &major, &minor) != 2) return {0, 0};
  return {major, minor};
}

bool is_null(const Version& v) { return v.first == 0 && v.second == 0; }

std::string text_of(const Version& v) { return std::to_string(v.first) + "." + std::to_string(v.second); }

}  // namespace

std::string manila_versions_url(const std::string& endpoint) {
  size_t scheme = endpoint.find("://");
  size_t path_at = endpoint.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path_at == std::string::npos) return endpoint + "/";
  std::string origin = endpoint.substr(0, path_at), path = endpoint.substr(path_at);
  size_t cut = path.find_first_of("?#");
  if (cut != std::string::npos) path.resize(cut);
  // manilaclient's pattern (.+?)/v([0-9]+|[0-9]+\.[0-9]+)(/.*|$): the first
  // "/v<digits>[.<digits>]" that ends the path or a segment, after at least
  // one character.
  for (size_t i = 1; i + 2 < path.size() + 1; ++i) {
    if (path.compare(i, 2, "/v") != 0) continue;
    size_t j = i + 2, digits = j;
    while (j < path.size() && std::isdigit(static_cast<unsigned char>(path[j]))) ++j;
    if (j == digits) continue;
    if (j < path.size() && path[j] == '.') {
      size_t k = j + 1;
      while (k < path.size() && std::isdigit(static_cast<unsigned char>(path[k]))) ++k;
      if (k > j + 1) j = k;
    }
    if (j == path.size() || path[j] == '/') return origin + path.substr(0, i) + "/";
  }
  return origin + "/";
}

std::string manila_negotiate(const Json& versions_body, std::string& error) {
  Version server_min{0, 0}, server_max{0, 0};
  const Json& versions = get(versions_body, "versions");
  if (versions.IsArray())
    for (const auto& v : versions.GetArray()) {
      if (!v.IsObject() || !v.HasMember("version") || text(get(v, "status")) != "CURRENT") continue;
      if (truthy(get(v, "version"))) {
        server_min = parse(text(get(v, "min_version")));
        server_max = parse(text(get(v, "version")));
      }
      break;
    }
  // A server without microversions (manila before Liberty): the old API.
  if (is_null(server_min) && is_null(server_max)) return "1.0";
  const Version client_min = parse(kManilaClientMin), client_max = parse(kManilaClientMax);
  Version chosen = client_max;
  if (!(server_min <= chosen && chosen <= server_max)) {
    if (server_max <= chosen) {
      chosen = server_max;
    } else {
      error = "The specified version isn't supported by server. The valid version range is '" + text_of(server_min) +
              "' to '" + text_of(server_max) + "'";
      return "";
    }
  }
  auto range = [&](const char* what) {
    return std::string("Server's version is too ") + what + ". The client's valid version range is '" +
           text_of(client_min) + "' to '" + text_of(client_max) + "'. The server valid version range is '" +
           text_of(server_min) + "' to '" + text_of(server_max) + "'.";
  };
  if (client_min > server_max) {
    error = range("old");
    return "";
  }
  if (client_max < server_min) {
    error = range("new");
    return "";
  }
  return text_of(chosen);
}

}  // namespace bora_openstack
