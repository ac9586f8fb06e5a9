// executor/std/ssh_action: std.ssh and std.ssh_proxied with libssh. As in
// Mistral: one host gives its command's stdout, a list of hosts a list of
// outputs in the same order; a non-zero exit status or any SSH failure is
// "Failed to execute ssh cmd '<cmd>' on <host>" (the detail goes to the
// log, not to the result, as Mistral hides it too). Host keys are accepted
// as paramiko's AutoAddPolicy does.
// Unlike Mistral, which joins private_key_filename to ~/.ssh/ and refuses
// only '../', the key file must be inside [executor] ssh_private_key_dir
// (read by executor/reach, which refuses any way out); and the hosts
// connected to obey the operator's denied networks. Those refusals are told
// in full: they are the operator's rules, not the remote host's secrets.
#include <fmt/format.h>
#include <libssh/libssh.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>

#include "bora/core/log.h"
#include "bora/core/python_format.h"
#include "bora/executor/action_limits.h"
#include "bora/executor/reach.h"
#include "bora/executor/std_actions.h"

namespace bora::executor {

namespace {

struct Credentials {
  std::string username, password, private_key;  // private_key: the key text, from the input or its file
};

using Session = std::unique_ptr<ssh_session_struct, void (*)(ssh_session)>;

void close_session(ssh_session s) {
  if (ssh_is_connected(s)) ssh_disconnect(s);
  ssh_free(s);
}

std::string text(const Value& v) { return v.is_null() ? "" : (v.is_string() ? v.as_string() : python_str(v)); }

// host or host:port.
void split_host(const std::string& host, std::string& name, unsigned& port) {
  name = host;
  port = 22;
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && host.find(':') == colon) {
    name = host.substr(0, colon);
    port = static_cast<unsigned>(std::strtoul(host.c_str() + colon + 1, nullptr, 10));
  }
}

// Connects and authenticates; `fd` >= 0 tunnels the session through it
// (libssh owns fd from then on: it closes it with the session). Without a
// tunnel, the host is resolved and checked here and libssh is given the
// checked address, so it connects to nothing else; a refusal is `refused`.
Session connect(const std::string& host, const Credentials& c, socket_t fd, std::string& why,
                std::string& refused) {
  Session s(ssh_new(), close_session);
  if (!s) {
    if (fd >= 0) close(fd);
    why = "libssh could not start";
    return Session(nullptr, close_session);
  }
  std::string name;
  unsigned port;
  split_host(host, name, port);
  if (fd < 0) {
    auto address = resolve_allowed(*reach_options(), name, static_cast<uint16_t>(port),
                                   fmt::format("std.ssh to '{}'", host));
    if (!address) {
      (address.error().kind == ErrorKind::Forbidden ? refused : why) = address.error().message;
      return Session(nullptr, close_session);
    }
    name = *address;
  }
  long timeout = 30;
  ssh_options_set(s.get(), SSH_OPTIONS_HOST, name.c_str());
  ssh_options_set(s.get(), SSH_OPTIONS_PORT, &port);
  ssh_options_set(s.get(), SSH_OPTIONS_USER, c.username.c_str());
  ssh_options_set(s.get(), SSH_OPTIONS_TIMEOUT, &timeout);
  int no = 0;
  ssh_options_set(s.get(), SSH_OPTIONS_STRICTHOSTKEYCHECK, &no);
  ssh_options_set(s.get(), SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
  if (fd >= 0) ssh_options_set(s.get(), SSH_OPTIONS_FD, &fd);
  if (ssh_connect(s.get()) != SSH_OK) {
    why = ssh_get_error(s.get());
    return Session(nullptr, close_session);
  }
  int rc = SSH_AUTH_DENIED;
  if (!c.private_key.empty()) {
    ssh_key key = nullptr;
    const char* passphrase = c.password.empty() ? nullptr : c.password.c_str();
    int imported = ssh_pki_import_privkey_base64(c.private_key.c_str(), passphrase, nullptr, nullptr, &key);
    if (imported != SSH_OK) {
      why = "the private key cannot be read";
      return Session(nullptr, close_session);
    }
    rc = ssh_userauth_publickey(s.get(), nullptr, key);
    ssh_key_free(key);
  } else {
    rc = ssh_userauth_password(s.get(), nullptr, c.password.c_str());
  }
  if (rc != SSH_AUTH_SUCCESS) {
    why = std::string("authentication failed: ") + ssh_get_error(s.get());
    return Session(nullptr, close_session);
  }
  return s;
}

// Runs cmd; stdout on exit status 0, nullopt otherwise.
std::optional<std::string> execute(ssh_session s, const std::string& cmd, const ActionRunContext& ctx,
                                   std::string& why) {
  ssh_channel ch = ssh_channel_new(s);
  if (!ch) {
    why = "cannot open a channel";
    return std::nullopt;
  }
  std::unique_ptr<ssh_channel_struct, void (*)(ssh_channel)> guard(ch, [](ssh_channel c) {
    ssh_channel_close(c);
    ssh_channel_free(c);
  });
  if (ssh_channel_open_session(ch) != SSH_OK || ssh_channel_request_exec(ch, cmd.c_str()) != SSH_OK) {
    why = ssh_get_error(s);
    return std::nullopt;
  }
  std::string out;
  char buf[16384];
  while (true) {
    if (ctx.should_stop()) {
      why = "stopped: the task timed out or the execution was cancelled";
      return std::nullopt;
    }
    int n = ssh_channel_read_timeout(ch, buf, sizeof buf, 0, 200);
    if (n == SSH_ERROR) {
      why = ssh_get_error(s);
      return std::nullopt;
    }
    if (n > 0) {
      if (size_t most = action_limits().ssh_max_output_bytes; out.size() + n > most) {
        why = fmt::format(
            "the command's output is larger than {} KiB, the most std.ssh reads ([executor] ssh_max_output_kb); "
            "send less to stdout (a file, a summary) or raise the option",
            most / 1024);
        return std::nullopt;
      }
      out.append(buf, n);
      continue;
    }
    // Drain stderr so that a chatty command does not block on it.
    while (ssh_channel_read_nonblocking(ch, buf, sizeof buf, 1) > 0) {
    }
    if (ssh_channel_is_eof(ch)) break;
  }
  ssh_channel_send_eof(ch);
  int status = ssh_channel_get_exit_status(ch);
  if (status != 0) {
    why = fmt::format("exit status {}", status);
    return std::nullopt;
  }
  return out;
}

// A tunnel: bytes between a local socket and a direct-tcpip channel of the
// gateway session, pumped by one thread, so that the inner SSH session runs
// over it as over a TCP connection.
class Tunnel {
 public:
  Tunnel(ssh_session gateway, const std::string& host, std::string& why) : gateway_(gateway) {
    std::string name;
    unsigned port;
    split_host(host, name, port);
    channel_ = ssh_channel_new(gateway);
    if (!channel_ || ssh_channel_open_forward(channel_, name.c_str(), static_cast<int>(port), "127.0.0.1", 0) != SSH_OK) {
      why = std::string("the gateway cannot reach the host: ") + ssh_get_error(gateway);
      return;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds_) != 0) {
      why = "cannot create a local socket pair";
      return;
    }
    pump_ = std::thread([this] { run(); });
  }
  ~Tunnel() {
    stop_ = true;
    if (pump_.joinable()) pump_.join();
    for (int fd : fds_)
      if (fd >= 0) close(fd);
    if (channel_) {
      ssh_channel_close(channel_);
      ssh_channel_free(channel_);
    }
  }
  // The inner session's end; the caller (libssh) closes it.
  socket_t release_inner_fd() {
    socket_t fd = fds_[0];
    fds_[0] = -1;
    return fd;
  }
  bool ok() const { return pump_.joinable(); }

 private:
  void run() {
    char buf[16384];
    while (!stop_) {
      int n = ssh_channel_read_nonblocking(channel_, buf, sizeof buf, 0);
      if (n > 0) {
        if (write(fds_[1], buf, n) != n) break;
        continue;
      }
      if (n == SSH_ERROR || ssh_channel_is_eof(channel_)) break;
      pollfd p{fds_[1], POLLIN, 0};
      if (poll(&p, 1, 20) > 0) {
        ssize_t m = read(fds_[1], buf, sizeof buf);
        if (m <= 0) break;
        if (ssh_channel_write(channel_, buf, static_cast<uint32_t>(m)) == SSH_ERROR) break;
      }
    }
    shutdown(fds_[1], SHUT_RDWR);
  }

  ssh_session gateway_;
  ssh_channel channel_ = nullptr;
  int fds_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::thread pump_;
};

ActionResult run_on_hosts(const Value& input, const ActionRunContext& ctx, bool proxied) {
  std::string cmd = text(input["cmd"]);
  Credentials c{text(input["username"]), text(input["password"]), text(input["private_key"])};
  std::vector<std::string> hosts;
  if (input["host"].is_list()) {
    for (const auto& h : input["host"].as_list()) hosts.push_back(text(h));
  } else {
    hosts.push_back(text(input["host"]));
  }
  auto failed = [&](const std::string& host, const std::string& why) {
    log::warning("executor", "std.ssh on {} failed: {}", host, why);
    // Mistral's SSHAction makes `host` a list before it runs, so its
    // message always shows one: "on ['h1']".
    return ActionResult::raise(fmt::format("Failed to execute ssh cmd '{}' on {}", cmd,
                                                   python_str(input["host"].is_list() ? input["host"]
                                                                                      : Value::list({input["host"]}))));
  };
  // The key file is read once, before any connection, and only from the
  // operator's directory. A refused name is told in full; a missing file
  // fails as any other SSH failure does in Mistral.
  if (c.private_key.empty() && !text(input["private_key_filename"]).empty()) {
    auto key = read_private_key_file(*reach_options(), text(input["private_key_filename"]));
    if (!key && key.error().kind == ErrorKind::BadInput) return ActionResult::raise(key.error().message);
    if (!key) return failed(text(input["host"]), key.error().message);
    c.private_key = std::move(key).value();
  }
  std::vector<Value> results;
  for (const auto& host : hosts) {
    std::string why, refused;
    std::optional<std::string> out;
    if (!proxied) {
      Session s = connect(host, c, -1, why, refused);
      if (s) out = execute(s.get(), cmd, ctx, why);
    } else {
      Credentials gc = c;
      if (!input["gateway_username"].is_null()) gc.username = text(input["gateway_username"]);
      Session gateway = connect(text(input["gateway_host"]), gc, -1, why, refused);
      if (gateway) {
        Tunnel tunnel(gateway.get(), host, why);
        if (tunnel.ok()) {
          Session s = connect(host, c, tunnel.release_inner_fd(), why, refused);
          if (s) out = execute(s.get(), cmd, ctx, why);
        }
      }
    }
    if (!refused.empty()) return ActionResult::raise(refused);
    if (!out) return failed(host, why);
    results.emplace_back(std::move(*out));
  }
  if (results.size() == 1) return ActionResult::success(results.front());
  return ActionResult::success(Value(std::move(results)));
}

}  // namespace

ActionResult run_ssh(const Value& input, const ActionRunContext& ctx) { return run_on_hosts(input, ctx, false); }

ActionResult run_ssh_proxied(const Value& input, const ActionRunContext& ctx) {
  return run_on_hosts(input, ctx, true);
}

}  // namespace bora::executor
