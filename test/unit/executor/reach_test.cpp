// executor/reach: networks, the connection check (denied networks, the
// server's own port, IPv4-mapped IPv6), URL schemes, the [executor] options,
// and the SSH key directory (no way out by '..', absolute paths or links).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bora/executor/reach.h"
#include "reach_guard.h"

using namespace bora;
using namespace bora::executor;
namespace fs = std::filesystem;

namespace {

sockaddr_storage v4(const char* text, uint16_t port) {
  sockaddr_storage ss{};
  auto* in = reinterpret_cast<sockaddr_in*>(&ss);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  REQUIRE(inet_pton(AF_INET, text, &in->sin_addr) == 1);
  return ss;
}

sockaddr_storage v6(const char* text, uint16_t port) {
  sockaddr_storage ss{};
  auto* in = reinterpret_cast<sockaddr_in6*>(&ss);
  in->sin6_family = AF_INET6;
  in->sin6_port = htons(port);
  REQUIRE(inet_pton(AF_INET6, text, &in->sin6_addr) == 1);
  return ss;
}

const sockaddr* sa(const sockaddr_storage& ss) { return reinterpret_cast<const sockaddr*>(&ss); }

NetworkRange net(const char* text) { return parse_network_range(text).value(); }

}  // namespace

TEST_CASE("networks are parsed from CIDR text, host bits cleared") {
  CHECK(net("127.0.0.0/8").contains(sa(v4("127.255.0.1", 80))));
  CHECK_FALSE(net("127.0.0.0/8").contains(sa(v4("128.0.0.1", 80))));
  CHECK(net("127.0.0.1/8").contains(sa(v4("127.9.9.9", 80))));  // 127.0.0.1/8 is 127.0.0.0/8
  CHECK(net("10.1.2.3").contains(sa(v4("10.1.2.3", 1))));       // a bare address: that host
  CHECK_FALSE(net("10.1.2.3").contains(sa(v4("10.1.2.4", 1))));
  CHECK(net("169.254.0.0/16").contains(sa(v4("169.254.169.254", 80))));
  CHECK(net("172.16.0.0/12").contains(sa(v4("172.31.255.255", 80))));
  CHECK_FALSE(net("172.16.0.0/12").contains(sa(v4("172.32.0.0", 80))));
  CHECK(net("0.0.0.0/0").contains(sa(v4("8.8.8.8", 53))));
  CHECK(net("fe80::/10").contains(sa(v6("fe80::1", 80))));
  CHECK(net("fe80::/10").contains(sa(v6("febf::1", 80))));
  CHECK_FALSE(net("fe80::/10").contains(sa(v6("fec0::1", 80))));
  CHECK(net("::1/128").contains(sa(v6("::1", 80))));
  CHECK(net("[::1]").contains(sa(v6("::1", 80))));
  // Families never mix, except IPv4-mapped IPv6, which is the IPv4 host.
  CHECK_FALSE(net("::1/128").contains(sa(v4("127.0.0.1", 80))));
  CHECK(net("127.0.0.0/8").contains(sa(v6("::ffff:127.0.0.1", 80))));
  CHECK(net("::ffff:127.0.0.0/104").contains(sa(v4("127.0.0.5", 80))));
  CHECK(net("::ffff:127.0.0.0/104").contains(sa(v6("::ffff:127.0.0.5", 80))));
}

TEST_CASE("a bad network is refused with the text and the form to write") {
  for (const char* bad : {"", "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0/8",
                          "fe80::1%eth0/64", "10.0.0.0/-1", "10.0.0.0/8/8"}) {
    auto r = parse_network_range(bad);
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::BadInput);
    CHECK_THAT(r.error().message, Catch::Contains(std::string("'") + bad + "' is not a network"));
    CHECK_THAT(r.error().message, Catch::Contains("127.0.0.0/8"));
  }
}

