#include <catch2/catch.hpp>

#include "bora/executor/action_descriptor.h"

using bora::executor::find_std_action;
using bora::executor::std_action_descriptors;

// Signatures as Mistral 15 reports them in GET /v2/actions (params_spec).
TEST_CASE("std action input signatures match Mistral's", "[executor][catalog]") {
  auto sig = [](const char* name) {
    auto* d = find_std_action(name);
    REQUIRE(d != nullptr);
    return d->input_signature();
  };
  CHECK(sig("std.echo") == "output, delay=0");
  CHECK(sig("std.noop") == "");
  CHECK(sig("std.async_noop") == "");
  CHECK(sig("std.sleep") == "seconds=1");
  CHECK(sig("std.fail") == "error_data=null");
  CHECK(sig("std.test_dict") == "size=0, key_prefix=\"\", val=\"\"");
  CHECK(sig("std.javascript") == "script, context=null");
  CHECK(sig("std.js") == "script, context=null");
  CHECK(sig("std.ssh") == "cmd, host, username, password=\"\", private_key_filename=null, private_key=null");
  CHECK(sig("std.ssh_proxied") ==
        "cmd, host, username, private_key_filename, gateway_host, gateway_username=null, password=null, "
        "proxy_command=null, private_key=null");
  CHECK(sig("std.email") ==
        "from_addr, to_addrs, smtp_server, reply_to=null, cc_addrs=null, bcc_addrs=null, smtp_password=null, "
        "subject=null, body=null, html_body=null");
  const char* http =
      "url, method=\"GET\", params=null, body=null, json=null, headers=null, cookies=null, auth=null, "
      "timeout=null, allow_redirects=null, proxies=null, verify=null";
  CHECK(sig("std.http") == http);
  CHECK(sig("std.mistral_http") == http);
}

TEST_CASE("std action catalogue is sorted, complete and unique", "[executor][catalog]") {
  const auto& all = std_action_descriptors();
  REQUIRE(all.size() == 13);
  for (size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].name < all[i].name);
  for (const auto& d : all) CHECK_FALSE(d.description.empty());
  CHECK(find_std_action("std.nope") == nullptr);
  CHECK(find_std_action("std.async_noop")->is_async);
  CHECK_FALSE(find_std_action("std.echo")->is_async);
}
