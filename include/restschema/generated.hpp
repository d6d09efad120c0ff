// restschema/generated.hpp - everything a generated header needs, and nothing more.
#pragma once

#include <restschema/edits.hpp>
#include <restschema/meta.hpp>
#include <restschema/nullable.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
// <boost/json/value.hpp> comes from the generated types header of a service
// that has free-form JSON members, and only then: it is slow to compile.
// Declared here for the aliases that name it (a service's error_body).
namespace boost::json {
class value;
}

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>
