// api/proxy_headers: the address a client used, for the links Bora writes
// (next pages, the version documents, the /v2 redirect). Behind a reverse
// proxy and with [oslo_middleware] enable_proxy_headers_parsing, as
// oslo.middleware's HTTPProxyToWSGI does for Mistral: Forwarded (RFC 7239,
// its first proxy's proto and host) or else X-Forwarded-Proto and
// X-Forwarded-Host, then X-Forwarded-Prefix.
#pragma once

#include <string>

namespace bora::api {

struct ClientAddressHeaders {
  std::string host;  // Host (empty: the server's own address is used)
  std::string forwarded, forwarded_proto, forwarded_host, forwarded_prefix;
};

// "scheme://host[prefix]". fallback_host: the server's own host:port.
std::string client_base_url(const ClientAddressHeaders& h, bool parse_proxy_headers, const std::string& fallback_host);

}  // namespace bora::api