TEST_CASE("a denied network refuses the connection, naming the address, the network and the option") {
  ReachOptions o;
  o.denied_networks = {net("127.0.0.0/8"), net("::1/128"), net("169.254.0.0/16")};
  auto why = refused_connection(o, sa(v4("127.0.0.2", 8989)));
  REQUIRE(why);
  CHECK(*why == "127.0.0.2 (port 8989) is in 127.0.0.0/8, which [executor] denied_networks denies");
  CHECK(refused_connection(o, sa(v6("::1", 80))));
  CHECK(refused_connection(o, sa(v6("::ffff:127.0.0.1", 80))));  // the same host by another name
  CHECK(refused_connection(o, sa(v4("169.254.169.254", 80))));
  CHECK_FALSE(refused_connection(o, sa(v4("198.51.100.7", 80))));
  CHECK_FALSE(refused_connection(o, sa(v6("2001:db8::1", 80))));
  // Nothing denied: everything allowed (the default keeps workflows working).
  CHECK_FALSE(refused_connection(ReachOptions{}, sa(v4("127.0.0.1", 8989))));
  // Not an IP socket: refused.
  sockaddr_storage unix_addr{};
  unix_addr.ss_family = AF_UNIX;
  CHECK(refused_connection(ReachOptions{}, sa(unix_addr)));
}

TEST_CASE("deny_own_api_port refuses the API port on every address of this machine, and only there") {
  ReachOptions o;
  o.deny_own_api_port = true;
  o.own_api_port = 8989;
  for (const char* local : {"127.0.0.1", "127.0.0.2", "0.0.0.0"}) {
    auto why = refused_connection(o, sa(v4(local, 8989)));
    INFO(local);
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("this server's own API"));
    CHECK_THAT(*why, Catch::Contains("[executor] deny_own_api_port"));
  }
  CHECK(refused_connection(o, sa(v6("::1", 8989))));
  CHECK(refused_connection(o, sa(v6("::", 8989))));
  CHECK(refused_connection(o, sa(v6("::ffff:127.0.0.1", 8989))));
  CHECK_FALSE(refused_connection(o, sa(v4("127.0.0.1", 8990))));     // another port here
  CHECK_FALSE(refused_connection(o, sa(v4("198.51.100.7", 8989))));  // another machine's 8989
  o.deny_own_api_port = false;
  CHECK_FALSE(refused_connection(o, sa(v4("127.0.0.1", 8989))));
  o.deny_own_api_port = true;
  o.own_api_port = 0;  // no server (bora run): nothing to deny
  CHECK_FALSE(refused_connection(o, sa(v4("127.0.0.1", 8989))));
}

TEST_CASE("resolve_allowed gives a checked numeric address, or the refusal") {
  ReachOptions o;
  o.denied_networks = {net("127.0.0.0/8"), net("::1/128")};
  auto r = resolve_allowed(o, "localhost", 22, "std.ssh to 'localhost'");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Forbidden);
  CHECK_THAT(r.error().message, Catch::StartsWith("std.ssh to 'localhost' was refused: "));
  CHECK_THAT(r.error().message, Catch::Contains("[executor] denied_networks"));
  CHECK_FALSE(resolve_allowed(o, "127.0.0.1", 22, "x").ok());
  CHECK_FALSE(resolve_allowed(o, "[::1]", 22, "x").ok());
  auto allowed = resolve_allowed(ReachOptions{}, "127.0.0.1", 22, "x");
  REQUIRE(allowed.ok());
  CHECK(*allowed == "127.0.0.1");
  auto unknown = resolve_allowed(ReachOptions{}, "no-such-host.invalid", 22, "x");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == ErrorKind::Unavailable);
}

TEST_CASE("url_scheme reads the scheme as libcurl and requests do") {
  CHECK(url_scheme("http://x") == "http");
  CHECK(url_scheme("HTTPS://x") == "https");
  CHECK(url_scheme("file:///etc/passwd") == "file");
  CHECK(url_scheme("FiLe:/etc/passwd") == "file");
  CHECK(url_scheme("gopher://127.0.0.1:70/_x") == "gopher");
  CHECK(url_scheme("dict://127.0.0.1:11211/stats") == "dict");
  CHECK(url_scheme("localhost:8989/v2") == "localhost");  // requests: no adapter; refused
  CHECK(url_scheme("127.0.0.1:8989/v2").empty());         // an address: no scheme, http
  CHECK(url_scheme("example.com/a:b").empty());
  CHECK(url_scheme("/relative").empty());
  CHECK(url_scheme("").empty());
  CHECK(url_scheme("x y:z").empty());
}

