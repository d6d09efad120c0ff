// restschema/generated.hpp - everything a generated header needs, and nothing more.
#pragma once

#include <restschema/meta.hpp>
#include <restschema/nullable.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>
