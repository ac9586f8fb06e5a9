#include "bora/api/proxy_headers.h"

#include <cctype>

namespace bora::api {

namespace {

std::string trimmed(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

}  // namespace

std::string client_base_url(const ClientAddressHeaders& h, bool parse_proxy_headers, const std::string& fallback_host) {
  std::string scheme = "http", host = h.host.empty() ? fallback_host : h.host, prefix;
  if (parse_proxy_headers) {
    if (!h.forwarded.empty()) {
      // HTTPProxyToWSGI's reading: `key=value` pairs of the first entry,
      // keys in any case, values as written (quotes kept).
      std::string first = h.forwarded.substr(0, h.forwarded.find(','));
      size_t start = 0;
      while (start <= first.size()) {
        size_t end = first.find(';', start);
        if (end == std::string::npos) end = first.size();
        std::string pair = first.substr(start, end - start);
        size_t eq = pair.find('=');
        std::string key = trimmed(pair.substr(0, eq));
        std::string value = eq == std::string::npos ? "" : trimmed(pair.substr(eq + 1));
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (key == "proto" && !value.empty()) scheme = value;
        if (key == "host" && !value.empty()) host = value;
        start = end + 1;
      }
    } else {
      if (!h.forwarded_proto.empty()) scheme = h.forwarded_proto;
      if (!h.forwarded_host.empty()) host = h.forwarded_host;
    }
    prefix = h.forwarded_prefix;
  }
  // WebOb's host_url leaves out the scheme's default port (Host:
  // example.com:80 is http://example.com).
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && (host.rfind(']') == std::string::npos || colon > host.rfind(']'))) {
    std::string port = host.substr(colon + 1);
    if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) host.erase(colon);
  }
  return scheme + "://" + host + prefix;
}

}  // namespace bora::api
