// std.email against a loopback SMTP responder; std.ssh failures.
#include <catch2/catch.hpp>

#include "bora/executor/executor.h"
#include "loopback_server.h"

using namespace bora;
using namespace bora::executor;
using bora::executor::test::LoopbackServer;

TEST_CASE("std.email speaks SMTP: envelope, headers, body") {
  std::string transcript;
  LoopbackServer smtp([&](int fd) {
    auto say = [&](const std::string& s) { LoopbackServer::write_all(fd, s + "\r\n"); };
    say("220 loopback ESMTP");
    for (int i = 0; i < 20; ++i) {
      std::string cmd = LoopbackServer::read_until(fd, "\r\n");
      if (cmd.empty()) return;
      transcript += cmd;
      if (cmd.rfind("EHLO", 0) == 0 || cmd.rfind("HELO", 0) == 0) say("250 loopback");
      else if (cmd.rfind("DATA", 0) == 0) {
        say("354 go on");
        transcript += LoopbackServer::read_until(fd, "\r\n.\r\n");
        say("250 queued");
      } else if (cmd.rfind("QUIT", 0) == 0) {
        say("221 bye");
        return;
      } else {
        say("250 ok");
      }
    }
  });
  ActionRunContext ctx;
  auto r = run_std_action("std.email",
                          Value::dict({{"from_addr", Value("bora@example.org")},
                                       {"to_addrs", Value::list({Value("ops@example.org")})},
                                       {"cc_addrs", Value::list({Value("cc@example.org")})},
                                       {"smtp_server", Value("127.0.0.1:" + std::to_string(smtp.port()))},
                                       {"subject", Value("Nightly report")},
                                       {"body", Value("All green.")}}),
                          ctx);
  INFO(transcript);
  REQUIRE_FALSE(r.failed);
  CHECK_THAT(transcript, Catch::Contains("MAIL FROM:<bora@example.org>"));
  CHECK_THAT(transcript, Catch::Contains("RCPT TO:<ops@example.org>"));
  CHECK_THAT(transcript, Catch::Contains("RCPT TO:<cc@example.org>"));
  CHECK_THAT(transcript, Catch::Contains("To: ops@example.org"));
  CHECK_THAT(transcript, Catch::Contains("Subject: =?utf-8?b?TmlnaHRseSByZXBvcnQ=?="));
  CHECK_THAT(transcript, Catch::Contains("QWxsIGdyZWVuLg=="));  // "All green." in base64
}

TEST_CASE("std.email reports an unreachable server") {
  ActionRunContext ctx;
  auto r = run_std_action("std.email",
                          Value::dict({{"from_addr", Value("a@b")},
                                       {"to_addrs", Value::list({Value("c@d")})},
                                       {"smtp_server", Value("127.0.0.1:1")}}),
                          ctx);
  CHECK(r.failed);
  CHECK_THAT(r.error.as_string(), Catch::Contains(", msg=\'" "Failed to send an email message:"));
}

TEST_CASE("std.ssh failures say which command on which host, as Mistral does") {
  ActionRunContext ctx;
  auto r = run_std_action(
      "std.ssh",
      Value::dict({{"cmd", Value("uptime")}, {"host", Value("127.0.0.1:1")}, {"username", Value("root")}}), ctx);
  CHECK(r.failed);
  CHECK_THAT(r.error.as_string(), Catch::StartsWith("The action raised an exception [") && Catch::EndsWith(", msg='" "Failed to execute ssh cmd 'uptime' on ['127.0.0.1:1']" "']"));
  auto proxied = run_std_action("std.ssh_proxied",
                                Value::dict({{"cmd", Value("uptime")},
                                             {"host", Value("10.0.0.5")},
                                             {"username", Value("root")},
                                             {"private_key_filename", Value("no_such_key_file")},
                                             {"gateway_host", Value("127.0.0.1:1")}}),
                                ctx);
  CHECK(proxied.failed);
  CHECK_THAT(proxied.error.as_string(), Catch::StartsWith("The action raised an exception [") && Catch::EndsWith(", msg='" "Failed to execute ssh cmd 'uptime' on ['10.0.0.5']" "']"));
}

TEST_CASE("std.email refuses addresses that would add SMTP commands or headers") {
  ActionRunContext ctx;
  for (const char* field : {"from_addr", "to_addrs", "cc_addrs", "bcc_addrs", "reply_to"}) {
    for (const char* evil : {"a@b\r\nRCPT TO:<x@y>", "a@b\nBcc: x@y", "a@b>", "<a@b"}) {
      Value input = Value::dict({{"from_addr", Value("a@b")},
                                 {"to_addrs", Value::list({Value("c@d")})},
                                 {"smtp_server", Value("127.0.0.1:1")}});
      input = input.with(field, std::string(field) == "from_addr" ? Value(evil) : Value::list({Value(evil)}));
      auto r = run_std_action("std.email", input, ctx);
      INFO(field << " = " << evil);
      CHECK(r.failed);
      CHECK_THAT(r.error.as_string(), Catch::Contains("line break, NUL or angle bracket"));
    }
  }
}
