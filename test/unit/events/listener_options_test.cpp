// mistral.conf's messaging options.
#include <catch2/catch.hpp>

#include "bora/events/listener_options.h"

using namespace bora;
using namespace bora::events;

TEST_CASE("a transport URL with credentials, several hosts and a vhost") {
  auto o = parse_transport_url("rabbit://user:p%40ss@mq1:5673,other:pw@[::1]:5674/openstack%2Fprod");
  REQUIRE(o.ok());
  REQUIRE(o->brokers.size() == 2);
  CHECK(o->brokers[0].host == "mq1");
  CHECK(o->brokers[0].port == 5673);
  CHECK(o->brokers[0].user == "user");
  CHECK(o->brokers[0].password == "p@ss");
  CHECK(o->brokers[1].host == "::1");
  CHECK(o->brokers[1].port == 5674);
  CHECK(o->virtual_host == "openstack/prod");
}

TEST_CASE("RabbitMQ's defaults: port 5672, guest, vhost /") {
  auto o = parse_transport_url("rabbit://localhost");
  REQUIRE(o.ok());
  CHECK(o->brokers.at(0).port == 5672);
  CHECK(o->brokers.at(0).user == "guest");
  CHECK(o->virtual_host == "/");
  CHECK(parse_transport_url("kombu://h/").ok());
  // oslo.messaging's default transport_url: localhost.
  auto bare = parse_transport_url("rabbit://");
  REQUIRE(bare.ok());
  CHECK(bare->brokers.at(0).host == "localhost");
}

TEST_CASE("bad transport URLs are refused naming the problem, without the password") {
  auto kafka = parse_transport_url("kafka://h:9092");
  REQUIRE_FALSE(kafka.ok());
  CHECK_THAT(kafka.error().message, Catch::Contains("'kafka' transport is not supported"));
  auto port = parse_transport_url("rabbit://u:secret@h:99999/");
  REQUIRE_FALSE(port.ok());
  CHECK_THAT(port.error().message, Catch::Contains("port '99999'"));
  CHECK_THAT(port.error().message, !Catch::Contains("secret"));
  CHECK_FALSE(parse_transport_url("rabbit://h1,,h2/").ok());
  CHECK_FALSE(parse_transport_url("no-scheme").ok());
}

TEST_CASE("the options from mistral.conf, and no listener without a transport_url") {
  auto none = listener_options(Config());
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());

  auto conf = Config::parse(R"([DEFAULT]
transport_url = rabbit://a:b@rpc:5672/
[oslo_messaging_notifications]
transport_url = rabbit://c:d@notify:5672/
[event_engine]
listener_pool_name = pool7
host = 0.0.0.0
[oslo_messaging_rabbit]
amqp_durable_queues = true
rabbit_qos_prefetch_count = 10
rabbit_interval_max = 5
)");
  REQUIRE(conf.ok());
  auto o = listener_options(*conf);
  REQUIRE(o.ok());
  REQUIRE(o->has_value());
  CHECK((*o)->brokers.at(0).host == "notify");  // the notifications' own transport wins
  CHECK((*o)->pool_name == "pool7");
  CHECK((*o)->durable_queues);
  CHECK((*o)->prefetch == 10);
  CHECK((*o)->interval_max == std::chrono::seconds(5));

  auto bad = Config::parse("[DEFAULT]\ntransport_url = rabbit://h/\n[oslo_messaging_rabbit]\nrabbit_qos_prefetch_count = -1\n");
  REQUIRE(bad.ok());
  CHECK_THAT(listener_options(*bad).error().message, Catch::Contains("rabbit_qos_prefetch_count must be 0..65535"));
}

TEST_CASE("TLS from [oslo_messaging_rabbit], from the URL's query (which wins), and amqps://") {
  Config config;
  config.set("DEFAULT", "transport_url", "rabbit://u:p@mq:5671/");
  config.set("oslo_messaging_rabbit", "ssl", "true");
  config.set("oslo_messaging_rabbit", "ssl_version", "TLSv1_2");
  auto o = listener_options(config);
  REQUIRE(o.ok());
  REQUIRE(*o);
  CHECK((*o)->tls.enabled);
  CHECK((*o)->tls.version == "tlsv1_2");
  CHECK((*o)->tls.verify_hostname);
  CHECK((*o)->tls.ca_file.empty());

  config.set("DEFAULT", "transport_url", "rabbit://u:p@mq:5671/?ssl=0");
  o = listener_options(config);
  REQUIRE(o.ok());
  CHECK_FALSE((*o)->tls.enabled);

  config.set("DEFAULT", "transport_url", "rabbit://u:p@mq/?ssl=1&ssl_enforce_hostname_verification=false");
  config.set("oslo_messaging_rabbit", "ssl", "false");
  o = listener_options(config);
  REQUIRE(o.ok());
  CHECK((*o)->tls.enabled);
  CHECK_FALSE((*o)->tls.verify_hostname);
  CHECK((*o)->brokers.at(0).port == 5672);  // oslo: ssl changes no port

  auto amqps = parse_transport_url("amqps://u:p@mq/");
  REQUIRE(amqps.ok());
  CHECK(amqps->tls.enabled);
  CHECK(amqps->brokers.at(0).port == 5671);
}

TEST_CASE("TLS options that cannot be used are refused naming the option") {
  auto refused = [](const char* name, const char* value) {
    Config config;
    config.set("DEFAULT", "transport_url", "rabbit://mq/");
    config.set("oslo_messaging_rabbit", "ssl", "true");
    config.set("oslo_messaging_rabbit", name, value);
    auto o = listener_options(config);
    REQUIRE_FALSE(o.ok());
    CHECK(o.error().kind == ErrorKind::BadInput);
    return o.error().message;
  };
  CHECK_THAT(refused("ssl_ca_file", "/nonexistent/ca.pem"),
             Catch::StartsWith("[oslo_messaging_rabbit] ssl_ca_file = /nonexistent/ca.pem: cannot be read"));
  CHECK_THAT(refused("ssl_version", "SSLv3"), Catch::Contains("ssl_version = SSLv3: give TLSv1_2"));
  CHECK_THAT(refused("ssl_key_file", "/etc/hostname"), Catch::Contains("ssl_cert_file and ssl_key_file go together"));
  Config config;
  config.set("DEFAULT", "transport_url", "rabbit://mq/?ssl=perhaps");
  auto o = listener_options(config);
  REQUIRE_FALSE(o.ok());
  CHECK_THAT(o.error().message, Catch::Contains("?ssl=perhaps is not a boolean"));
}
