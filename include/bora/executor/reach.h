// executor/reach: what the actions of this process may reach. A workflow
// author chooses the URLs, hosts and file names its actions use, and the
// actions run with the server's own rights: without limits a std.http could
// read the server's files (file://), talk to its loopback services (Bora's
// own API, where any X-Project-Id header is believed) or to a cloud's
// metadata service. The limits here are the server operator's
// ([executor] options, docs/SECURITY.md).
//
// The options are one per process, not one per call: every path that runs
// an action (the engine's executor threads, POST /v2/action_executions with
// run_sync, `bora run`) must obey the same limits, and a limit that a caller
// has to remember to pass is a door left open by the caller who forgets.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/config.h"
#include "bora/core/error.h"

namespace bora::executor {

// One network in CIDR notation ("10.0.0.0/8", "fe80::/10"; a bare address
// is the one host). An IPv4-mapped IPv6 network (::ffff:127.0.0.0/104) is
// kept as the IPv4 network it names, as the kernel treats the addresses.
struct NetworkRange {
  int family = AF_INET;  // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};  // network address, host bits cleared
  int prefix = 0;
  std::string text;  // as the operator wrote it, for messages

  bool contains(const sockaddr* address) const;
};

// BadInput naming the text and saying how to write a network.
Result<NetworkRange> parse_network_range(std::string_view text);

struct ReachOptions {
  // [executor] denied_networks: no action connects to an address in these.
  std::vector<NetworkRange> denied_networks;
  // [executor] deny_own_api_port: no action connects to this server's API
  // port on an address of this machine (loopback, unspecified, or one of
  // its interfaces).
  bool deny_own_api_port = false;
  uint16_t own_api_port = 0;  // known once the server listens; 0: none
  // [executor] ssh_private_key_dir: the only directory std.ssh reads
  // private_key_filename from ('~' expanded); empty: no key files at all.
  std::string ssh_private_key_dir;
};

// The [executor] reach options of a configuration; BadInput names the
// option, the bad value and the expected form.
Result<ReachOptions> reach_options_from_config(const Config& config);

// The options every action of this process obeys (default: nothing denied,
// key files from ~/.ssh), replaced at start by the server or `bora run`.
void set_reach_options(ReachOptions options);
// The API's port, once the server listens (it may have picked a free one).
void set_own_api_port(uint16_t port);
std::shared_ptr<const ReachOptions> reach_options();

// nullopt when an action may connect to `address`; otherwise why not, naming
// the address and the option that denies it, e.g. "127.0.0.1 (port 8989) is
// in 127.0.0.0/8, which [executor] denied_networks denies".
std::optional<std::string> refused_connection(const ReachOptions& options, const sockaddr* address);

// Resolves host (a name or an address) and returns the first of its
// addresses an action may connect to, as numeric text, so that the caller
// connects to exactly the address that was checked (a name that resolves
// differently a moment later changes nothing). `what` names the action and
// host for the message: "std.ssh to 'db1'".
Result<std::string> resolve_allowed(const ReachOptions& options, const std::string& host, uint16_t port,
                                    const std::string& what);

// "http" for "HTTP://x", "" when text has no scheme ("example.com/x",
// "127.0.0.1:80/x"): letters first, then letters, digits, '+', '-', '.',
// before the first ':' that comes before any '/', '?' or '#'.
std::string url_scheme(std::string_view url);

// The content of the key file `name` in ssh_private_key_dir. Refused with
// BadInput, before anything is read: a name that leads out of the
// directory ("../x", an absolute path elsewhere, a symbolic link to a file
// elsewhere), a file that is not a regular file; NotFound for a missing one.
Result<std::string> read_private_key_file(const ReachOptions& options, const std::string& name);

}  // namespace bora::executor
