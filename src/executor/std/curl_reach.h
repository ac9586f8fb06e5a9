// executor/std/curl_reach: the limits of executor/reach applied to a libcurl
// handle, shared by std.http, std.mistral_http and std.email: only the
// action's own protocols (for the request and for every redirect), and every
// socket checked against the operator's denied networks and the server's own
// API port just before it connects, with the address it really connects to
// (a name that resolves to an allowed address at one moment and to a denied
// one the next gains nothing).
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "bora/executor/reach.h"

namespace bora::executor {

struct CurlReach {
  std::shared_ptr<const ReachOptions> options;
  std::string refused;  // why the last refused connection was refused
};

// protocols: libcurl's list, "http,https" or "smtp,smtps". `reach` must
// outlive the transfer.
void restrict_curl(CURL* handle, const char* protocols, CurlReach& reach);

}  // namespace bora::executor