TEST_CASE("the [executor] options: networks, own port, key directory; bad values named") {
  Config c;
  c.set("executor", "denied_networks", " 127.0.0.0/8, ::1/128\t169.254.0.0/16 ,fe80::/10 ");
  c.set("executor", "deny_own_api_port", "true");
  c.set("executor", "ssh_private_key_dir", "~/keys");
  ::setenv("HOME", "/home/bora-test", 1);
  auto o = reach_options_from_config(c);
  REQUIRE(o.ok());
  REQUIRE(o->denied_networks.size() == 4);
  CHECK(o->denied_networks[1].text == "::1/128");
  CHECK(o->deny_own_api_port);
  CHECK(o->ssh_private_key_dir == "/home/bora-test/keys");

  auto defaults = reach_options_from_config(Config{});
  REQUIRE(defaults.ok());
  CHECK(defaults->denied_networks.empty());
  CHECK_FALSE(defaults->deny_own_api_port);
  CHECK(defaults->ssh_private_key_dir == "/home/bora-test/.ssh");

  c.set("executor", "denied_networks", "127.0.0.0/8, 10.0.0.0/99");
  auto bad = reach_options_from_config(c);
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::StartsWith("[executor] denied_networks: '10.0.0.0/99' is not a network"));
  c.set("executor", "denied_networks", "");
  c.set("executor", "deny_own_api_port", "perhaps");
  CHECK_FALSE(reach_options_from_config(c).ok());
}

TEST_CASE("set_own_api_port keeps the other options") {
  ReachGuard guard;
  ReachOptions o;
  o.denied_networks = {net("10.0.0.0/8")};
  o.deny_own_api_port = true;
  set_reach_options(o);
  set_own_api_port(4242);
  auto now = reach_options();
  CHECK(now->own_api_port == 4242);
  CHECK(now->denied_networks.size() == 1);
  CHECK(now->deny_own_api_port);
}

namespace {

// A key directory with a key, a key in a subfolder, a secret next to the
// directory, a link out and a FIFO.
struct KeyDir {
  fs::path root;
  ReachOptions options;
  KeyDir() {
    char tmpl[] = "/tmp/bora-keys-XXXXXX";
    root = ::mkdtemp(tmpl);
    fs::create_directories(root / "keys" / "team");
    std::ofstream(root / "keys" / "id_test") << "KEY-1";
    std::ofstream(root / "keys" / "team" / "deploy") << "KEY-2";
    std::ofstream(root / "secret") << "SECRET";
    fs::create_symlink(root / "secret", root / "keys" / "link_out");
    fs::create_symlink(root / "keys" / "id_test", root / "keys" / "link_in");
    ::mkfifo((root / "keys" / "fifo").c_str(), 0600);
    options.ssh_private_key_dir = (root / "keys").string();
  }
  ~KeyDir() { fs::remove_all(root); }
};

}  // namespace

TEST_CASE("a key file inside ssh_private_key_dir is read") {
  KeyDir d;
  CHECK(read_private_key_file(d.options, "id_test").value() == "KEY-1");
  CHECK(read_private_key_file(d.options, "team/deploy").value() == "KEY-2");
  CHECK(read_private_key_file(d.options, "team/../id_test").value() == "KEY-1");  // stays inside
  CHECK(read_private_key_file(d.options, (d.root / "keys" / "id_test").string()).value() == "KEY-1");
  CHECK(read_private_key_file(d.options, "link_in").value() == "KEY-1");  // a link that stays inside
  auto missing = read_private_key_file(d.options, "nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::NotFound);
}

TEST_CASE("no way out of ssh_private_key_dir: '..', absolute paths, links, special files") {
  KeyDir d;
  const std::string secret = (d.root / "secret").string();
  for (const std::string& name : {std::string("../secret"), std::string("team/../../secret"), secret,
                                  std::string("/etc/passwd"), std::string("/proc/self/environ"),
                                  std::string("link_out"), std::string("fifo"), std::string("."),
                                  std::string(".."), std::string("team"), std::string("a\0b", 3)}) {
    INFO(name);
    auto r = read_private_key_file(d.options, name);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::BadInput);
    CHECK_THAT(r.error().message, Catch::Contains("std.ssh may not read private_key_filename"));
    CHECK_THAT(r.error().message, Catch::Contains("[executor] ssh_private_key_dir"));
    CHECK_THAT(r.error().message, !Catch::Contains("SECRET"));
  }
  // The directory given with '..' in it is the same directory.
  ReachOptions odd = d.options;
  odd.ssh_private_key_dir = (d.root / "keys" / "team" / "..").string();
  CHECK_FALSE(read_private_key_file(odd, "../secret").ok());
  // No directory: no key files at all.
  ReachOptions none;
  auto r = read_private_key_file(none, "id_test");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("ssh_private_key_dir is empty"));
}
