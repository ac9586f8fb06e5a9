// executor/std/curl_reach: protocols and the per-socket address check.
#include "curl_reach.h"

#include <sys/socket.h>

namespace bora::executor {

namespace {

curl_socket_t open_checked_socket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* reach = static_cast<CurlReach*>(user);
  if (auto why = refused_connection(*reach->options, &address->addr)) {
    reach->refused = *why;
    return CURL_SOCKET_BAD;  // libcurl tries the name's next address, if any
  }
  // CLOEXEC: the JavaScript workers Bora starts must not inherit it.
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

void restrict_curl(CURL* handle, const char* protocols, CurlReach& reach) {
  if (!reach.options) reach.options = reach_options();
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, &reach);
}

}  // namespace bora::executor
