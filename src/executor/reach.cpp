// executor/reach: the operator's limits on what actions reach: denied
// networks, the server's own API port, the directory of SSH key files.
#include "bora/executor/reach.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>

namespace bora::executor {

namespace {

namespace fs = std::filesystem;

// An IP address as the kernel routes it: an IPv4-mapped IPv6 address
// (::ffff:127.0.0.1) goes to the IPv4 host, so it is that IPv4 address.
struct Address {
  int family = 0;
  std::array<uint8_t, 16> bytes{};
  uint16_t port = 0;
};

bool is_v4_mapped(const std::array<uint8_t, 16>& b) {
  for (int i = 0; i < 10; ++i)
    if (b[i] != 0) return false;
  return b[10] == 0xff && b[11] == 0xff;
}

std::optional<Address> address_of(const sockaddr* sa) {
  Address a;
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    a.family = AF_INET;
    std::memcpy(a.bytes.data(), &in->sin_addr, 4);
    a.port = ntohs(in->sin_port);
    return a;
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    a.family = AF_INET6;
    std::memcpy(a.bytes.data(), &in6->sin6_addr, 16);
    a.port = ntohs(in6->sin6_port);
    if (is_v4_mapped(a.bytes)) {
      a.family = AF_INET;
      std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
      std::fill(a.bytes.begin() + 4, a.bytes.end(), 0);
    }
    return a;
  }
  return std::nullopt;
}

std::string text_of(const Address& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(a.family, a.bytes.data(), buf, sizeof buf);
  return buf;
}

bool prefix_matches(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& network, int prefix) {
  for (int i = 0; i < prefix / 8; ++i)
    if (a[i] != network[i]) return false;
  if (prefix % 8 == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - prefix % 8));
  return (a[prefix / 8] & mask) == network[prefix / 8];
}

// Loopback, "this host" (0.0.0.0/8, ::) or an address of one of this
// machine's interfaces: where a connection reaches this machine itself.
bool is_this_machine(const Address& a) {
  static const std::array<uint8_t, 16> v6_loopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const std::array<uint8_t, 16> zero{};
  if (a.family == AF_INET && (a.bytes[0] == 127 || a.bytes[0] == 0)) return true;
  if (a.family == AF_INET6 && (a.bytes == v6_loopback || a.bytes == zero)) return true;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return false;
  bool found = false;
  for (ifaddrs* i = list; i && !found; i = i->ifa_next) {
    if (!i->ifa_addr) continue;
    auto own = address_of(i->ifa_addr);
    found = own && own->family == a.family && own->bytes == a.bytes;
  }
  freeifaddrs(list);
  return found;
}

std::string home_directory() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) return pw->pw_dir;
  return "/";
}

std::string expand_home(const std::string& path) {
  if (path == "~") return home_directory();
  if (path.rfind("~/", 0) == 0) return home_directory() + path.substr(1);
  return path;
}

ReachOptions defaults() {
  ReachOptions o;
  o.ssh_private_key_dir = expand_home("~/.ssh");
  return o;
}

std::mutex g_mutex;
std::shared_ptr<const ReachOptions> g_options;  // null until first asked or set

// `inner` names something inside `base` (both already normalized the same
// way): the relative path neither climbs out nor is the directory itself.
bool is_inside(const fs::path& inner, const fs::path& base) {
  fs::path rel = inner.lexically_relative(base);
  if (rel.empty() || rel == ".") return false;
  return *rel.begin() != "..";
}

}  // namespace

bool NetworkRange::contains(const sockaddr* address) const {
  auto a = address_of(address);
  return a && a->family == family && prefix_matches(a->bytes, bytes, prefix);
}

