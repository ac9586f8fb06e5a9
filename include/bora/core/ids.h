// core/ids: identifiers. Mistral's ids are random UUIDs in canonical text
// form (8-4-4-4-12 lowercase hex).
#pragma once

#include <string>
#include <string_view>

namespace bora {

// A random (version 4) UUID, e.g. "0f1e2d3c-4b5a-4697-8877-665544332211":
// what Mistral's uuid() expression function and oslo's message ids give.
std::string generate_uuid();

// A time-ordered (version 7, RFC 9562) UUID, e.g.
// "019ae6c2-3b4a-7c5d-9e8f-0a1b2c3d4e5f": the first 48 bits are the Unix
// time in milliseconds, the other 74 (beside version and variant) random.
// The ids of stored rows (executions, tasks, actions, definitions): rows
// made close in time get close keys, so every index on an id (each table's
// primary key, the events' execution keys, InnoDB's clustered index) takes
// a new row at its right-hand end instead of on a random page. With random
// ids a batch of ten executions dirtied a page per index per row
// (docs/PERFORMANCE.md, "Time-ordered ids"). Clients see a UUID as Mistral's
// are (python-mistralclient's is_uuid_like takes any version); 74 random
// bits keep an id unguessable.
std::string generate_row_id();

// True when s is a UUID in canonical form (any version, either case).
bool is_uuid(std::string_view s) noexcept;
// Mistral's test (oslo_utils.uuidutils.is_uuid_like): also without dashes,
// in braces, or after "urn:uuid:".
bool is_uuid_like(std::string_view s);

}  // namespace bora
