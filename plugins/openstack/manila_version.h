// plugins/openstack/manila_version: the microversion a manila action asks
// for, found as Mistral's ManilaAction finds it (manilaclient's
// discover_version): the service's root lists its versions, the CURRENT
// one gives the range the server serves, and the highest version both the
// server and the client serve is used. Manila takes no "latest".
#pragma once

#include <string>

#include "json_util.h"

namespace bora_openstack {

// The highest manila microversion the pack's rows ask for: python-
// manilaclient's API_MAX_VERSION, which Mistral requests before it
// negotiates down. The lowest: its API_MIN_VERSION.
inline constexpr const char* kManilaClientMax = "2.95";
inline constexpr const char* kManilaClientMin = "2.0";

// Where the versions are read: the endpoint cut before its "/v<N>"
// segment ("http://h/share/v2/<project>" -> "http://h/share/"), as
// manilaclient's base URL is.
std::string manila_versions_url(const std::string& endpoint);

// The version to send, from the body of GET <versions url>: the client's
// highest when the server serves it, else the server's highest; "1.0"
// when the server lists no microversions. Empty, with `error` set (the
// client's UnsupportedVersion text), when no version fits.
std::string manila_negotiate(const Json& versions_body, std::string& error);

}  // namespace bora_openstack