Result<NetworkRange> parse_network_range(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return bad_input(fmt::format("'{}' is not a network: {}; write a network as an address and a prefix length, "
                                 "e.g. 127.0.0.0/8, 169.254.0.0/16, ::1/128 or fe80::/10",
                                 text, why));
  };
  std::string s(text);
  size_t slash = s.find('/');
  std::string host = s.substr(0, slash);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  NetworkRange r;
  r.text = s;
  if (inet_pton(AF_INET, host.c_str(), r.bytes.data()) == 1) {
    r.family = AF_INET;
  } else if (inet_pton(AF_INET6, host.c_str(), r.bytes.data()) == 1) {
    r.family = AF_INET6;
  } else {
    return bad(fmt::format("'{}' is not an IPv4 or IPv6 address", host));
  }
  const int max = r.family == AF_INET ? 32 : 128;
  r.prefix = max;
  if (slash != std::string::npos) {
    std::string p = s.substr(slash + 1);
    if (p.empty() || p.size() > 3 || !std::all_of(p.begin(), p.end(), [](unsigned char c) { return std::isdigit(c); }))
      return bad(fmt::format("the prefix length '{}' is not a number", p));
    r.prefix = std::stoi(p);
    if (r.prefix > max) return bad(fmt::format("the prefix length of an IPv{} network is 0..{}", max == 32 ? 4 : 6, max));
  }
  if (r.family == AF_INET6 && r.prefix >= 96 && is_v4_mapped(r.bytes)) {
    r.family = AF_INET;
    r.prefix -= 96;
    std::memmove(r.bytes.data(), r.bytes.data() + 12, 4);
    std::fill(r.bytes.begin() + 4, r.bytes.end(), 0);
  }
  // Host bits are cleared: 127.0.0.1/8 means 127.0.0.0/8.
  for (int bit = r.prefix; bit < 128; ++bit) r.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  return r;
}

Result<ReachOptions> reach_options_from_config(const Config& config) {
  ReachOptions o;
  std::string list = config.get_or("executor", "denied_networks", "");
  for (char& c : list)
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) c = ' ';
  size_t pos = 0;
  while (pos < list.size()) {
    size_t start = list.find_first_not_of(' ', pos);
    if (start == std::string::npos) break;
    size_t end = list.find(' ', start);
    std::string item = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto range = parse_network_range(item);
    if (!range) return bad_input("[executor] denied_networks: " + range.error().message);
    o.denied_networks.push_back(std::move(range).value());
    pos = end == std::string::npos ? list.size() : end;
  }
  auto own = config.get_bool("executor", "deny_own_api_port", false);
  if (!own) return own.error();
  o.deny_own_api_port = *own;
  std::string dir = expand_home(config.get_or("executor", "ssh_private_key_dir", "~/.ssh"));
  if (!dir.empty()) {
    std::error_code ec;
    fs::path absolute = fs::absolute(dir, ec);
    fs::path normal = (ec ? fs::path(dir) : absolute).lexically_normal();
    if (!normal.has_filename() && normal != normal.root_path()) normal = normal.parent_path();  // "a/b/"
    dir = normal.string();
  }
  o.ssh_private_key_dir = dir;
  return o;
}

void set_reach_options(ReachOptions options) {
  auto next = std::make_shared<const ReachOptions>(std::move(options));
  std::lock_guard lock(g_mutex);
  g_options = std::move(next);
}

void set_own_api_port(uint16_t port) {
  std::lock_guard lock(g_mutex);
  ReachOptions copy = g_options ? *g_options : defaults();
  copy.own_api_port = port;
  g_options = std::make_shared<const ReachOptions>(std::move(copy));
}

std::shared_ptr<const ReachOptions> reach_options() {
  std::lock_guard lock(g_mutex);
  if (!g_options) g_options = std::make_shared<const ReachOptions>(defaults());
  return g_options;
}

std::optional<std::string> refused_connection(const ReachOptions& options, const sockaddr* address) {
  auto a = address_of(address);
  if (!a) return std::string("only IPv4 and IPv6 connections are allowed");
  for (const auto& range : options.denied_networks) {
    if (range.contains(address))
      return fmt::format("{} (port {}) is in {}, which [executor] denied_networks denies", text_of(*a), a->port,
                         range.text);
  }
  if (options.deny_own_api_port && options.own_api_port != 0 && a->port == options.own_api_port &&
      is_this_machine(*a)) {
    return fmt::format("{} (port {}) is this server's own API, which [executor] deny_own_api_port denies",
                       text_of(*a), a->port);
  }
  return std::nullopt;
}

