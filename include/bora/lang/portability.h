// lang/portability: the constructs of a definition that only Bora runs
// (docs/LANGUAGE.md), with line:column and what to write for Mistral
// instead: `bora validate --mistral`. Found by key name in the YAML, not
// through the specs, so that a construct is found even where this build's
// parser does not know it yet.
#pragma once

#include <string_view>

#include "bora/lang/problem.h"

namespace bora::lang {

// Every Bora-only construct of a workflows, workbook or actions document
// (empty when it would run unchanged on Mistral, or does not load as YAML:
// the definition check reports that).
Problems bora_only_constructs(std::string_view text);

}  // namespace bora::lang