Result<std::string> resolve_allowed(const ReachOptions& options, const std::string& host, uint16_t port,
                                    const std::string& what) {
  std::string name = host;
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(name.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) return Error{ErrorKind::Unavailable, fmt::format("cannot resolve '{}': {}", name, gai_strerror(rc))};
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
  std::string first_refusal;
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    auto why = refused_connection(options, ai->ai_addr);
    if (!why) {
      auto a = address_of(ai->ai_addr);
      if (a) return text_of(*a);
      continue;
    }
    if (first_refusal.empty()) first_refusal = *why;
  }
  return Error{ErrorKind::Forbidden,
               fmt::format("{} was refused: {} (see docs/SECURITY.md)", what,
                           first_refusal.empty() ? "it has no IPv4 or IPv6 address" : first_refusal)};
}

std::string url_scheme(std::string_view url) {
  size_t end = url.find_first_of(":/?#");
  if (end == std::string_view::npos || end == 0 || url[end] != ':') return "";
  if (!std::isalpha(static_cast<unsigned char>(url[0]))) return "";
  std::string scheme;
  for (size_t i = 0; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(url[i]);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return "";
    scheme += static_cast<char>(std::tolower(c));
  }
  return scheme;
}

Result<std::string> read_private_key_file(const ReachOptions& options, const std::string& name) {
  const std::string& dir = options.ssh_private_key_dir;
  if (dir.empty()) {
    return bad_input(fmt::format("std.ssh may not read private_key_filename '{}': [executor] ssh_private_key_dir "
                                 "is empty, so no key file may be read; pass the key itself in 'private_key'",
                                 name));
  }
  auto outside = [&](const char* how) {
    return bad_input(fmt::format("std.ssh may not read private_key_filename '{}': {} [executor] "
                                 "ssh_private_key_dir ({}); name a key file inside that directory (e.g. 'id_rsa') "
                                 "or pass the key itself in 'private_key'",
                                 name, how, dir));
  };
  if (name.empty() || name.find('\0') != std::string::npos) return outside("it is not a file name inside");
  fs::path base = fs::path(dir).lexically_normal();
  if (!base.has_filename() && base.has_parent_path() && base != base.root_path()) base = base.parent_path();  // "a/b/"
  const fs::path given(name);
  const fs::path full = (given.is_absolute() ? given : base / given).lexically_normal();
  // Refused by its text first: nothing outside the directory is touched,
  // not even to learn whether it exists.
  if (!is_inside(full, base)) return outside("it is outside");
  std::error_code ec;
  const fs::path real_base = fs::canonical(base, ec);
  if (ec) return not_found(fmt::format("std.ssh cannot read private_key_filename '{}': the directory {} "
                                       "([executor] ssh_private_key_dir) does not exist", name, dir));
  const fs::path real = fs::canonical(full, ec);
  if (ec) return not_found(fmt::format("std.ssh cannot read private_key_filename '{}': there is no such file in {} "
                                       "([executor] ssh_private_key_dir)", name, dir));
  if (!is_inside(real, real_base)) return outside("it is a link to a file outside");
  // O_NOFOLLOW: the checked name cannot become a link in between;
  // O_NONBLOCK: a FIFO cannot hold the action forever.
  int fd = ::open(real.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return bad_input(fmt::format("std.ssh cannot read private_key_filename '{}': {}", name, std::strerror(errno)));
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return outside("it is not a regular file inside");
  std::string content;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return bad_input(fmt::format("std.ssh cannot read private_key_filename '{}': {}", name, std::strerror(errno)));
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
  }
  return content;
}

}  // namespace bora::executor
